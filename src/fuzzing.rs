//! The properties the fuzz targets check (issue 14: untrusted input never runs, leaks or
//! freezes), one public function per target.
//!
//! `fuzz/fuzz_targets/<target>.rs` calls the function of the same name with libFuzzer's bytes
//! (`cargo +nightly fuzz run <target>`), and `tests/fuzz_corpus.rs` calls it with every file of the
//! committed corpus `fuzz/corpus/<target>/` on stable Rust, so CI replays what fuzzing found
//! without nightly. Each function panics when a property fails; that panic is the finding.
//! `docs/fuzzing.md` lists the targets, the commands and the figures of the last runs.
//!
//! Native only: the catalog is read from `content/` on disk, and fuzzing runs on the host.

use std::path::Path;
use std::sync::OnceLock;

use crate::assign::{
    self, Assignment, AssignmentOrReceipt, Date, QuizScore, Receipt, ReceiptItem, MAX_PASTE_CODES,
};
use crate::content::{markdown, Kind, Manifest, Ref};
use crate::progress::{import, storage_format, Event, NoCatalog, Payload, Progress};
use crate::search::index::{DocInput, Field, IndexBuilder, SearchIndex, ShardPlan};
use crate::search::query::{Answer, Filters, Hit, Ranking};

/// A fuzz target: its name (the folder of its corpus under `fuzz/corpus/`) and its properties.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets.
pub const TARGETS: [Target; 9] = [
    ("assign_codec", assign_codec),
    ("receipt_paste", receipt_paste),
    ("record_import", record_import),
    ("record_decode", record_decode),
    ("content_check", content_check),
    ("markdown_render", markdown_render),
    ("search_index", search_index),
    ("search_query", search_query),
    ("code_round_trip", code_round_trip),
];

/// Fuzz bytes as text: invalid UTF-8 is replaced, as a browser does with a pasted string.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

// ---- assignment and receipt codes -------------------------------------------------------------

/// Any text given to the code decoders: none panics, the three agree, and a code that decodes is
/// the one the encoder writes for what it decoded to (codes are canonical), so
/// `decode(encode(x)) == x` for every `x` a code can carry.
///
/// Input starting with `b'A'` or `b'R'` is a payload instead (after that byte): it is
/// framed as a code of that kind with a correct length and checksum, as in the codec's format
/// documentation, so the fuzzer reaches the payload reader instead of stopping at the checksum.
pub fn assign_codec(data: &[u8]) {
    let code = match data.split_first() {
        Some((&kind @ (b'A' | b'R'), payload)) => frame(kind, payload).into(),
        _ => text(data),
    };
    let decoded = assign::decode(&code);
    let as_assignment = assign::decode_assignment(&code);
    let as_receipt = assign::decode_receipt(&code);
    match &decoded {
        Ok(AssignmentOrReceipt::Assignment(a)) => {
            assert_eq!(as_assignment.as_ref(), Ok(a));
            assert!(as_receipt.is_err());
            let again = assign::encode_assignment(a).expect("a decoded assignment encodes");
            assert_eq!(again, code.trim(), "the code is not the canonical one");
            assert_eq!(assign::decode_assignment(&again).as_ref(), Ok(a));
        }
        Ok(AssignmentOrReceipt::Receipt(r)) => {
            assert_eq!(as_receipt.as_ref(), Ok(r));
            assert!(as_assignment.is_err());
            let again = assign::encode_receipt(r).expect("a decoded receipt encodes");
            assert_eq!(again, code.trim(), "the code is not the canonical one");
            assert_eq!(assign::decode_receipt(&again).as_ref(), Ok(r));
        }
        Err(e) => {
            assert!(as_assignment.is_err() && as_receipt.is_err());
            // Every refusal has a message to show.
            assert!(!e.to_string().is_empty());
        }
    }
}

/// `payload` framed as a code: header, then base64url of varint length, payload and CRC-32.
fn frame(kind: u8, payload: &[u8]) -> String {
    use base64::Engine as _;
    const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    let header = format!("DJ{}1", char::from(kind));
    let mut body = crate::varint::Writer::default();
    body.varint(payload.len() as u64);
    let mut body = body.bytes;
    body.extend_from_slice(payload);
    let mut crc = CRC32.digest();
    crc.update(header.as_bytes());
    crc.update(&body);
    body.extend_from_slice(&crc.finalize().to_be_bytes());
    format!(
        "{header}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&body)
    )
}

/// Reads fuzz bytes as the parts of a record.
struct Recipe<'a> {
    data: &'a [u8],
}

impl Recipe<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |v, _| (v << 8) | u64::from(self.byte()))
    }

    /// A timestamp, mostly within the limits a record accepts.
    fn time(&mut self) -> u64 {
        match self.byte() % 8 {
            0 => self.u64(),
            _ => 946_684_800_000 + self.u64() % 250_000_000_000_000,
        }
    }

    fn text(&mut self, max: usize) -> String {
        let len = usize::from(self.byte()) % (max + 1);
        let len = len.min(self.data.len());
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        String::from_utf8_lossy(head).into_owned()
    }

    /// An item id: mostly a real one, sometimes any text.
    fn item(&mut self) -> Ref {
        const IDS: [&str; 6] = [
            "panjin-2018",
            "sanhui-yike",
            "grid-governance",
            "hangzhou-wangma",
            "a",
            "x-1",
        ];
        let kind = Kind::ALL[usize::from(self.byte()) % 4];
        let b = self.byte();
        let id = if b < 200 {
            IDS[usize::from(b) % IDS.len()].to_string()
        } else {
            self.text(12)
        };
        Ref {
            kind,
            id,
            anchor: None,
        }
    }
}

/// Records built from fuzz bytes: every one the encoder accepts decodes to itself
/// (`decode(encode(x)) == x`), as a code, a link and a receipt's chat text.
pub fn code_round_trip(data: &[u8]) {
    let mut r = Recipe { data };
    if r.byte().is_multiple_of(2) {
        let a = Assignment {
            id: r.text(18),
            title: r.text(64),
            trainer: r.text(24),
            note: r.text(80),
            // 2000-01-01 and up to 977 years later, inside the dates a code carries.
            due: Date::from_days_since_epoch(10_957 + i64::from(r.byte()) * 1_400)
                .or_else(|| Date::new(2026, 12, 4))
                .expect("a date in range"),
            created: r.time(),
            items: (0..r.byte() % 8).map(|_| r.item()).collect(),
        };
        if let Ok(code) = assign::encode_assignment(&a) {
            assert_eq!(assign::decode_assignment(&code), Ok(a.clone()));
            let link = assign::assignment_link("https://dj.example.org/", &a)
                .expect("what encodes has a link");
            assert_eq!(assign::parse_assignment(&link), Ok(a));
        }
    } else {
        let n = r.byte() % 8;
        let created = r.time();
        let items = (0..n)
            .map(|_| {
                let flags = r.byte();
                ReceiptItem {
                    item: r.item(),
                    assigned: flags & 1 != 0,
                    completed_at: (flags & 2 != 0).then(|| r.time()),
                    quiz: (flags & 4 != 0).then(|| QuizScore {
                        best: r.byte() % 128,
                        passed: flags & 8 != 0,
                    }),
                }
            })
            .collect();
        let receipt = Receipt {
            assignment: r.text(18),
            title: r.text(64),
            worker: r.text(24),
            created,
            items,
        };
        if let Ok(code) = assign::encode_receipt(&receipt) {
            assert_eq!(assign::decode_receipt(&code), Ok(receipt.clone()));
            let chat = assign::receipt_text(&receipt).expect("what encodes has a chat text");
            assert_eq!(assign::parse_receipt(&chat), Ok(receipt.clone()));
            let pasted = assign::parse_many(&chat).expect("a chat text holds its code");
            assert_eq!(pasted.len(), 1);
            assert_eq!(pasted[0].result, Ok(receipt));
        }
    }
}

// ---- pasted chat text -------------------------------------------------------------------------

/// Any pasted text: [`assign::parse_many`] and the one-code parsers never panic; every code found
/// is a piece of the text, read exactly as [`assign::decode_receipt`] reads it on its own.
pub fn receipt_paste(data: &[u8]) {
    let pasted = text(data);
    match assign::parse_many(&pasted) {
        Ok(found) => {
            assert!(!found.is_empty() && found.len() <= MAX_PASTE_CODES);
            let mut from = 0;
            for p in &found {
                assert!(p.code.starts_with("DJA") || p.code.starts_with("DJR"));
                // In order, and each one a piece of what was pasted.
                let at = pasted[from..]
                    .find(p.code.as_str())
                    .expect("a found code is in the text");
                from += at + p.code.len();
                assert_eq!(p.result, assign::decode_receipt(&p.code));
                assert!(p.excerpt().chars().count() <= 13);
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let any = assign::parse(&pasted);
    let receipt = assign::parse_receipt(&pasted);
    let assignment = assign::parse_assignment(&pasted);
    match any {
        Ok(AssignmentOrReceipt::Receipt(r)) => assert_eq!(receipt, Ok(r)),
        Ok(AssignmentOrReceipt::Assignment(a)) => assert_eq!(assignment, Ok(a)),
        Err(_) => assert!(receipt.is_err() && assignment.is_err()),
    }
}

// ---- learning records -------------------------------------------------------------------------

/// The real catalog, read once from `content/` by the checker.
fn catalog() -> &'static Manifest {
    static CATALOG: OnceLock<Manifest> = OnceLock::new();
    CATALOG.get_or_init(|| {
        crate::site::check_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).manifest()
    })
}

/// A record already on the device: the import merges into it.
fn current_record() -> &'static Progress {
    static CURRENT: OnceLock<Progress> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let mut p = Progress::with_learner("d7f3c2");
        let item = |s: &str| s.parse::<Ref>().expect("a fixed reference");
        let events = [
            (
                "d7f3c2-1",
                Payload::Read {
                    item: item("case:panjin-2018"),
                },
            ),
            (
                "d7f3c2-2",
                Payload::Opened {
                    item: item("workflow:sanhui-yike"),
                },
            ),
        ];
        for (i, (id, payload)) in events.into_iter().enumerate() {
            let at = 1_764_000_000_000 + i as u64 * 60_000;
            let _ = p.record(Event::new(id, at, payload));
        }
        p
    })
}

/// Any file chosen for import: no panic; the preview's counts add up; merging is what the preview
/// said, commutes and is idempotent; the merged record exports to CSV.
pub fn record_import(data: &[u8]) {
    /// The importing device's clock: 2026-12-02, so events dated later than a day ahead are
    /// refused and the rest merged, both paths reachable.
    const NOW: u64 = 1_796_169_600_000;
    let current = current_record();
    for catalog in [catalog() as &dyn crate::progress::Catalog, &NoCatalog] {
        let Ok(preview) = import::preview_import(current, catalog, data, NOW) else {
            continue;
        };
        assert!(preview.new_events + preview.already_here <= preview.incoming);
        assert!(preview.skipped >= preview.problems.len());
        assert!(!preview.summary().is_empty());
        let merged = preview.apply_to(current);
        assert_eq!(merged.len(), current.len() + preview.new_events);
        assert_eq!(merged, preview.record().merge(current));
        assert_eq!(merged.merge(preview.record()), merged);
        // Nothing the learner had is lost or replaced.
        for e in current.events() {
            assert_eq!(merged.event(&e.id), Some(e));
        }
        crate::progress::export::csv(&merged, catalog, 480).expect("a merged record exports");
    }
}

/// Any stored text: [`storage_format::decode`] never panics, and what it reads writes back and
/// reads again as the same record, in both the compact and the export form.
pub fn record_decode(data: &[u8]) {
    let Ok(decoded) = storage_format::decode(&text(data)) else {
        return;
    };
    assert!(decoded.skipped >= decoded.problems.len());
    for json in [
        storage_format::encode(&decoded.progress).expect("a decoded record encodes"),
        storage_format::encode_pretty(&decoded.progress).expect("a decoded record encodes"),
    ] {
        let again = storage_format::decode(&json).expect("an encoded record decodes");
        assert!(again.is_clean(), "{json}");
        assert_eq!(again.schema, storage_format::SCHEMA);
        assert_eq!(again.progress, decoded.progress);
    }
}

// ---- content: front matter, checker, markdown --------------------------------------------------

/// The tag table of every checked folder (three of the real tags).
const TAGS_YAML: &str = "- id: urban-party-building\n  label: 城市基层党建\n- id: grid-governance\n  label: 网格化治理\n- id: public-demands\n  label: 群众诉求办理\n";

/// One content file checked by the real checker ([`crate::check::check`] on a content folder,
/// held in memory, of the tag table, the four kinds' folders and this file). The first byte
/// picks the kind's folder; the rest is the file, front matter and body. No panic; every
/// diagnostic points into the file; a file that passes becomes one manifest item whose body
/// renders to allow-listed HTML.
pub fn content_check(data: &[u8]) {
    use crate::check::tree::{ContentTree, Entry};
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(pick) % 4];
    let mut entries = vec![Entry::file("tags.yaml", TAGS_YAML)];
    entries.extend(Kind::ALL.map(|k| Entry::folder(k.folder())));
    entries.push(Entry::file(&format!("{}/item.md", kind.folder()), file));
    let checked = crate::check::check(&ContentTree::new("content", entries));
    // Lines end at \n, \r\n or a lone \r (as the checker counts them).
    let lines = String::from_utf8_lossy(file)
        .replace("\r\n", "\n")
        .matches(['\n', '\r'])
        .count()
        + 1;
    for d in &checked.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines + 1, "line {} of {lines}: {d:?}", d.line);
        assert!(!d.message.is_empty());
    }
    assert_eq!(checked.items.len(), 1);
    if checked.errors() == 0 {
        let manifest = checked.manifest();
        assert_eq!(manifest.items.len(), 1);
        let item = &manifest.items[0];
        assert!(crate::content::reference::is_valid_id(&item.id));
        assert_eq!(item.kind(), kind);
        let html = markdown::render(&checked.items[0].body, &kind.asset_base());
        if let Err(why) = allowed_html(&html) {
            panic!("{why}\n{html}");
        }
    }
}

/// Untrusted markdown through the public renderer: the HTML holds only allow-listed tags and
/// attributes, no script, event handler, inline style (beyond the table alignment the renderer
/// names) or `javascript:`/`data:`/`vbscript:` address. The other body readers do not panic.
pub fn markdown_render(data: &[u8]) {
    let md = text(data);
    let html = markdown::render(&md, "/content/cases/");
    if let Err(why) = allowed_html(&html) {
        panic!("{why}\n--- markdown ---\n{md}\n--- html ---\n{html}");
    }
    let _ = markdown::plain_text(&md);
    let scan = markdown::scan(&md);
    let lines = md.lines().count().max(1);
    for h in &scan.headings {
        assert!(h.line >= 1 && h.line <= lines + 1, "{h:?}");
    }
    for s in markdown::sections(&md, 2) {
        assert!(s.line >= 1);
    }
    let _ = crate::content::workflow::parse(&md);
    let _ = crate::content::quiz::parse(&md);
}

/// The tags the renderer may write, each with the attributes it may carry.
fn allowed_attributes(tag: &str) -> Option<&'static [&'static str]> {
    Some(match tag {
        "code" => &["class"],
        "p" | "blockquote" | "pre" | "ul" | "li" | "em" | "strong" | "del" | "hr" | "br"
        | "table" | "thead" | "tbody" | "tr" => &[],
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => &["id"],
        "th" | "td" => &["style"],
        "ol" => &["start"],
        "a" => &["href", "title"],
        "img" => &["src", "alt", "title"],
        "input" => &["type", "checked", "disabled"],
        "div" => &["class", "id"],
        "sup" => &["class"],
        _ => return None,
    })
}

/// Whether an attribute's (unescaped) value is one the allow-list accepts.
fn allowed_value(tag: &str, name: &str, value: &str) -> Result<(), String> {
    match name {
        "href" | "src" => {
            // What a browser would see: entities decoded, controls and spaces dropped, any case.
            let url: String = unescape(value)
                .chars()
                .filter(|c| !c.is_control() && !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            let scheme_end = url.find([':', '/', '?', '#']);
            if let Some(i) = scheme_end.filter(|&i| url[i..].starts_with(':')) {
                let scheme = &url[..i];
                if !matches!(scheme, "http" | "https" | "mailto") {
                    return Err(format!("<{tag} {name}> has the scheme {scheme}:"));
                }
            }
            Ok(())
        }
        "style" => match value {
            "text-align: left" | "text-align: center" | "text-align: right" => Ok(()),
            _ => Err(format!("<{tag}> has style=\"{value}\"")),
        },
        "class" => match (tag, value) {
            ("div", "footnote-definition")
            | ("sup", "footnote-definition-label" | "footnote-reference") => Ok(()),
            // A fenced block's language: one class, whatever the editor wrote after the fence.
            ("code", v)
                if v.strip_prefix("language-").is_some_and(|l| {
                    !l.is_empty() && !l.chars().any(|c| c.is_ascii_whitespace())
                }) =>
            {
                Ok(())
            }
            _ => Err(format!("<{tag}> has class=\"{value}\"")),
        },
        "type" => (value == "checkbox")
            .then_some(())
            .ok_or_else(|| format!("<{tag}> has type=\"{value}\"")),
        "checked" | "disabled" => value
            .is_empty()
            .then_some(())
            .ok_or_else(|| format!("<{tag} {name}> has a value")),
        "start" => value
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then_some(())
            .ok_or_else(|| format!("<{tag}> has start=\"{value}\"")),
        _ => Ok(()),
    }
}

/// The five entities pulldown-cmark writes, and numeric ones, decoded.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks rendered HTML against the allow-list: every `<` opens a known tag (text is escaped, so
/// a `<` in text means HTML got through), every attribute is allowed for its tag, double-quoted,
/// with an allowed value.
///
/// ```
/// use portal::fuzzing::allowed_html;
/// assert!(allowed_html(r#"<p><a href="https://x.org/">a</a> &lt;b&gt;</p>"#).is_ok());
/// assert!(allowed_html(r#"<h1 id="x" onclick="alert(1)">t</h1>"#).is_err());
/// assert!(allowed_html(r#"<a href="java&#x73;cript:x">a</a>"#).is_err());
/// assert!(allowed_html("<script>x</script>").is_err());
/// ```
pub fn allowed_html(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let tag = &html[start..i];
        let Some(attributes) = allowed_attributes(tag) else {
            return Err(format!(
                "unknown tag <{}>",
                html[start - 1..].chars().take(30).collect::<String>()
            ));
        };
        loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            match b.get(i) {
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') if b.get(i + 1) == Some(&b'>') && !closing => {
                    i += 2;
                    break;
                }
                None => return Err(format!("<{tag}> is not closed")),
                _ if closing => return Err(format!("</{tag}> has more in it")),
                _ => {}
            }
            let name_start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                i += 1;
            }
            let name = &html[name_start..i];
            if name.is_empty() {
                return Err(format!("<{tag}> has a stray character"));
            }
            if !attributes.contains(&name) {
                return Err(format!("<{tag}> has the attribute {name}"));
            }
            let value = if b.get(i) == Some(&b'=') {
                if b.get(i + 1) != Some(&b'"') {
                    return Err(format!("<{tag} {name}> is not double-quoted"));
                }
                let value_start = i + 2;
                let len = html[value_start..]
                    .find('"')
                    .ok_or_else(|| format!("<{tag} {name}> is not closed"))?;
                i = value_start + len + 1;
                &html[value_start..value_start + len]
            } else {
                ""
            };
            if value.contains(['<', '>']) {
                return Err(format!("<{tag} {name}> has an unescaped < or >"));
            }
            allowed_value(tag, name, value)?;
        }
    }
    Ok(())
}

// ---- search -----------------------------------------------------------------------------------

/// The documents of the small index the query target searches: Chinese, Latin words, pinyin keys,
/// kinds, regions and tags, and one Traditional-Chinese title.
fn search_docs() -> Vec<DocInput> {
    let docs = [
        (
            "case:panjin-2018",
            "盘锦社区体制改革",
            "case",
            "辽宁省",
            "street-reform",
            "社区党建中心开放，网格化治理与志愿服务。居民议事会每月召开。",
        ),
        (
            "workflow:sanhui-yike",
            "三会一课",
            "workflow",
            "",
            "party-leadership",
            "支部党员大会、支部委员会、党小组会和党课。xAPI 记录 2026 年。",
        ),
        (
            "community:hangzhou-wangma",
            "杭州望马社区",
            "community",
            "浙江省",
            "grid-governance",
            "在职党员进社区报到，群众诉求办理“接诉即办”。",
        ),
        (
            "module:grid-governance",
            "網格化治理與群眾訴求",
            "module",
            "北京市",
            "public-demands",
            "第一步：了解诉求。第二步：办理。Step 2: Review the case…",
        ),
        (
            "case:fengqiao-jingyan",
            "枫桥经验",
            "case",
            "浙江省",
            "grid-governance",
            "矛盾不上交，就地化解。的的的是是是一一一",
        ),
    ];
    docs.iter()
        .map(|&(key, title, kind, region, tag, body)| DocInput {
            key: key.into(),
            title: title.into(),
            kind: kind.into(),
            tags: vec![tag.into()],
            region: region.into(),
            parts: vec![
                (Field::Title, title.into()),
                (Field::Heading, "工作做法".into()),
                (Field::Body, body.into()),
            ],
            pinyin: crate::search::pinyin::keys(title, true),
        })
        .collect()
}

/// Built index files, each with its name: the root first, then the shards.
type Files = Vec<(String, Vec<u8>)>;

/// The query target's index twice: in one file, and split into many small shards.
fn search_indexes() -> &'static (SearchIndex, Files) {
    static INDEXES: OnceLock<(SearchIndex, Files)> = OnceLock::new();
    INDEXES.get_or_init(|| {
        let mut one = IndexBuilder::default();
        let mut split = IndexBuilder::default();
        for d in search_docs() {
            one.add(d.clone());
            split.add(d);
        }
        let one = one.build();
        let index = SearchIndex::from_bytes(&one.files[0].1).expect("the built index loads");
        let split = split.build_with(&ShardPlan {
            single_file_max: 0,
            term_shard_bytes: 64,
            docs_per_text_shard: 2,
        });
        (index, split.files)
    })
}

/// Answers `query` on a split index, fetching what it names until it is ready.
fn answer_split(files: &Files, query: &str, filters: &Filters) -> Vec<Hit> {
    let mut index = SearchIndex::from_bytes(&files[0].1).expect("the split root loads");
    for _ in 0..=files.len() {
        match index.answer(query, filters, &Ranking::default(), None) {
            Answer::Ready(results) => return results.hits,
            Answer::Need(names) => {
                assert!(!names.is_empty(), "asked for nothing");
                for name in names {
                    let (_, bytes) = files
                        .iter()
                        .find(|(n, _)| *n == name)
                        .unwrap_or_else(|| panic!("asked for {name}, which was not built"));
                    index.add_file(&name, bytes).expect("a built shard loads");
                }
            }
        }
    }
    panic!("the split index never answered {query:?}")
}

/// Checks a list of hits: real documents, each once, best first, with finite scores.
fn check_hits(index: &SearchIndex, hits: &[Hit]) {
    let mut seen = std::collections::HashSet::new();
    for w in hits.windows(2) {
        assert!(w[0].score >= w[1].score, "{hits:?}");
    }
    for h in hits {
        assert!((h.doc as usize) < index.len());
        assert!(h.score.is_finite() && h.score > 0.0, "{h:?}");
        assert!(seen.insert(h.doc), "{hits:?}");
    }
}

/// Any query (the first byte picks filters and a limit): no panic; hits are real documents, best
/// first; the split index, fetched shard by shard as it asks, gives the same hits as the one-file
/// index; every snippet is made of pieces of the document's text.
pub fn search_query(data: &[u8]) {
    let (pick, query) = match data.split_first() {
        Some((&p, rest)) => (p, text(rest)),
        None => (0, text(data)),
    };
    let (index, split) = search_indexes();
    let filters = Filters {
        kind: (pick & 1 != 0).then(|| "case".into()),
        tag: (pick & 2 != 0).then(|| "grid-governance".into()),
        region: (pick & 4 != 0).then(|| "浙江省".into()),
    };
    let limit = (pick & 8 != 0).then_some(usize::from(pick >> 4));
    let hits = match index.answer(&query, &filters, &Ranking::default(), None) {
        Answer::Ready(r) => {
            assert_eq!(r.unverified, 0);
            r.hits
        }
        Answer::Need(n) => panic!("a one-file index needs {n:?}"),
    };
    check_hits(index, &hits);
    if let Answer::Ready(r) = index.answer(&query, &filters, &Ranking::default(), limit) {
        check_hits(index, &r.hits);
    }
    let docs = |hits: &[Hit]| hits.iter().map(|h| h.doc).collect::<Vec<_>>();
    let split_hits = answer_split(split, &query, &filters);
    assert_eq!(
        docs(&split_hits),
        docs(&hits),
        "split and one-file indexes differ"
    );
    for h in &hits {
        let doc = index.doc(h.doc).expect("a one-file index has every text");
        let flat = doc.text.replace('\n', " ");
        for s in index.snippet(h.doc, &query, 40) {
            let piece = s.text.trim_start_matches('…').trim_end_matches('…');
            assert!(flat.contains(piece), "{piece:?} is not in {flat:?}");
        }
    }
}

/// Any bytes as the search index's root, and as each kind of shard of a real split index: no
/// panic, and an index that loads answers queries, names what it lacks and snippets without
/// panicking.
pub fn search_index(data: &[u8]) {
    const QUERIES: [&str; 5] = ["党建", "社", "xapi", "dangjian", "网格 治理"];
    let exercise = |index: &SearchIndex| {
        let _ = index.loaded();
        let _ = index.missing_terms(0..index.term_shard_count().min(64));
        let _ = index.missing_texts(0..(index.len() as u32).min(64));
        for q in QUERIES {
            for limit in [None, Some(1)] {
                if let Answer::Ready(r) =
                    index.answer(q, &Filters::default(), &Ranking::default(), limit)
                {
                    for h in r.hits.iter().take(4) {
                        assert!((h.doc as usize) < index.len());
                        let _ = index.snippet(h.doc, q, 30);
                    }
                }
            }
        }
    };
    if let Ok(index) = SearchIndex::from_bytes(data) {
        exercise(&index);
    }
    // Each kind of shard: the real split index with every other file loaded, and this one.
    let (_, split) = search_indexes();
    for kind in ['p', 't'] {
        let Some((name, _)) = split[1..].iter().find(|(n, _)| n.starts_with(kind)) else {
            continue;
        };
        let mut index = SearchIndex::from_bytes(&split[0].1).expect("the split root loads");
        for (other, bytes) in split[1..].iter().filter(|(n, _)| n != name) {
            index.add_file(other, bytes).expect("a built shard loads");
        }
        if index.add_file(name, data).is_ok() {
            exercise(&index);
        }
    }
}
