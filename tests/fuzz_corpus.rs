//! Replays the committed fuzz corpus on stable Rust (issue 14): every file of
//! `fuzz/corpus/<target>/` goes through the same `portal::fuzzing::<target>` function that the
//! `cargo fuzz` target calls, so CI catches a regression of anything fuzzing once reached without
//! a nightly toolchain. `docs/fuzzing.md` says how the corpus is grown and minimised.
//!
//! `cargo test --test fuzz_corpus -- --ignored write_seeds` writes the seed inputs (real codes,
//! records, content files, indexes) into `fuzz/seeds/<target>/`, the starting point of a fuzzing
//! run.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use portal::fuzzing::{self, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs `target` on every file of `dir`, naming every file that fails.
fn replay(target: &str, run: fn(&[u8]), dir: &Path) -> usize {
    let inputs = files(dir);
    let failed: Vec<String> = inputs
        .iter()
        .filter(|file| {
            let data = fs::read(file).expect("a corpus file");
            std::panic::catch_unwind(|| run(&data)).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target} fails on {} file(s) (reproduce one with cargo +nightly fuzz run {target} FILE):\n{}",
        failed.len(),
        failed.join("\n")
    );
    inputs.len()
}

#[test]
fn every_corpus_folder_is_a_target_and_every_target_has_a_corpus() {
    let corpus = fuzz_dir().join("corpus");
    let mut folders: Vec<String> = fs::read_dir(&corpus)
        .expect("fuzz/corpus exists")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    folders.sort();
    let mut names: Vec<String> = TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    names.sort();
    assert_eq!(folders, names);
    // Each fuzz target file calls the function of its name.
    for (name, _) in TARGETS {
        let source = fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{name}.rs")))
            .unwrap_or_else(|e| panic!("fuzz target {name}: {e}"));
        assert!(
            source.contains(&format!("portal::fuzzing::{name}(")),
            "{name}"
        );
    }
}

#[test]
fn the_committed_corpus_replays_without_a_failure() {
    let mut total = 0;
    for (name, run) in TARGETS {
        let n = replay(name, run, &fuzz_dir().join("corpus").join(name));
        assert!(n > 0, "{name} has an empty corpus");
        total += n;
    }
    println!("{total} corpus files replayed");
}

#[test]
fn the_properties_can_fail() {
    // The allow-list refuses what the renderer must never write.
    for bad in [
        "<script>alert(1)</script>",
        r#"<h1 id="a" onclick="alert(1)">t</h1>"#,
        r#"<h1 id="a" style="color:red">t</h1>"#,
        r#"<a href="javascript:alert(1)">x</a>"#,
        r#"<a href=" JaVa&#x53;cript:alert(1)">x</a>"#,
        r#"<img src="data:image/svg+xml,x">"#,
        r#"<a href="vbscript:x">x</a>"#,
        r#"<iframe src="https://x.org/"></iframe>"#,
        "<p>a <b>b</b></p>",
        r#"<td style="background:url(x)">"#,
    ] {
        assert!(fuzzing::allowed_html(bad).is_err(), "{bad}");
    }
    for good in [
        "<p>a &lt;script&gt; <em>b</em></p>\n",
        r#"<h2 id="做法">做法</h2><a href="/cases/panjin-2018#x">a</a>"#,
        r#"<img src="/content/cases/img/a.png" alt="图" /><td style="text-align: center">1</td>"#,
        r#"<input disabled="" type="checkbox" checked=""/><a href="mailto:a@b.cn">m</a>"#,
    ] {
        assert_eq!(fuzzing::allowed_html(good), Ok(()), "{good}");
    }
}

/// Found by `markdown_render` (inputs in `fuzz/crashes-found/markdown_render/`, see
/// docs/fuzzing.md): a heading's attribute block (`{onclick=…}`, pulldown-cmark's
/// ENABLE_HEADING_ATTRIBUTES) is written into the HTML as is, and a form feed in a fenced block's
/// info string adds a second class to `<code>`. Fixed: the renderer emits only
/// what its allow-list names.
#[test]
fn renderer_findings_are_fixed() {
    let dir = fuzz_dir().join("crashes-found/markdown_render");
    assert_eq!(replay("markdown_render", fuzzing::markdown_render, &dir), 4);
}

/// Found by `content_check` (inputs in `fuzz/crashes-found/content_check/`, see
/// docs/fuzzing.md): in a file with lone carriage returns (old Mac line ends) the YAML parser counts
/// each `\r` as a line, the checker only `\n`, so a diagnostic points past the end of the file.
/// Fixed: the checker reads a lone `\r` as a line end too.
#[test]
fn checker_findings_are_fixed() {
    let dir = fuzz_dir().join("crashes-found/content_check");
    assert_eq!(replay("content_check", fuzzing::content_check, &dir), 2);
}

/// Writes the seed inputs of every target into `fuzz/seeds/<target>/`.
#[test]
#[ignore = "writes files: run by hand before a fuzzing campaign"]
fn write_seeds() {
    let root = fuzz_dir().join("seeds");
    for (name, inputs) in seeds::all() {
        let dir = root.join(name);
        fs::create_dir_all(&dir).expect("a seed folder");
        for (i, data) in inputs.iter().enumerate() {
            fs::write(dir.join(format!("seed-{i:03}")), data).expect("a seed");
        }
        println!("{name}: {} seeds", inputs.len());
    }
}

/// The seed inputs: real codes, links, chat texts, records, content files, indexes and queries.
mod seeds {
    use std::path::Path;

    use portal::assign::{
        assignment_link, encode_assignment, encode_receipt, receipt_link, receipt_text, Assignment,
        QuizScore, Receipt, ReceiptItem,
    };
    use portal::content::{Kind, Ref};
    use portal::progress::{storage_format, Answers, Event, Payload, Progress, QuizAttempt};
    use portal::search::index::{DocInput, Field, ShardPlan};

    /// 2026-11-27T00:00:00Z, as in `tests/assign.rs`.
    const T0: u64 = 1_795_737_600_000;
    const DAY: u64 = 86_400_000;

    fn r(s: &str) -> Ref {
        s.parse().expect("a fixed reference")
    }

    /// The typical assignment of `tests/assign.rs`.
    fn assignment() -> Assignment {
        Assignment {
            id: "k3Vq9xZa".into(),
            title: "2026年冬季社区党组织书记轮训".into(),
            trainer: "城南街道党群服务中心 王老师".into(),
            note: "请在12月4日（周五）前学完三个模块并完成自测，自测80分以上为合格。\n遇到问题在工作群里提出。".into(),
            due: "2026-12-04".parse().expect("a date"),
            created: T0,
            items: ["module:new-secretary-starter", "module:grid-governance", "case:panjin-2018"]
                .iter()
                .map(|s| r(s))
                .collect(),
        }
    }

    fn receipt() -> Receipt {
        Receipt {
            assignment: "k3Vq9xZa".into(),
            title: "读案例".into(),
            worker: "张三".into(),
            created: T0 + 3 * DAY,
            items: vec![
                ReceiptItem {
                    item: r("module:grid-governance"),
                    assigned: true,
                    completed_at: Some(T0 + DAY),
                    quiz: Some(QuizScore {
                        best: 90,
                        passed: true,
                    }),
                },
                ReceiptItem {
                    item: r("case:panjin-2018"),
                    assigned: false,
                    completed_at: Some(T0 + 2 * DAY),
                    quiz: None,
                },
                ReceiptItem {
                    item: r("workflow:sanhui-yike"),
                    assigned: true,
                    completed_at: None,
                    quiz: None,
                },
            ],
        }
    }

    fn record() -> Progress {
        let mut p = Progress::with_learner("d7f3c2");
        let payloads = [
            Payload::Opened {
                item: r("case:panjin-2018"),
            },
            Payload::Read {
                item: r("case:panjin-2018"),
            },
            Payload::StepTicked {
                item: r("workflow:sanhui-yike"),
                step: 0,
                done: true,
            },
            Payload::StepTicked {
                item: r("workflow:sanhui-yike"),
                step: 1,
                done: false,
            },
            Payload::QuizAttempt(QuizAttempt {
                module: r("module:grid-governance"),
                answers: Answers::from([("q1".to_string(), vec![0, 2])]),
                incorrect: vec!["q2".into()],
                score: 80,
                passed: true,
                started: T0,
                finished: T0 + 60_000,
            }),
            Payload::DisplayNameSet {
                name: "张三".into(),
            },
        ];
        for (i, payload) in payloads.into_iter().enumerate() {
            let id = p.next_event_id("d7f3c2");
            p.record(Event::new(id, T0 + i as u64 * 60_000, payload))
                .expect("a valid event");
        }
        p
    }

    /// Bytes that [`portal::fuzzing::code_round_trip`] reads as a valid record.
    fn recipe(assignment: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let text = |out: &mut Vec<u8>, s: &str| {
            out.push(s.len() as u8);
            out.extend_from_slice(s.as_bytes());
        };
        if assignment {
            out.push(0);
            text(&mut out, "k3Vq9xZa");
            text(&mut out, "轮训");
            text(&mut out, "王老师");
            text(&mut out, "周五前");
            out.push(7);
            out.extend_from_slice(&[1; 9]);
            out.extend_from_slice(&[2, 3, 0, 1, 1, 2]);
        } else {
            out.push(1);
            out.push(2);
            out.extend_from_slice(&[1; 9]);
            out.extend_from_slice(&[0b1111, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 90]);
            out.extend_from_slice(&[0b0001, 0, 0]);
            text(&mut out, "k3Vq9xZa");
            text(&mut out, "读案例");
            text(&mut out, "张三");
        }
        out
    }

    fn content_files() -> Vec<(Kind, Vec<u8>)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut out = Vec::new();
        for kind in Kind::ALL {
            let mut files: Vec<_> = std::fs::read_dir(root.join(kind.folder()))
                .expect("a content folder")
                .map(|e| e.expect("an entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect();
            files.sort();
            for f in files {
                out.push((kind, std::fs::read(f).expect("a content file")));
            }
        }
        out
    }

    pub fn all() -> Vec<(&'static str, Vec<Vec<u8>>)> {
        let a = assignment();
        let rc = receipt();
        let a_code = encode_assignment(&a).expect("encodes");
        let r_code = encode_receipt(&rc).expect("encodes");
        let a_link = assignment_link("https://dangjian.example.cn", &a).expect("a link");
        let r_link = receipt_link("https://dangjian.example.cn", &rc).expect("a link");
        let r_text = receipt_text(&rc).expect("a text");
        let codes = vec![
            a_code.clone(),
            r_code.clone(),
            format!("  {r_code}\n"),
            r_code[..r_code.len() - 5].to_string(),
            "DJA9abc".into(),
            "DJR1AAAA".into(),
        ];
        // The payloads inside the real codes, for the target's framing mode (`A`/`R` + payload).
        let payload = |kind: u8, code: &str| {
            use base64::Engine as _;
            let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&code[4..])
                .expect("a real code is base64url");
            // Past the varint length, before the CRC.
            let start = body.iter().position(|b| b & 0x80 == 0).expect("a length") + 1;
            let mut out = vec![kind];
            out.extend_from_slice(&body[start..body.len() - 4]);
            out
        };
        let framed = vec![payload(b'A', &a_code), payload(b'R', &r_code)];
        let paste = vec![
            r_text.clone(),
            a_link.clone(),
            format!(
                "张三：{r_text}\n李四：“{r_link}”。\n王五：{a_link}\n{}",
                &r_code[..20]
            ),
            format!("https://x.org/trainer?from=groupmessage#r={r_code}&x=1"),
            "你好，DJR1 DJA1 DJX1 xxDJR1abc-_".into(),
        ];
        let p = record();
        let pretty = storage_format::encode_pretty(&p).expect("encodes");
        let compact = storage_format::encode(&p).expect("encodes");
        let v1 = r#"{"schema":1,"name":"张三","items":{"case:panjin-2018":{"state":"completed","updated":1764000000000},"workflow:sanhui-yike":{"state":"opened","updated":1764000300000,"steps":[true,false]}},"quizzes":{"module:grid-governance":{"best":80,"attempts":[{"at":1764000600000,"score":80,"passed":true}]}}}"#;
        let records = vec![
            pretty.clone(),
            compact.clone(),
            v1.to_string(),
            format!("\u{feff}{pretty}"),
            r#"[{"actor":{"name":"x"},"verb":{"id":"x"}}]"#.into(),
            "类型,标识,标题,状态\n".into(),
            r#"{"schema":9,"format":"portal-learning-record"}"#.into(),
        ];
        let contents = content_files();
        let checked =
            portal::site::check_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
        let mut indexes: Vec<Vec<u8>> =
            vec![portal::site::search_index(&checked).files[0].1.clone()];
        let mut builder = portal::search::index::IndexBuilder::default();
        for p in &checked.items {
            let Some(item) = &p.item else { continue };
            builder.add(DocInput {
                key: item.reference().to_string(),
                title: item.title.clone(),
                kind: item.kind().key().to_string(),
                parts: vec![
                    (Field::Title, item.title.clone()),
                    (Field::Body, portal::content::markdown::plain_text(&p.body)),
                ],
                pinyin: portal::search::pinyin::keys(&item.title, true),
                ..DocInput::default()
            });
        }
        let split = builder.build_with(&ShardPlan {
            single_file_max: 0,
            term_shard_bytes: 2048,
            docs_per_text_shard: 4,
        });
        indexes.extend(split.files.into_iter().take(4).map(|(_, b)| b));
        // A one-file index (shards inside) small enough for a short -max_len.
        let mut small = portal::search::index::IndexBuilder::default();
        for p in checked.items.iter().take(3) {
            let Some(item) = &p.item else { continue };
            small.add(DocInput {
                key: item.reference().to_string(),
                title: item.title.clone(),
                kind: item.kind().key().to_string(),
                tags: item.tags.clone(),
                region: item
                    .region()
                    .map(|r| r.province.clone())
                    .unwrap_or_default(),
                parts: vec![
                    (Field::Title, item.title.clone()),
                    (Field::Body, item.summary.clone()),
                ],
                pinyin: portal::search::pinyin::keys(&item.title, true),
            });
        }
        indexes.push(small.build().files[0].1.clone());
        let markdown = vec![
            "# 标题 {#anchor}\n\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n- [x] 完成\n- [ ] 未完成\n\n正文[^1] ~~删~~ **粗** *斜* `代码`\n\n[^1]: 注释\n".to_string(),
            "[盘锦](case:panjin-2018#街道) [坏](javascript:alert(1)) [外](https://www.gov.cn/) ![图](img/a.png \"题\") <b onclick=x>b</b>\n\n<script>alert(1)</script>\n\n3. 三\n4. 四\n\n> 引用\n\n---\n\n```rust\nfn x() {}\n```\n".to_string(),
        ];
        let queries = [
            "\0党建",
            "\x01社区 网格",
            "\x02dangjian",
            "\x0bdjzx",
            "\x00黨建中心",
            "\x08xapi",
            "\x07Step 2",
            "\x00社",
            "\x0f的是",
            "\x00枫桥经验",
        ];
        let bytes = |v: Vec<String>| v.into_iter().map(String::into_bytes).collect::<Vec<_>>();
        vec![
            (
                "assign_codec",
                bytes(codes).into_iter().chain(framed).collect(),
            ),
            ("code_round_trip", vec![recipe(true), recipe(false)]),
            ("receipt_paste", bytes(paste)),
            ("record_import", bytes(records.clone())),
            ("record_decode", bytes(records)),
            (
                "content_check",
                contents
                    .iter()
                    .map(|(k, f)| {
                        let mut v = vec![Kind::ALL.iter().position(|x| x == k).unwrap_or(0) as u8];
                        v.extend_from_slice(f);
                        v
                    })
                    .collect(),
            ),
            (
                "markdown_render",
                contents
                    .iter()
                    .map(|(_, f)| f.clone())
                    .chain(bytes(markdown))
                    .collect(),
            ),
            ("search_index", indexes),
            (
                "search_query",
                queries.iter().map(|q| q.as_bytes().to_vec()).collect(),
            ),
        ]
    }
}
