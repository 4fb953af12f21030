//! Assignments and receipts through the public API: codes round-trip (property tests), every
//! damaged, cut, oversized, misplaced or future code is refused with its own error, links and
//! chat texts are found in whatever is pasted, the trainer's roster merges and sorts, its CSV
//! says what the table shows, and no input makes any decoder or parser panic.
//!
//! `cargo test --test assign -- --nocapture measured` prints the link lengths and QR versions.
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use portal::assign::{
    assignment_link, decode, decode_assignment, decode_receipt, due_text, encode_assignment,
    encode_receipt, parse, parse_assignment, parse_many, parse_receipt, qr_svg, qr_version,
    receipt_link, receipt_text, Added, Assignment, AssignmentOrReceipt, CodeKind, Column, Date,
    DecodeError, Field, Intake, Invalid, Overall, QrError, QuizScore, Receipt, ReceiptItem,
    Refusal, Roster, RosterError, SortKey, TaskList, MAX_AHEAD_MS, MAX_CODE_CHARS,
    MAX_FOREIGN_ASSIGNMENTS, MAX_ITEMS, MAX_NOTE_CHARS, MAX_RECEIPT_ITEMS, MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS, MAX_TITLE_CHARS, ROWS_PER_PAGE,
};
use portal::content::{Kind, Manifest, Ref};
use portal::progress::model::{MAX_TIMESTAMP, MIN_TIMESTAMP};
use portal::progress::{Answers, Event, NoCatalog, Payload, Progress, QuizAttempt};
use proptest::prelude::*;

/// 2026-11-27T00:00:00Z.
const T0: u64 = 1_795_737_600_000;
const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;
const BASE: &str = "https://dangjian.example.cn";

fn r(s: &str) -> Ref {
    s.parse().unwrap()
}

/// Failures are shown, not written to regression files beside the sources.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- content --------------------------------------------------------------------------------

/// The three real modules, their real items, and two more items in the first module so that the
/// receipt has 3 modules + 14 items.
const MODULES: [(&str, &str, &[&str]); 3] = [
    (
        "new-secretary-starter",
        "新任社区党组织书记入门",
        &[
            "workflow:sanhui-yike",
            "workflow:zhuti-dangri",
            "workflow:minzhu-pingyi",
            "community:hangzhou-wangma",
            "case:panjin-2018",
            "community:beijing-jinsongbei",
            "workflow:fazhan-dangyuan",
        ],
    ),
    (
        "grid-governance",
        "网格化治理与群众诉求",
        &[
            "case:fengqiao-jingyan",
            "case:beijing-chuishao-baodao",
            "case:beijing-jiesu-jiban",
            "case:panjin-2018",
            "workflow:zaizhi-dangyuan-baodao",
        ],
    ),
    (
        "community-worker-system",
        "社区工作者职业体系与街道改革",
        &[
            "case:shanghai-jiedao-gaige",
            "case:chengdu-shequ-zhili",
            "case:panjin-2018",
            "workflow:zuzhi-guanxi-zhuanjie",
        ],
    ),
];

fn title_of(item: &str) -> String {
    match item {
        "case:panjin-2018" => "盘锦社区体制改革".into(),
        "workflow:sanhui-yike" => "三会一课".into(),
        "workflow:zhuti-dangri" => "主题党日".into(),
        other => format!("标题 {other}"),
    }
}

/// A manifest with the modules above (and `extra` modules), every workflow of 2 steps.
fn catalog_with(extra: &[(&str, &str, &[&str])]) -> Manifest {
    let mut items = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (id, title, parts) in MODULES.iter().chain(extra) {
        items.push(serde_json::json!({
            "id": id, "title": title, "summary": "", "tags": [], "updated": "2026-11-27",
            "body": format!("content/modules/{id}.md"), "kind": "module", "items": parts,
            "minutes": 60, "goals": [], "pass_mark": 80, "questions": 5
        }));
        for part in *parts {
            let part = r(part);
            if part.kind == Kind::Module || !seen.insert(part.to_string()) {
                continue;
            }
            let mut item = serde_json::json!({
                "id": part.id, "title": title_of(&part.to_string()), "summary": "", "tags": [],
                "updated": "2026-11-27", "body": part.kind.rendered_path(&part.id),
                "kind": part.kind.key()
            });
            let details = match part.kind {
                Kind::Case => serde_json::json!({"region": {"province": "辽宁省"}, "date": "2018"}),
                Kind::Community => {
                    serde_json::json!({"region": {"province": "浙江省"}, "facts": []})
                }
                _ => serde_json::json!({"steps": 2}),
            };
            for (k, v) in details.as_object().unwrap() {
                item[k] = v.clone();
            }
            items.push(item);
        }
    }
    let json = serde_json::json!({"version": 1, "tags": [], "items": items});
    Manifest::from_json(&json.to_string()).unwrap()
}

fn catalog() -> Manifest {
    catalog_with(&[])
}

/// A typical assignment of the three modules.
fn assignment() -> Assignment {
    Assignment {
        id: "k3Vq9xZa".into(),
        title: "2026年冬季社区党组织书记轮训".into(),
        trainer: "城南街道党群服务中心 王老师".into(),
        note: "请在12月4日（周五）前学完三个模块并完成自测，自测80分以上为合格。遇到问题在工作群里提出。".into(),
        due: "2026-12-04".parse().unwrap(),
        created: T0,
        items: MODULES.iter().map(|(id, _, _)| r(&format!("module:{id}"))).collect(),
    }
}

/// The worker's record: every item read or ticked and every quiz passed, over a few days.
fn finished_progress(skip: &[&str]) -> Progress {
    let mut p = Progress::with_learner("w1");
    let at = std::cell::Cell::new(T0 + DAY);
    let push = |p: &mut Progress, payload: Payload| {
        at.set(at.get() + HOUR);
        let id = p.next_event_id("tab");
        p.record(Event::new(id, at.get(), payload)).unwrap();
    };
    for (module, _, parts) in MODULES {
        for part in parts {
            if skip.contains(part) {
                continue;
            }
            let item = r(part);
            match item.kind {
                Kind::Workflow => {
                    for step in 0..2 {
                        push(
                            &mut p,
                            Payload::StepTicked {
                                item: item.clone(),
                                step,
                                done: true,
                            },
                        );
                    }
                }
                _ => push(&mut p, Payload::Read { item }),
            }
        }
        let module = r(&format!("module:{module}"));
        if skip.contains(&module.to_string().as_str()) {
            continue;
        }
        for (score, passed) in [(60, false), (90, true)] {
            push(
                &mut p,
                Payload::QuizAttempt(QuizAttempt {
                    module: module.clone(),
                    answers: Answers::new(),
                    incorrect: vec![],
                    score,
                    passed,
                    started: at.get(),
                    finished: at.get(),
                }),
            );
        }
    }
    p
}

fn receipt_item(item: &str, assigned: bool, completed_at: Option<u64>) -> ReceiptItem {
    ReceiptItem {
        item: r(item),
        assigned,
        completed_at,
        quiz: None,
    }
}

fn simple_receipt(worker: &str, created: u64, done: &[bool]) -> Receipt {
    let items = [
        "case:panjin-2018",
        "case:fengqiao-jingyan",
        "workflow:sanhui-yike",
    ];
    Receipt {
        assignment: "k3Vq9xZa".into(),
        title: "读案例".into(),
        worker: worker.into(),
        created,
        items: items
            .iter()
            .zip(done)
            .map(|(i, &d)| receipt_item(i, true, d.then_some(created - DAY)))
            .collect(),
    }
}

/// A code built by hand from the format the codec's documentation describes.
fn hand_frame(header: &str, payload: &[u8]) -> String {
    let mut body = Vec::new();
    varint(&mut body, payload.len() as u64);
    body.extend_from_slice(payload);
    let mut crc = crc32fast::Hasher::new();
    crc.update(header.as_bytes());
    crc.update(&body);
    body.extend_from_slice(&crc.finalize().to_be_bytes());
    format!("{header}{}", URL_SAFE_NO_PAD.encode(body))
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

// ---- from_progress --------------------------------------------------------------------------

#[test]
fn receipt_lists_modules_then_their_items_once_with_times_and_scores() {
    let catalog = catalog();
    let a = assignment();
    let p = finished_progress(&[]);
    let receipt = Receipt::from_progress(&a, "李晓梅", &p, &catalog, T0 + 5 * DAY).unwrap();
    let refs: Vec<String> = receipt.items.iter().map(|i| i.item.to_string()).collect();
    assert_eq!(refs.len(), 17, "{refs:?}");
    assert_eq!(refs[0], "module:new-secretary-starter");
    assert_eq!(refs[1], "workflow:sanhui-yike");
    assert_eq!(refs.iter().filter(|r| *r == "case:panjin-2018").count(), 1);
    assert_eq!(receipt.items.iter().filter(|i| i.assigned).count(), 3);
    assert!(receipt.items.iter().all(|i| i.completed_at.is_some()));
    let module = receipt.item(&r("module:grid-governance")).unwrap();
    assert_eq!(
        module.quiz,
        Some(QuizScore {
            best: 90,
            passed: true
        })
    );
    assert_eq!(receipt.item(&r("case:panjin-2018")).unwrap().quiz, None);
    assert_eq!(receipt.status(), Overall::Complete);
    assert_eq!(
        decode_receipt(&encode_receipt(&receipt).unwrap()),
        Ok(receipt)
    );
}

#[test]
fn receipt_of_unfinished_work_says_so() {
    let catalog = catalog();
    let a = assignment();
    let p = finished_progress(&["case:fengqiao-jingyan", "module:grid-governance"]);
    let receipt = Receipt::from_progress(&a, "李晓梅", &p, &catalog, T0 + 5 * DAY).unwrap();
    let grid = receipt.item(&r("module:grid-governance")).unwrap();
    assert_eq!(grid.completed_at, None);
    assert_eq!(grid.quiz, None);
    assert_eq!(
        receipt
            .item(&r("case:fengqiao-jingyan"))
            .unwrap()
            .completed_at,
        None
    );
    assert_eq!(
        receipt.status(),
        Overall::Partial {
            done: 15,
            total: 17
        }
    );
    let empty = Receipt::from_progress(&a, "李晓梅", &Progress::new(), &catalog, T0).unwrap();
    assert_eq!(empty.status(), Overall::NotStarted);
}

#[test]
fn receipt_refuses_a_bad_name_and_follows_nested_modules_without_looping() {
    let catalog = catalog();
    let a = assignment();
    let p = Progress::new();
    assert_eq!(
        Receipt::from_progress(&a, "  ", &p, &catalog, T0),
        Err(Invalid::Empty(Field::Worker))
    );
    assert!(matches!(
        Receipt::from_progress(&a, &"名".repeat(41), &p, &catalog, T0),
        Err(Invalid::TooLong {
            field: Field::Worker,
            ..
        })
    ));
    // A module that lists itself and another module.
    let nested = catalog_with(&[
        (
            "outer",
            "外层",
            &["module:outer", "module:inner", "case:panjin-2018"],
        ),
        ("inner", "内层", &["module:outer", "case:fengqiao-jingyan"]),
    ]);
    let a = Assignment {
        items: vec![r("module:outer"), r("case:panjin-2018")],
        ..assignment()
    };
    let receipt = Receipt::from_progress(&a, "张三", &p, &nested, T0).unwrap();
    let refs: Vec<(String, bool)> = receipt
        .items
        .iter()
        .map(|i| (i.item.to_string(), i.assigned))
        .collect();
    assert_eq!(
        refs,
        [
            ("module:outer".to_string(), true),
            ("module:inner".to_string(), false),
            ("case:fengqiao-jingyan".to_string(), false),
            ("case:panjin-2018".to_string(), true),
        ]
    );
}

#[test]
fn receipt_of_a_huge_assignment_keeps_every_assigned_item_within_the_limit() {
    let parts: Vec<String> = (0..200).map(|n| format!("case:c{n}")).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let modules: Vec<(String, Vec<&str>)> = (0..MAX_ITEMS)
        .map(|m| (format!("m{m}"), parts.clone()))
        .collect();
    let extra: Vec<(&str, &str, &[&str])> = modules
        .iter()
        .map(|(id, p)| (id.as_str(), "模块", p.as_slice()))
        .collect();
    let catalog = catalog_with(&extra);
    let a = Assignment {
        items: modules
            .iter()
            .map(|(id, _)| r(&format!("module:{id}")))
            .collect(),
        ..assignment()
    };
    let receipt = Receipt::from_progress(&a, "张三", &Progress::new(), &catalog, T0).unwrap();
    assert_eq!(receipt.items.len(), MAX_RECEIPT_ITEMS);
    assert_eq!(
        receipt.items.iter().filter(|i| i.assigned).count(),
        MAX_ITEMS
    );
}

// ---- codes: round trips, versions, damage, limits --------------------------------------------

#[test]
fn a_hand_built_code_of_the_documented_format_decodes() {
    let mut p = Vec::new();
    for s in ["abcd", "标题", "王老师", ""] {
        string(&mut p, s);
    }
    varint(&mut p, 9_834); // 2026-12-04 is day 9834 after 2000-01-01
    varint(&mut p, T0);
    varint(&mut p, 1);
    p.push(4);
    string(&mut p, "grid-governance");
    let a = decode_assignment(&hand_frame("DJA1", &p)).unwrap();
    assert_eq!(a.due.to_string(), "2026-12-04");
    assert_eq!(a.items, [r("module:grid-governance")]);
    assert_eq!(encode_assignment(&a).unwrap(), hand_frame("DJA1", &p));

    let mut p = Vec::new();
    for s in ["abcd", "标题", "张三"] {
        string(&mut p, s);
    }
    varint(&mut p, T0);
    varint(&mut p, 1);
    p.push(4 | 8 | 16 | 32 | 64); // module, assigned, completed, quiz tried, passed
    string(&mut p, "grid-governance");
    varint(&mut p, 2 * 1000 - 1); // zigzag(-1000): completed a second before the receipt
    p.push(95);
    let receipt = decode_receipt(&hand_frame("DJR1", &p)).unwrap();
    assert_eq!(receipt.items[0].completed_at, Some(T0 - 1000));
    assert_eq!(
        receipt.items[0].quiz,
        Some(QuizScore {
            best: 95,
            passed: true
        })
    );
}

#[test]
fn limits_are_checked_when_decoding_too() {
    let mut p = Vec::new();
    for s in ["abcd", &"长".repeat(MAX_TITLE_CHARS + 1), "王老师", ""] {
        string(&mut p, s);
    }
    varint(&mut p, 9_834);
    varint(&mut p, T0);
    varint(&mut p, 1);
    p.push(1);
    string(&mut p, "panjin-2018");
    let err = decode_assignment(&hand_frame("DJA1", &p)).unwrap_err();
    assert!(
        matches!(
            &err,
            DecodeError::Invalid {
                source: Invalid::TooLong {
                    field: Field::Title,
                    ..
                },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("任务标题太长"), "{err}");
    // An id that is not a valid content id, a score above 100, a quiz on a case.
    let receipt_with = |flags: u8, id: &str, tail: &[u8]| {
        let mut p = Vec::new();
        for s in ["abcd", "标题", "张三"] {
            string(&mut p, s);
        }
        varint(&mut p, T0);
        varint(&mut p, 1);
        p.push(flags);
        string(&mut p, id);
        p.extend_from_slice(tail);
        decode_receipt(&hand_frame("DJR1", &p))
    };
    assert!(matches!(
        receipt_with(1 | 8, "Panjin", &[]),
        Err(DecodeError::Invalid {
            source: Invalid::ItemId(_),
            ..
        })
    ));
    assert!(matches!(
        receipt_with(4 | 8 | 32, "m", &[101]),
        Err(DecodeError::Invalid {
            source: Invalid::Score { .. },
            ..
        })
    ));
    assert!(matches!(
        receipt_with(1 | 8 | 32, "a", &[50]),
        Err(DecodeError::Invalid {
            source: Invalid::QuizOnNonModule(_),
            ..
        })
    ));
    assert!(matches!(
        receipt_with(1, "a", &[]),
        Err(DecodeError::Invalid {
            source: Invalid::NoAssignedItems,
            ..
        })
    ));
    assert!(matches!(
        receipt_with(7 | 8, "a", &[]),
        Err(DecodeError::Malformed { .. })
    ));
    assert!(matches!(
        receipt_with(1 | 8 | 128, "a", &[]),
        Err(DecodeError::Malformed { .. })
    ));
}

#[test]
fn encoding_enforces_every_limit() {
    let a = assignment();
    let check = |f: &dyn Fn(&mut Assignment), want: Invalid| {
        let mut b = a.clone();
        f(&mut b);
        assert_eq!(encode_assignment(&b), Err(want.clone()));
        assert_eq!(assignment_link(BASE, &b), Err(want));
    };
    check(&|b| b.id = "abc".into(), Invalid::Id("abc".into()));
    check(&|b| b.title = " ".into(), Invalid::Empty(Field::Title));
    check(
        &|b| b.trainer = String::new(),
        Invalid::Empty(Field::Trainer),
    );
    check(
        &|b| b.note = "说".repeat(MAX_NOTE_CHARS + 1),
        Invalid::TooLong {
            field: Field::Note,
            chars: MAX_NOTE_CHARS + 1,
            max: MAX_NOTE_CHARS,
        },
    );
    check(
        &|b| b.title = "标题\u{202E}".into(),
        Invalid::Hidden(Field::Title),
    );
    check(&|b| b.created = 0, Invalid::Time(Field::Created));
    check(&|b| b.items.clear(), Invalid::NoItems);
    check(
        &|b| b.items = (0..=MAX_ITEMS).map(|n| r(&format!("case:c{n}"))).collect(),
        Invalid::TooManyItems {
            count: MAX_ITEMS + 1,
            max: MAX_ITEMS,
        },
    );
    check(
        &|b| b.items.push(b.items[0].clone()),
        Invalid::Duplicate("module:new-secretary-starter".into()),
    );
    check(
        &|b| b.items = vec![r("case:a#x")],
        Invalid::Anchor("case:a#x".into()),
    );
    // Every field within its limit, yet too much for one link.
    let mut big = a.clone();
    big.note = "说".repeat(MAX_NOTE_CHARS);
    big.items = (0..MAX_ITEMS)
        .map(|n| r(&format!("case:{}-{n}", "x".repeat(70))))
        .collect();
    assert_eq!(big.validate(), Ok(()));
    assert!(matches!(
        encode_assignment(&big),
        Err(Invalid::CodeTooLong {
            kind: CodeKind::Assignment,
            max: MAX_CODE_CHARS,
            ..
        })
    ));
    let mut receipt = simple_receipt("张三", T0 + DAY, &[true, true, true]);
    receipt.worker = "=张三 ".into();
    assert_eq!(
        encode_receipt(&receipt),
        Err(Invalid::Untrimmed(Field::Worker))
    );
}

#[test]
fn a_newer_version_and_the_wrong_kind_get_their_own_messages() {
    let code = encode_assignment(&assignment()).unwrap();
    let v2 = format!("DJA2{}", &code[4..]);
    let err = decode_assignment(&v2).unwrap_err();
    assert_eq!(
        err,
        DecodeError::UnsupportedVersion {
            kind: CodeKind::Assignment,
            version: 2,
            supported: 1
        }
    );
    assert!(err.to_string().contains("第 2 版"), "{err}");
    assert!(matches!(
        decode("DJRZxyz"),
        Err(DecodeError::UnsupportedVersion { version: 35, .. })
    ));

    let err = decode_receipt(&code).unwrap_err();
    assert_eq!(
        err,
        DecodeError::WrongType {
            expected: CodeKind::Receipt,
            found: CodeKind::Assignment
        }
    );
    assert!(err.to_string().contains("不是学习回执"), "{err}");
    let receipt = encode_receipt(&simple_receipt("张三", T0 + DAY, &[true, false, false])).unwrap();
    let err = decode_assignment(&receipt).unwrap_err();
    assert!(
        err.to_string().contains("这是学习回执，不是学习任务"),
        "{err}"
    );
    // Even a broken receipt is told apart from an assignment by its type letter.
    assert!(matches!(
        parse_assignment(&format!("{BASE}/trainer#r=DJR9broken")),
        Err(DecodeError::WrongType { .. })
    ));
}

#[test]
fn a_flipped_character_fails_the_checksum_and_says_a_receipt_is_self_reported() {
    let code = encode_receipt(&simple_receipt("张三", T0 + DAY, &[true, false, true])).unwrap();
    let mid = code.len() / 2;
    let flipped: String = code
        .char_indices()
        .map(|(i, c)| {
            if i == mid {
                if c == 'A' {
                    'B'
                } else {
                    'A'
                }
            } else {
                c
            }
        })
        .collect();
    let err = decode_receipt(&flipped).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Damaged {
            kind: CodeKind::Receipt
        }
    );
    let message = err.to_string();
    assert!(message.contains("已损坏或被改动"), "{message}");
    assert!(
        message.contains("自行报告") && message.contains("伪造"),
        "{message}"
    );

    let code = encode_assignment(&assignment()).unwrap();
    let flipped = format!(
        "{}{}{}",
        &code[..40],
        if &code[40..41] == "x" { "y" } else { "x" },
        &code[41..]
    );
    let err = decode_assignment(&flipped).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Damaged {
            kind: CodeKind::Assignment
        }
    );
    assert!(!err.to_string().contains("伪造"));
    // A character that is not base64url.
    let bad = format!("{}*{}", &code[..20], &code[21..]);
    assert_eq!(
        decode_assignment(&bad),
        Err(DecodeError::NotBase64 {
            kind: CodeKind::Assignment
        })
    );
}

#[test]
fn every_cut_is_called_truncated() {
    let code = encode_receipt(&simple_receipt("张三", T0 + DAY, &[true, false, true])).unwrap();
    for cut in 4..code.len() {
        assert_eq!(
            decode_receipt(&code[..cut]),
            Err(DecodeError::Truncated {
                kind: CodeKind::Receipt
            }),
            "cut at {cut}"
        );
    }
    let err = decode_receipt(&code[..code.len() - 7]).unwrap_err();
    assert!(err.to_string().contains("不完整"), "{err}");
    // Cut links, whether in a link or in pasted text.
    let link = receipt_link(BASE, &simple_receipt("张三", T0 + DAY, &[true, true, true])).unwrap();
    assert!(matches!(
        parse_receipt(&link[..link.len() - 3]),
        Err(DecodeError::Truncated { .. })
    ));
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let huge = format!("DJR1{}", "A".repeat(MAX_CODE_CHARS));
    assert_eq!(
        decode_receipt(&huge),
        Err(DecodeError::Oversized {
            chars: MAX_CODE_CHARS + 4,
            max: MAX_CODE_CHARS
        })
    );
    assert!(matches!(
        parse_receipt(&"x".repeat(20_000)),
        Err(DecodeError::Oversized { .. })
    ));
    assert!(matches!(
        parse_many(&"DJR1 ".repeat(300_000)),
        Err(DecodeError::Oversized { .. })
    ));
    assert!(matches!(
        parse_many(&"DJR1 ".repeat(301)),
        Err(DecodeError::TooManyCodes { max: 300 })
    ));
    let err = decode_receipt(&huge).unwrap_err().to_string();
    assert!(err.contains("内容太长"), "{err}");
}

#[test]
fn empty_and_foreign_input() {
    assert_eq!(decode_assignment(""), Err(DecodeError::Empty));
    assert_eq!(parse_receipt(" \n\u{3000}"), Err(DecodeError::Empty));
    assert_eq!(parse_many("  "), Err(DecodeError::Empty));
    assert_eq!(decode_assignment("hello"), Err(DecodeError::NotFound));
    assert_eq!(
        parse_assignment("https://example.org/#a=xyz"),
        Err(DecodeError::NotFound)
    );
    assert_eq!(DecodeError::Empty.to_string(), "没有内容：请粘贴链接或代码");
}

// ---- links and pasted text ------------------------------------------------------------------

#[test]
fn links_fragments_bare_codes_and_chat_wrapping_all_parse() {
    let a = assignment();
    let link = assignment_link(BASE, &a).unwrap();
    let code = encode_assignment(&a).unwrap();
    assert_eq!(link, format!("{BASE}/assignment#a={code}"));
    assert_eq!(assignment_link(&format!("{BASE}/"), &a).unwrap(), link);
    let forms = [
        link.clone(),
        format!("{BASE}/assignment?from=singlemessage&isappinstalled=0#a={code}"),
        format!("#a={code}"),
        format!("a={code}"),
        code.clone(),
        format!("  {code}\n"),
        format!("“{link}”。"),
        format!("<{link}>"),
        format!("【学习任务】请大家打开：{link} 按时完成，谢谢！"),
        format!("({code})."),
    ];
    for form in forms {
        assert_eq!(parse_assignment(&form).as_ref(), Ok(&a), "{form}");
        assert_eq!(parse(&form), Ok(AssignmentOrReceipt::Assignment(a.clone())));
    }
}

#[test]
fn receipt_links_and_texts_parse() {
    let receipt = simple_receipt("张三", T0 + DAY, &[true, false, true]);
    let link = receipt_link(BASE, &receipt).unwrap();
    assert!(link.starts_with(&format!("{BASE}/trainer#r=DJR1")));
    assert_eq!(parse_receipt(&link), Ok(receipt.clone()));
    let text = receipt_text(&receipt).unwrap();
    assert!(text.starts_with("党建学习回执 DJR1"));
    assert!(text.ends_with("张三 ·「读案例」· 部分完成 2/3"), "{text}");
    assert_eq!(parse_receipt(&text), Ok(receipt));
}

#[test]
fn many_receipts_pasted_at_once_are_read_one_by_one() {
    let a = simple_receipt("张三", T0 + DAY, &[true, true, true]);
    let b = simple_receipt("李四", T0 + 2 * DAY, &[true, false, false]);
    let c = simple_receipt("王五", T0 + 3 * DAY, &[false, false, false]);
    let code_c = encode_receipt(&c).unwrap();
    let broken = {
        let code = encode_receipt(&b).unwrap();
        code[..code.len() - 5].to_string()
    };
    let pasted = format!(
        "[11月29日 09:12] 张三：\n{}\n\n[11月29日 10:40] 李四：{}\n王五：{code_c}，请查收。\n赵六：{broken}\n钱七：{}",
        receipt_text(&a).unwrap(),
        receipt_link(BASE, &b).unwrap(),
        assignment_link(BASE, &assignment()).unwrap(),
    );
    let found = parse_many(&pasted).unwrap();
    assert_eq!(found.len(), 5);
    assert_eq!(found[0].result, Ok(a));
    assert_eq!(found[1].result, Ok(b));
    assert_eq!(found[2].result, Ok(c));
    assert_eq!(found[2].code, code_c);
    assert_eq!(
        found[3].result,
        Err(DecodeError::Truncated {
            kind: CodeKind::Receipt
        })
    );
    assert!(matches!(
        found[4].result,
        Err(DecodeError::WrongType { .. })
    ));
    assert!(found[3].excerpt().starts_with("DJR1") && found[3].excerpt().ends_with('…'));
    assert_eq!(parse_many("今天天气不错"), Err(DecodeError::NotFound));
}

// ---- QR -------------------------------------------------------------------------------------

#[test]
fn qr_svg_carries_no_input_text() {
    let link = format!("{BASE}/assignment#a=\"><script>alert(1)</script>");
    let svg = qr_svg(&link).unwrap();
    assert!(svg.starts_with("<?xml") && svg.ends_with("</svg>"));
    for needle in ["script", "alert", "dangjian", "assignment"] {
        assert!(!svg.contains(needle), "{needle}");
    }
    assert_eq!(qr_svg(""), Err(QrError::Empty));
    assert!(matches!(
        qr_version(&"x".repeat(2400)),
        Err(QrError::TooLong { .. })
    ));
}

/// The numbers for the closing note: run with `-- --nocapture measured`.
#[test]
fn measured_link_lengths_and_qr_versions() {
    let catalog = catalog();
    let a = assignment();
    let link = assignment_link(BASE, &a).unwrap();
    let code = encode_assignment(&a).unwrap();
    let receipt = Receipt::from_progress(
        &a,
        "李晓梅",
        &finished_progress(&[]),
        &catalog,
        T0 + 5 * DAY,
    )
    .unwrap();
    assert_eq!(receipt.items.len(), 17);
    let rlink = receipt_link(BASE, &receipt).unwrap();
    let rcode = encode_receipt(&receipt).unwrap();
    let rtext = receipt_text(&receipt).unwrap();
    println!(
        "assignment (3 modules; title {} chars, trainer {} chars, note {} chars): code {} chars, link {} chars, QR version {} (EC M)",
        a.title.chars().count(),
        a.trainer.chars().count(),
        a.note.chars().count(),
        code.len(),
        link.len(),
        qr_version(&link).unwrap()
    );
    println!(
        "receipt (3 modules + 14 items, all done with scores): code {} chars, link {} chars, chat text {} chars, QR version {} (EC M)",
        rcode.len(),
        rlink.len(),
        rtext.chars().count(),
        qr_version(&rlink).unwrap()
    );
    let short = Assignment {
        note: String::new(),
        ..a.clone()
    };
    let short_link = assignment_link(BASE, &short).unwrap();
    println!(
        "assignment without note: link {} chars, QR version {}",
        short_link.len(),
        qr_version(&short_link).unwrap()
    );
    println!("assignment link: {link}");
    println!("receipt link: {rlink}");
    assert!(qr_version(&link).unwrap() <= 20);
    assert!(qr_version(&rlink).unwrap() <= 25);
}

// ---- due dates ------------------------------------------------------------------------------

#[test]
fn days_left_counts_local_days() {
    let a = assignment(); // due 2026-12-04
    let beijing = 480;
    // 2026-12-04 23:59 in Beijing (15:59 UTC) is still the due date; a minute later it is not.
    let last_minute = T0 + 7 * DAY + 16 * HOUR - 60_000;
    assert_eq!(a.days_left(T0, beijing), 7);
    assert_eq!(due_text(a.days_left(T0, beijing)), "还剩 7 天");
    assert_eq!(a.days_left(last_minute, beijing), 0);
    assert!(!a.is_overdue(last_minute, beijing));
    assert!(a.is_overdue(last_minute + 60_000, beijing));
    assert_eq!(
        due_text(a.days_left(last_minute + 60_000, beijing)),
        "已逾期 1 天"
    );
    assert_eq!(
        Date::from_millis(T0, beijing).unwrap().add_days(7),
        Some(a.due)
    );
}

// ---- roster ---------------------------------------------------------------------------------

#[test]
fn roster_keeps_the_newer_receipt_of_each_worker_and_merges_in_any_order() {
    let older = simple_receipt("张三", T0 + DAY, &[true, false, false]);
    let newer = simple_receipt("张三", T0 + 2 * DAY, &[true, true, false]);
    let other = simple_receipt("李四", T0 + DAY, &[false, false, false]);
    let mut a = Roster::new();
    assert_eq!(a.add(older.clone()), Ok(Added::New));
    assert_eq!(a.add(other.clone()), Ok(Added::New));
    assert_eq!(a.add(newer.clone()), Ok(Added::Newer));
    assert_eq!(a.add(older.clone()), Ok(Added::Older));
    assert_eq!(a.add(newer.clone()), Ok(Added::Same));
    assert_eq!(a.receipt_count(), 2);
    assert_eq!(
        a.receipts("k3Vq9xZa").find(|r| r.worker == "张三"),
        Some(&newer)
    );
    // Another assignment with a worker of the same name is another row.
    let elsewhere = Receipt {
        assignment: "zzzz9999".into(),
        ..older.clone()
    };
    assert_eq!(a.add(elsewhere), Ok(Added::New));
    assert_eq!(a.receipt_count(), 3);
    // Same time, different content: the same one wins whatever the order.
    let twin = Receipt {
        title: "读案例（改）".into(),
        ..newer.clone()
    };
    let mut x = a.clone();
    x.add(twin.clone()).unwrap();
    let mut y = Roster::new();
    y.add(twin).unwrap();
    y.merge(&a);
    assert_eq!(x, y);
    let mut b = Roster::new();
    b.add(older).unwrap();
    let (mut ab, mut ba) = (a.clone(), b.clone());
    ab.merge(&b);
    ba.merge(&a);
    assert_eq!(ab, ba);
    assert_eq!(ab, a);
    // Invalid receipts are refused, not stored.
    assert!(a
        .add(Receipt {
            worker: String::new(),
            ..newer
        })
        .is_err());
    assert!(!a.remove_receipt("k3Vq9xZa", "李四").is_empty());
    assert!(a.remove_receipt("k3Vq9xZa", "李四").is_empty());
    assert_eq!(a.remove_assignment("zzzz9999").receipt_count(), 1);
    assert_eq!(a.receipt_count(), 1);
}

#[test]
fn table_sorts_by_status_then_name_and_lists_module_items() {
    let catalog = catalog();
    let a = assignment();
    let mut roster = Roster::new();
    roster.add_assignment(a.clone()).unwrap();
    let now = T0 + 5 * DAY;
    let done = finished_progress(&[]);
    let half = finished_progress(&["module:grid-governance", "case:fengqiao-jingyan"]);
    for (name, p) in [
        ("王芳", &done),
        ("李晓梅", &half),
        ("陈静", &Progress::new()),
        ("张伟", &done),
        ("=HYPERLINK(1)", &half),
    ] {
        roster
            .add(Receipt::from_progress(&a, name, p, &catalog, now).unwrap())
            .unwrap();
    }
    let mut table = roster.table("k3Vq9xZa").unwrap();
    assert_eq!(table.title, a.title);
    assert_eq!(table.due, Some(a.due));
    assert_eq!(table.columns.len(), 17);
    assert_eq!(table.columns.iter().filter(|c| c.assigned).count(), 3);
    assert_eq!(table.columns[0].item, r("module:new-secretary-starter"));
    assert_eq!(table.columns[1].item, r("workflow:sanhui-yike"));
    let order: Vec<(&str, String)> = table
        .rows
        .iter()
        .map(|r| (r.worker.as_str(), r.status.label()))
        .collect();
    assert_eq!(
        order,
        [
            ("张伟", "全部完成".to_string()),
            ("王芳", "全部完成".to_string()),
            ("=HYPERLINK(1)", "部分完成 15/17".to_string()),
            ("李晓梅", "部分完成 15/17".to_string()),
            ("陈静", "未开始".to_string()),
        ]
    );
    assert_eq!(table.counts(), (2, 2, 1));
    table.sort(SortKey::Name);
    assert_eq!(table.rows[0].worker, "=HYPERLINK(1)");
    let groups = roster.groups();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (groups[0].receipts, groups[0].complete, groups[0].known),
        (5, 2, true)
    );
    assert_eq!(roster.table("nothere"), None);
}

#[test]
fn table_without_the_assignment_is_built_from_receipts() {
    let mut roster = Roster::new();
    let mut r1 = simple_receipt("张三", T0 + DAY, &[true, true, true]);
    r1.items[1].assigned = false;
    let mut r2 = simple_receipt("李四", T0 + 2 * DAY, &[true, false, true]);
    r2.title = "读案例（新）".into();
    r2.items
        .insert(1, receipt_item("case:extra-one", false, None));
    roster.add(r1).unwrap();
    roster.add(r2).unwrap();
    let table = roster.table("k3Vq9xZa").unwrap();
    assert_eq!(table.title, "读案例（新）");
    assert_eq!(table.due, None);
    let cols: Vec<String> = table.columns.iter().map(|c| c.item.to_string()).collect();
    assert_eq!(
        cols,
        [
            "case:panjin-2018",
            "case:extra-one",
            "case:fengqiao-jingyan",
            "workflow:sanhui-yike"
        ]
    );
    // 张三's receipt does not list the extra item: not listed, so not complete.
    let zhang = table.rows.iter().find(|r| r.worker == "张三").unwrap();
    assert!(!zhang.cells[1].listed);
    assert_eq!(zhang.status, Overall::Partial { done: 3, total: 4 });
    let groups = roster.groups();
    assert_eq!(
        (groups[0].known, groups[0].title.as_str()),
        (false, "读案例（新）")
    );
}

#[test]
fn csv_has_bom_chinese_headers_and_defused_cells() {
    let catalog = catalog();
    let a = assignment();
    let mut roster = Roster::new();
    roster.add_assignment(a.clone()).unwrap();
    let now = T0 + 5 * DAY;
    let half = finished_progress(&["module:grid-governance", "case:fengqiao-jingyan"]);
    roster
        .add(Receipt::from_progress(&a, "=HYPERLINK(1)", &half, &catalog, now).unwrap())
        .unwrap();
    roster
        .add(Receipt::from_progress(&a, "陈静", &Progress::new(), &catalog, now).unwrap())
        .unwrap();
    let table = roster.table(&a.id).unwrap();
    let csv = table.csv(&catalog, 480).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &headers[..5],
        ["姓名", "总体状态", "已完成", "共计", "回执生成时间"]
    );
    assert_eq!(headers[5], "模块：新任社区党组织书记入门");
    assert_eq!(headers[6], "模块：新任社区党组织书记入门·自测最高分");
    assert_eq!(headers[7], "模块：新任社区党组织书记入门·自测通过");
    assert_eq!(headers[8], "流程：三会一课");
    assert_eq!(headers.len(), 5 + 17 + 3 * 2);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0][..5],
        [
            "'=HYPERLINK(1)",
            "部分完成 15/17",
            "15",
            "17",
            "2026-12-02 08:00"
        ]
    );
    assert_eq!(rows[0][6..8], ["90", "是"]);
    let grid = headers
        .iter()
        .position(|h| h == "模块：网格化治理与群众诉求")
        .unwrap();
    assert_eq!(rows[0][grid..grid + 3], ["未完成", "", ""]);
    assert_eq!(rows[1][..4], ["陈静", "未开始", "0", "17"]);
    assert!(rows
        .iter()
        .flatten()
        .all(|c| !c.starts_with(['=', '+', '-', '@'])));
    assert_eq!(
        table.file_name(now, 480),
        "学习回执-2026年冬季社区党组织书记轮训-2026-12-02.csv"
    );
}

#[test]
fn roster_json_round_trips_and_bad_data_is_an_error() {
    let catalog = catalog();
    let a = assignment();
    let mut roster = Roster::new();
    roster.add_assignment(a.clone()).unwrap();
    roster
        .add(
            Receipt::from_progress(&a, "张伟", &finished_progress(&[]), &catalog, T0 + 5 * DAY)
                .unwrap(),
        )
        .unwrap();
    roster
        .add(simple_receipt("李四", T0 + DAY, &[true, false, false]))
        .unwrap();
    let json = roster.to_json().unwrap();
    assert!(json.starts_with(r#"{"version":1,"#), "{json}");
    assert_eq!(Roster::from_json(&json), Ok(roster.clone()));

    assert!(matches!(
        Roster::from_json(""),
        Err(RosterError::Malformed(_))
    ));
    assert!(matches!(
        Roster::from_json(r#"{"version":"1"}"#),
        Err(RosterError::Malformed(_))
    ));
    assert!(matches!(
        Roster::from_json(r#"{"version":1,"receipts":[1]}"#),
        Err(RosterError::Malformed(_))
    ));
    assert_eq!(
        Roster::from_json(r#"{"version":7,"receipts":[]}"#),
        Err(RosterError::Version {
            found: 7,
            supported: 1
        })
    );
    let code = encode_receipt(&simple_receipt("李四", T0 + DAY, &[true, false, false])).unwrap();
    let tampered = format!(
        r#"{{"version":1,"receipts":["{code}","{}x{}"]}}"#,
        &code[..30],
        &code[31..]
    );
    let err = Roster::from_json(&tampered).unwrap_err();
    assert!(
        matches!(
            err,
            RosterError::Entry {
                kind: CodeKind::Receipt,
                number: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("培训记录中的第 2 份学习回执无法读取"),
        "{err}"
    );
    let swapped = format!(r#"{{"version":1,"assignments":["{code}"]}}"#);
    assert!(matches!(
        Roster::from_json(&swapped),
        Err(RosterError::Entry {
            source: DecodeError::WrongType { .. },
            ..
        })
    ));
}

// ---- taking in receipts (issue 14) ----------------------------------------------------------

/// A receipt of `worker` for assignment `id` listing `items` (cases), none done.
fn receipt_of(id: &str, worker: &str, created: u64, items: &[String]) -> Receipt {
    Receipt {
        assignment: id.into(),
        title: "【紧急】请全体学员重新登记".into(),
        worker: worker.into(),
        created,
        items: items
            .iter()
            .map(|i| receipt_item(&format!("case:{i}"), true, None))
            .collect(),
    }
}

#[test]
fn intake_says_what_would_happen_and_changes_nothing() {
    let now = T0 + 10 * DAY;
    let mut roster = Roster::new();
    let older = simple_receipt("张三", T0 + DAY, &[true, false, false]);
    let newer = simple_receipt("张三", T0 + 2 * DAY, &[true, true, false]);
    assert_eq!(roster.intake(&older, now), Intake::New);
    assert_eq!(roster.receipt_count(), 0, "intake alone adds nothing");
    assert_eq!(roster.take(older.clone(), now), Intake::New);
    assert_eq!(
        roster.intake(&newer, now),
        Intake::Replace { previous: T0 + DAY }
    );
    assert_eq!(roster.intake(&older, now), Intake::Same);
    assert_eq!(
        roster.take(newer.clone(), now),
        Intake::Replace { previous: T0 + DAY }
    );
    assert_eq!(
        roster.intake(&older, now),
        Intake::Older { kept: T0 + 2 * DAY }
    );
    assert_eq!(
        roster.take(older, now),
        Intake::Older { kept: T0 + 2 * DAY }
    );
    assert_eq!(roster.receipts("k3Vq9xZa").collect::<Vec<_>>(), [&newer]);
    // A receipt that does not validate is refused, with the validator's reason.
    let nameless = Receipt {
        worker: String::new(),
        ..newer
    };
    assert_eq!(
        roster.intake(&nameless, now),
        Intake::Refused(Refusal::Invalid(Invalid::Empty(Field::Worker)))
    );
}

#[test]
fn receipts_and_assignments_dated_ahead_are_refused() {
    let now = T0 + 10 * DAY;
    let mut roster = Roster::new();
    let real = simple_receipt("张三", T0 + DAY, &[true, false, false]);
    assert_eq!(roster.take(real.clone(), now), Intake::New);
    // 9999-12-31 would replace the real receipt for good.
    let forged = simple_receipt("张三", 253_402_214_400_000, &[true, true, true]);
    let refused = roster.take(forged, now);
    assert!(
        matches!(
            refused,
            Intake::Refused(Refusal::Ahead {
                kind: CodeKind::Receipt,
                ..
            })
        ),
        "{refused:?}"
    );
    let Intake::Refused(why) = refused else {
        unreachable!()
    };
    assert!(why.to_string().contains("晚了一天以上"), "{why}");
    assert_eq!(roster.receipts("k3Vq9xZa").collect::<Vec<_>>(), [&real]);
    // A day ahead is a clock or a time zone away: allowed. A moment more is not.
    let edge = simple_receipt("李四", now + MAX_AHEAD_MS, &[false, false, false]);
    assert_eq!(roster.intake(&edge, now), Intake::New);
    let past = simple_receipt("李四", now + MAX_AHEAD_MS + 1, &[false, false, false]);
    assert!(matches!(
        roster.intake(&past, now),
        Intake::Refused(Refusal::Ahead { .. })
    ));
    // An item completed far ahead is refused too.
    let mut item_ahead = simple_receipt("王五", now, &[true, false, false]);
    item_ahead.items[0].completed_at = Some(now + 2 * DAY);
    assert!(matches!(
        roster.intake(&item_ahead, now),
        Intake::Refused(Refusal::Ahead { .. })
    ));
    // A worker cannot accept an assignment dated ahead either.
    let a = Assignment {
        created: now + 2 * DAY,
        ..assignment()
    };
    let mut tasks = TaskList::new();
    assert!(matches!(
        tasks.accept(a.clone(), now),
        Err(Refusal::Ahead {
            kind: CodeKind::Assignment,
            ..
        })
    ));
    assert!(tasks.tasks().is_empty());
    assert_eq!(tasks.accept(Assignment { created: now, ..a }, now), Ok(()));
}

#[test]
fn a_name_with_an_invisible_character_never_decodes() {
    // 张‍三 (with a zero-width joiner) looks exactly like 张三.
    for fake in [
        "张\u{200D}三",
        "张三\u{200B}",
        "\u{202E}三张",
        "张\u{3164}三",
        "张\u{E0041}三",
    ] {
        let receipt = simple_receipt(fake, T0, &[true, false, false]);
        assert_eq!(
            encode_receipt(&receipt),
            Err(Invalid::Hidden(Field::Worker)),
            "{fake:?}"
        );
        let mut p = Vec::new();
        for s in ["abcd", "标题", fake] {
            string(&mut p, s);
        }
        varint(&mut p, T0);
        varint(&mut p, 1);
        p.push(1 | 8);
        string(&mut p, "panjin-2018");
        assert_eq!(
            decode_receipt(&hand_frame("DJR1", &p)),
            Err(DecodeError::Invalid {
                kind: CodeKind::Receipt,
                source: Invalid::Hidden(Field::Worker)
            }),
            "{fake:?}"
        );
        let a = Assignment {
            trainer: fake.into(),
            ..assignment()
        };
        assert_eq!(encode_assignment(&a), Err(Invalid::Hidden(Field::Trainer)));
        let a = Assignment {
            title: format!("通知{fake}"),
            ..assignment()
        };
        assert_eq!(encode_assignment(&a), Err(Invalid::Hidden(Field::Title)));
    }
}

#[test]
fn a_table_is_capped_in_rows_and_columns_and_replacing_still_works() {
    let now = T0 + 10 * DAY;
    let items: Vec<String> = (0..3).map(|i| format!("item-{i}")).collect();
    let mut roster = Roster::new();
    for w in 0..MAX_TABLE_ROWS {
        let intake = roster.take(receipt_of("k3Vq9xZa", &format!("w{w}"), T0, &items), now);
        assert_eq!(intake, Intake::New);
    }
    let one_more = receipt_of("k3Vq9xZa", "最后一人", T0, &items);
    let refused = roster.take(one_more, now);
    assert_eq!(
        refused,
        Intake::Refused(Refusal::TooManyRows {
            max: MAX_TABLE_ROWS
        })
    );
    assert!(refused_text(&refused).contains("表格已满"));
    // A worker already in the table can still send a newer receipt.
    assert_eq!(
        roster.take(receipt_of("k3Vq9xZa", "w7", T0 + DAY, &items), now),
        Intake::Replace { previous: T0 }
    );
    assert_eq!(roster.receipt_count(), MAX_TABLE_ROWS);

    // Columns: receipts that each list new items fill the table up to the cap, no further.
    let mut roster = Roster::new();
    let mut kept = 0;
    for w in 0..10 {
        let items: Vec<String> = (0..MAX_RECEIPT_ITEMS)
            .map(|j| format!("x{w}-{j}"))
            .collect();
        match roster.take(receipt_of("zzzz9999", &format!("w{w}"), T0, &items), now) {
            Intake::New => kept += 1,
            Intake::Refused(Refusal::TooManyColumns { columns, max }) => {
                assert_eq!(
                    (columns, max),
                    (
                        kept * MAX_RECEIPT_ITEMS + MAX_RECEIPT_ITEMS,
                        MAX_TABLE_COLUMNS
                    )
                )
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(kept, MAX_TABLE_COLUMNS / MAX_RECEIPT_ITEMS);
    let table = roster.table("zzzz9999").unwrap();
    assert!(table.columns.len() <= MAX_TABLE_COLUMNS);
    assert_eq!(table.hidden_columns, 0);
    // A receipt of the items already there still fits.
    let again: Vec<String> = (0..MAX_RECEIPT_ITEMS).map(|j| format!("x0-{j}")).collect();
    assert_eq!(
        roster.take(receipt_of("zzzz9999", "又一人", T0, &again), now),
        Intake::New
    );
}

fn refused_text(intake: &Intake) -> String {
    match intake {
        Intake::Refused(why) => why.to_string(),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn receipts_of_assignments_not_made_here_are_capped_and_marked() {
    let now = T0 + 10 * DAY;
    let items = vec!["panjin-2018".to_string()];
    let mut roster = Roster::new();
    roster.add_assignment(assignment()).unwrap();
    for n in 0..MAX_FOREIGN_ASSIGNMENTS {
        let id = format!("fake{n:04}");
        assert_eq!(
            roster.take(receipt_of(&id, "张三", T0, &items), now),
            Intake::New
        );
    }
    let refused = roster.take(receipt_of("fake9999", "张三", T0, &items), now);
    assert_eq!(
        refused,
        Intake::Refused(Refusal::TooManyForeign {
            max: MAX_FOREIGN_ASSIGNMENTS
        })
    );
    // Receipts of the assignment made here are not held back by them.
    let ours =
        Receipt::from_progress(&assignment(), "李四", &Progress::new(), &catalog(), now).unwrap();
    assert_eq!(roster.take(ours, now), Intake::New);
    let groups = roster.groups();
    assert_eq!(groups.iter().filter(|g| g.known).count(), 1);
    assert_eq!(
        groups.iter().filter(|g| !g.known).count(),
        MAX_FOREIGN_ASSIGNMENTS
    );
    let foreign = roster.table("fake0000").unwrap();
    assert!(!foreign.known);
    assert_eq!(foreign.title, "【紧急】请全体学员重新登记");
    assert!(roster.table(&assignment().id).unwrap().known);
}

#[test]
fn the_reviews_attack_is_kept_small() {
    // 300 receipts, each listing 120 items no other lists: once a 36,000-column table.
    let now = T0 + 10 * DAY;
    let mut text = String::new();
    for w in 0..300 {
        let items: Vec<String> = (0..MAX_RECEIPT_ITEMS)
            .map(|j| format!("x{w}-{j}"))
            .collect();
        text.push_str(
            &encode_receipt(&receipt_of("zzzz9999", &format!("w{w}"), T0, &items)).unwrap(),
        );
        text.push('\n');
    }
    let pasted = parse_many(&text).unwrap();
    assert_eq!(pasted.len(), 300);
    let mut roster = Roster::new();
    let kept = pasted
        .into_iter()
        .filter(|p| roster.take(p.result.clone().unwrap(), now).changes())
        .count();
    assert_eq!(kept, 1);
    let table = roster.table("zzzz9999").unwrap();
    assert!(table.columns.len() * table.rows.len() <= MAX_TABLE_COLUMNS * MAX_TABLE_ROWS);
    assert_eq!(table.columns.len(), MAX_RECEIPT_ITEMS);
}

#[test]
fn a_stored_roster_over_the_caps_loads_what_fits_and_lists_the_rest() {
    // Written by hand as an older version stored it: 3 receipts of 120 distinct items each.
    let codes: Vec<String> = (0..3)
        .map(|w| {
            let items: Vec<String> = (0..MAX_RECEIPT_ITEMS)
                .map(|j| format!("x{w}-{j}"))
                .collect();
            encode_receipt(&receipt_of("zzzz9999", &format!("w{w}"), T0, &items)).unwrap()
        })
        .collect();
    let json = format!(r#"{{"version":1,"receipts":{}}}"#, serde_json_list(&codes));
    let loaded = Roster::read_json(&json).unwrap();
    assert_eq!(loaded.roster.receipt_count(), 1);
    assert_eq!(loaded.left_out.len(), 2);
    assert!(matches!(
        loaded.left_out[0],
        RosterError::Refused {
            kind: CodeKind::Receipt,
            number: 2,
            source: Refusal::TooManyColumns { .. }
        }
    ));
    assert!(loaded.left_out[0]
        .to_string()
        .starts_with("培训记录中的第 2 份学习回执未载入"));
    // Read strictly, the same roster is an error.
    assert!(matches!(
        Roster::from_json(&json),
        Err(RosterError::Refused { .. })
    ));
}

fn serde_json_list(codes: &[String]) -> String {
    format!(
        "[{}]",
        codes
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(",")
    )
}

#[test]
fn any_receipt_or_assignment_can_be_removed_and_restored() {
    let now = T0 + 10 * DAY;
    let mut roster = Roster::new();
    roster.add_assignment(assignment()).unwrap();
    let zhang = simple_receipt("张三", T0 + DAY, &[true, false, false]);
    let li = simple_receipt("李四", T0 + DAY, &[true, true, true]);
    roster.take(zhang.clone(), now);
    roster.take(li.clone(), now);
    let before = roster.clone();

    let removed = roster.remove_receipt("k3Vq9xZa", "张三");
    assert_eq!(removed.receipt_count(), 1);
    assert_eq!(roster.receipt_count(), 1);
    roster.restore(removed);
    assert_eq!(roster, before);

    let removed = roster.remove_assignment("k3Vq9xZa");
    assert_eq!(removed.receipt_count(), 2);
    assert!(roster.is_empty());
    assert_eq!(roster.table("k3Vq9xZa"), None);
    roster.restore(removed);
    assert_eq!(roster, before);

    // A newer receipt that came in meanwhile is kept over the restored older one.
    let removed = roster.remove_receipt("k3Vq9xZa", "张三");
    let newer = simple_receipt("张三", T0 + 2 * DAY, &[true, true, true]);
    roster.take(newer.clone(), now);
    roster.restore(removed);
    assert!(roster.receipts("k3Vq9xZa").any(|r| *r == newer));
    // And the caps' bookkeeping followed every step: a stored copy reads back equal.
    assert_eq!(
        Roster::from_json(&roster.to_json().unwrap()),
        Ok(roster.clone())
    );
}

#[test]
fn tables_are_paged() {
    let now = T0 + 10 * DAY;
    let items = vec!["panjin-2018".to_string()];
    let mut roster = Roster::new();
    for w in 0..(2 * ROWS_PER_PAGE + 1) {
        roster.take(receipt_of("k3Vq9xZa", &format!("w{w:03}"), T0, &items), now);
    }
    let table = roster.table("k3Vq9xZa").unwrap();
    assert_eq!(table.pages(ROWS_PER_PAGE), 3);
    assert_eq!(table.page_rows(0, ROWS_PER_PAGE), 0..50);
    assert_eq!(table.page_rows(2, ROWS_PER_PAGE), 100..101);
    assert_eq!(
        table.page_rows(9, ROWS_PER_PAGE),
        100..101,
        "past the end is the last page"
    );
}

#[test]
fn a_task_code_of_a_newer_version_survives_a_save() {
    let now = T0 + DAY;
    let ours = encode_assignment(&assignment()).unwrap();
    let newer = format!("DJA2{}", &ours[4..]);
    let stored = format!(r#"["{newer}","{ours}"]"#);
    let mut list = TaskList::from_json(&stored).unwrap();
    assert_eq!(list.tasks(), [assignment()]);
    assert!(matches!(
        list.unreadable()[..],
        [DecodeError::UnsupportedVersion { version: 2, .. }]
    ));
    let other = Assignment {
        id: "other123".into(),
        ..assignment()
    };
    list.accept(other.clone(), now).unwrap();
    assert_eq!(list.remove(&assignment().id), Some(assignment()));
    let saved = list.to_json();
    assert!(saved.contains(&newer), "{saved}");
    let again = TaskList::from_json(&saved).unwrap();
    assert_eq!(again.tasks(), [other]);
    assert_eq!(again.unreadable().len(), 1);
}

/// The column order before issue 14 (quadratic): the reference the linear build must match.
fn reference_columns(known: Option<&Assignment>, receipts: &[Receipt]) -> Vec<Column> {
    let mut columns: Vec<Column> = known
        .map(|a| {
            a.items
                .iter()
                .map(|item| Column {
                    item: item.clone(),
                    assigned: true,
                })
                .collect()
        })
        .unwrap_or_default();
    for r in receipts {
        let mut after: Option<usize> = None;
        for i in &r.items {
            match columns
                .iter()
                .position(|c| c.item.kind == i.item.kind && c.item.id == i.item.id)
            {
                Some(p) => {
                    if known.is_none() && i.assigned {
                        columns[p].assigned = true;
                    }
                    after = Some(p);
                }
                None => {
                    let at = after.map_or(columns.len(), |p| p + 1);
                    columns.insert(
                        at,
                        Column {
                            item: i.item.clone(),
                            assigned: i.assigned && known.is_none(),
                        },
                    );
                    after = Some(at);
                }
            }
        }
    }
    columns
}

// ---- property tests -------------------------------------------------------------------------

fn text(pattern: &'static str, fallback: &'static str) -> impl Strategy<Value = String> {
    pattern.prop_map(move |s: String| {
        let t = s.trim().to_string();
        if t.is_empty() {
            fallback.to_string()
        } else {
            t
        }
    })
}

fn item_ref() -> impl Strategy<Value = Ref> {
    (
        prop::sample::select(Kind::ALL.to_vec()),
        "[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,4}",
    )
        .prop_map(|(kind, id)| Ref {
            kind,
            id,
            anchor: None,
        })
}

fn unique_refs(max: usize) -> impl Strategy<Value = Vec<Ref>> {
    prop::collection::vec(item_ref(), 1..=max).prop_map(|refs| {
        let mut seen = std::collections::BTreeSet::new();
        refs.into_iter()
            .filter(|r| seen.insert((r.kind, r.id.clone())))
            .collect()
    })
}

fn date() -> impl Strategy<Value = Date> {
    (2000u16..=2999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn timestamp() -> impl Strategy<Value = u64> {
    prop_oneof![MIN_TIMESTAMP..=MAX_TIMESTAMP, T0..T0 + 100 * DAY]
}

fn any_assignment() -> impl Strategy<Value = Assignment> {
    (
        "[A-Za-z0-9_-]{4,16}",
        text("[a-zA-Z0-9 \u{4e00}-\u{9fa5}（）“”，。😀-🙏]{1,60}", "标题"),
        text("[a-zA-Z \u{4e00}-\u{9fa5}·]{1,40}", "王老师"),
        text("[a-zA-Z0-9 \n\u{4e00}-\u{9fa5}，。！😀-🙏]{0,500}", ""),
        date(),
        timestamp(),
        unique_refs(MAX_ITEMS),
    )
        .prop_map(
            |(id, title, trainer, note, due, created, items)| Assignment {
                id,
                title,
                trainer,
                note,
                due,
                created,
                items,
            },
        )
}

fn any_receipt() -> impl Strategy<Value = Receipt> {
    (
        "[A-Za-z0-9_-]{4,16}",
        text("[a-zA-Z0-9 \u{4e00}-\u{9fa5}（）😀-🙏]{1,60}", "标题"),
        text("[a-zA-Z \u{4e00}-\u{9fa5}·]{1,40}", "张三"),
        timestamp(),
        unique_refs(MAX_RECEIPT_ITEMS),
        prop::collection::vec(
            (
                any::<bool>(),
                prop::option::of(timestamp()),
                prop::option::of((0u8..=100, any::<bool>())),
            ),
            MAX_RECEIPT_ITEMS,
        ),
    )
        .prop_map(
            |(assignment, title, worker, created, refs, facts)| Receipt {
                assignment,
                title,
                worker,
                created,
                items: refs
                    .into_iter()
                    .zip(facts)
                    .enumerate()
                    .map(|(n, (item, (assigned, completed_at, quiz)))| ReceiptItem {
                        assigned: assigned || n == 0,
                        completed_at,
                        quiz: quiz
                            .filter(|_| item.kind == Kind::Module)
                            .map(|(best, passed)| QuizScore { best, passed }),
                        item,
                    })
                    .collect(),
            },
        )
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn valid_assignments_round_trip_or_are_too_long(a in any_assignment()) {
        prop_assert_eq!(a.validate(), Ok(()));
        match encode_assignment(&a) {
            Ok(code) => {
                prop_assert!(code.len() <= MAX_CODE_CHARS);
                prop_assert_eq!(decode_assignment(&code), Ok(a.clone()));
                let link = assignment_link(BASE, &a).unwrap();
                prop_assert_eq!(parse_assignment(&link), Ok(a));
            }
            Err(e) => prop_assert!(matches!(e, Invalid::CodeTooLong { .. }), "{:?}", e),
        }
    }

    #[test]
    fn valid_receipts_round_trip_or_are_too_long(receipt in any_receipt()) {
        prop_assert_eq!(receipt.validate(), Ok(()));
        match encode_receipt(&receipt) {
            Ok(code) => {
                prop_assert_eq!(decode_receipt(&code), Ok(receipt.clone()));
                let text = receipt_text(&receipt).unwrap();
                prop_assert_eq!(parse_receipt(&text), Ok(receipt.clone()));
                let pasted = format!("{}\n\n{}", text, receipt_link(BASE, &receipt).unwrap());
                let found = parse_many(&pasted).unwrap();
                // The code of the text and of the link; anything else found is a code-like word
                // of the worker's name or the title (`DJRen`), shown as unreadable, never as a
                // receipt.
                let (read, other): (Vec<_>, Vec<_>) =
                    found.into_iter().partition(|p| p.result.is_ok());
                prop_assert_eq!(read.len(), 2);
                for p in read {
                    prop_assert_eq!(p.result, Ok(receipt.clone()));
                }
                for p in other {
                    prop_assert!(
                        receipt.worker.contains(&p.code) || receipt.title.contains(&p.code),
                        "{:?}",
                        p
                    );
                }
            }
            Err(e) => prop_assert!(matches!(e, Invalid::CodeTooLong { .. }), "{:?}", e),
        }
    }

    #[test]
    fn any_changed_character_is_refused(receipt in any_receipt(), at in any::<prop::sample::Index>(), to in "[A-Za-z0-9_-]") {
        if let Ok(code) = encode_receipt(&receipt) {
            let i = 4 + at.index(code.len() - 4);
            prop_assume!(code[i..=i] != to);
            let changed = format!("{}{}{}", &code[..i], to, &code[i + 1..]);
            prop_assert!(decode_receipt(&changed).is_err());
        }
    }

    #[test]
    fn every_cut_of_an_assignment_is_refused(a in any_assignment(), at in any::<prop::sample::Index>()) {
        if let Ok(code) = encode_assignment(&a) {
            let cut = at.index(code.len());
            prop_assert!(decode_assignment(&code[..cut]).is_err());
        }
    }

    #[test]
    fn roster_merge_is_order_independent(receipts in prop::collection::vec(
        (prop::sample::select(vec!["张三", "李四", "王五"]), 0u64..4, prop::collection::vec(any::<bool>(), 3)),
        0..8,
    )) {
        let all: Vec<Receipt> = receipts
            .into_iter()
            .map(|(w, t, done)| simple_receipt(w, T0 + DAY + t, &done))
            .collect();
        let mut forward = Roster::new();
        for r in &all {
            forward.add(r.clone()).unwrap();
        }
        let mut backward = Roster::new();
        for r in all.iter().rev() {
            backward.add(r.clone()).unwrap();
        }
        prop_assert_eq!(&forward, &backward);
        prop_assert_eq!(Roster::from_json(&forward.to_json().unwrap()), Ok(forward));
    }
}

/// Inputs that get past the first checks more often than random text does.
fn hostile() -> impl Strategy<Value = String> {
    let valid_receipt =
        encode_receipt(&simple_receipt("张三", T0 + DAY, &[true, false, true])).unwrap();
    let valid_assignment = encode_assignment(&assignment()).unwrap();
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..600)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "DJ[AR][0-9A-Z][A-Za-z0-9_-]{0,400}",
        "(.{0,20}(DJ[AR]1[A-Za-z0-9_-]{0,60})?[ \n#=]){0,8}",
        (
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            any::<bool>()
        )
            .prop_map(move |(edits, assignment)| {
                let mut bytes = if assignment {
                    valid_assignment.clone()
                } else {
                    valid_receipt.clone()
                }
                .into_bytes();
                for (at, b) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = b;
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }),
        // Valid frames around random payloads: reach the payload reader.
        (
            prop::sample::select(vec!["DJA1", "DJR1"]),
            prop::collection::vec(any::<u8>(), 0..300)
        )
            .prop_map(|(h, p)| hand_frame(h, &p)),
    ]
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn no_decoder_or_parser_panics(input in hostile()) {
        let _ = decode(&input);
        let _ = decode_assignment(&input);
        let _ = decode_receipt(&input);
        let _ = parse(&input);
        let _ = parse_assignment(&input);
        let _ = parse_receipt(&input);
        let _ = parse_many(&input);
        let _ = input.parse::<Date>();
        let _ = Roster::from_json(&input);
        let _ = Roster::from_json(&format!(r#"{{"version":1,"receipts":[{:?}],"assignments":[{:?}]}}"#, input, input));
        // Whatever decodes is valid and encodes again to a code that decodes the same.
        if let Ok(d) = decode(&input) {
            match d {
                AssignmentOrReceipt::Assignment(a) => prop_assert_eq!(decode_assignment(&encode_assignment(&a).unwrap()), Ok(a)),
                AssignmentOrReceipt::Receipt(r) => prop_assert_eq!(decode_receipt(&encode_receipt(&r).unwrap()), Ok(r)),
            }
        }
    }
}

#[test]
fn receipt_before_the_manifest_loads_lists_the_assigned_items() {
    // Before the manifest loads, modules cannot be expanded: only assigned items are listed.
    let receipt =
        Receipt::from_progress(&assignment(), "张三", &Progress::new(), &NoCatalog, T0).unwrap();
    assert_eq!(receipt.items.len(), 3);
}

proptest! {
    // QR encoding is slow in a debug build: fewer cases.
    #![proptest_config(config(150))]

    #[test]
    fn qr_never_panics_and_never_echoes_its_input(input in "[ -~\u{4e00}-\u{9fa5}]{0,400}|<script>[a-z]{0,10}") {
        if let Ok(svg) = qr_svg(&input) {
            prop_assert!(svg.starts_with("<?xml") && svg.ends_with("</svg>"));
            prop_assert!(!svg.contains("script"));
        }
        let _ = qr_version(&input);
    }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn the_linear_table_orders_columns_as_before(
        known in any::<bool>(),
        lists in prop::collection::vec(
            (prop::sample::subsequence((0..12).collect::<Vec<u8>>(), 1..8), any::<u64>()),
            1..8,
        ),
    ) {
        let a = Assignment {
            id: "k3Vq9xZa".into(),
            items: vec![r("case:item-3"), r("module:item-5")],
            ..assignment()
        };
        let receipts: Vec<Receipt> = lists
            .iter()
            .enumerate()
            .map(|(w, (items, seed))| {
                // Shuffle the subsequence by the seed, so receipts list items in other orders.
                let mut items = items.clone();
                let len = items.len();
                items.rotate_left((*seed as usize) % len);
                Receipt {
                    assignment: "k3Vq9xZa".into(),
                    title: "读案例".into(),
                    worker: format!("w{w}"),
                    created: T0,
                    items: items
                        .iter()
                        .enumerate()
                        .map(|(n, i)| ReceiptItem {
                            item: if i % 4 == 1 { r(&format!("module:item-{i}")) } else { r(&format!("case:item-{i}")) },
                            assigned: n == 0 || seed & (1 << n) != 0,
                            completed_at: None,
                            quiz: None,
                        })
                        .collect(),
                }
            })
            .collect();
        let mut roster = Roster::new();
        if known {
            roster.add_assignment(a.clone()).unwrap();
        }
        for receipt in &receipts {
            roster.add(receipt.clone()).unwrap();
        }
        // The roster keeps receipts by worker name, as the table reads them.
        let mut stored: Vec<Receipt> = roster.receipts("k3Vq9xZa").cloned().collect();
        stored.sort_by(|x, y| x.worker.cmp(&y.worker));
        let table = roster.table("k3Vq9xZa").unwrap();
        prop_assert_eq!(table.columns, reference_columns(known.then_some(&a), &stored));
    }
}

/// Found by `valid_receipts_round_trip_or_are_too_long`: a worker named `DJR` made the receipt's
/// own text read as two codes, the second broken.
#[test]
fn a_name_that_looks_like_a_marker_is_not_a_code() {
    let receipt = Receipt {
        assignment: "AaAA".into(),
        title: "一".into(),
        worker: "DJR".into(),
        created: 946_684_800_000,
        items: vec![ReceiptItem {
            item: Ref {
                kind: Kind::Case,
                id: "0".into(),
                anchor: None,
            },
            assigned: true,
            completed_at: None,
            quiz: None,
        }],
    };
    let text = receipt_text(&receipt).unwrap();
    let found = parse_many(&text).unwrap();
    assert_eq!(found.len(), 1, "{text}");
    assert_eq!(found[0].result, Ok(receipt));
}
