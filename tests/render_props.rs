//! The markdown renderer against markdown-like input an attacker could write: headings with `{…}`
//! blocks, links of every scheme with entity and white-space tricks, autolinks, footnotes, tables,
//! raw HTML and images. Its output is read with a real HTML5 parser (`scraper`, on html5ever, as
//! a browser would read it) and must hold only allowed elements, attributes, URLs and ids.
//!
//! `PROPTEST_CASES=5000 cargo test --test render_props` runs longer.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use portal::content::markdown::{
    allowed_attributes, is_reserved_id, render, ALLOWED_CLASSES, ALLOWED_TAGS,
};
use portal::content::rendered::RenderedBody;
use portal::content::Kind;
use proptest::prelude::*;
use scraper::node::Node;
use scraper::Html;

/// Whether a URL may stay, judged as a browser reads it (independently of the renderer's own
/// check): leading and trailing control characters and spaces dropped, tabs and newlines removed
/// anywhere, `\` read as `/`. Links may be http(s), mailto, a path on this site or a fragment;
/// images only a path on this site.
fn url_ok(value: &str, image: bool) -> bool {
    let v: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = v.to_ascii_lowercase();
    if let Some(colon) = lower.find(':') {
        let scheme = &lower[..colon];
        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme {
            return !image && ["http", "https", "mailto"].contains(&scheme);
        }
    }
    let path = v.replace('\\', "/");
    !path.starts_with("//") && (path.starts_with('/') || (!image && path.starts_with('#')))
}

/// Checks rendered HTML as parsed by html5ever: no element outside [`ALLOWED_TAGS`], no attribute
/// outside [`allowed_attributes`], no class outside [`ALLOWED_CLASSES`], no URL outside
/// [`url_ok`], no reserved id, no id twice, no comment. `ids` collects the ids seen.
pub fn check_allowed(html: &str, ids: &mut HashSet<String>) -> Result<(), String> {
    let doc = Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Element(e) => {
                let tag = e.name();
                // The fragment's own root and its context element, which the parser adds (a
                // `<html>` or `<body>` tag in the input is never an element of the fragment).
                let top = node.ancestors().all(|a| {
                    !a.value().is_element()
                        || a.value().as_element().is_some_and(|e| e.name() == "html")
                });
                if top && (tag == "html" || tag == "body") {
                    continue;
                }
                if !ALLOWED_TAGS.contains(&tag) {
                    return Err(format!("element <{tag}> in {html}"));
                }
                for (name, value) in e.attrs() {
                    if !allowed_attributes(tag).contains(&name) {
                        return Err(format!("attribute {name} on <{tag}> in {html}"));
                    }
                    match name {
                        "href" | "src" if !url_ok(value, name == "src") => {
                            return Err(format!("{name}=\"{value}\" in {html}"));
                        }
                        "id" if is_reserved_id(value) => {
                            return Err(format!("reserved id \"{value}\" in {html}"));
                        }
                        "id" if !ids.insert(value.to_string()) => {
                            return Err(format!("id \"{value}\" twice in {html}"));
                        }
                        "class" => {
                            let allowed = ALLOWED_CLASSES
                                .iter()
                                .find(|(t, _)| *t == tag)
                                .map(|(_, c)| *c)
                                .unwrap_or(&[]);
                            if let Some(c) = value.split_whitespace().find(|c| !allowed.contains(c))
                            {
                                return Err(format!("class \"{c}\" on <{tag}> in {html}"));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Node::Comment(c) => return Err(format!("comment {:?} in {html}", &**c)),
            Node::Doctype(_) | Node::ProcessingInstruction(_) => {
                return Err(format!("markup declaration in {html}"))
            }
            Node::Document | Node::Fragment | Node::Text(_) => {}
        }
    }
    Ok(())
}

/// Every way the review found, and a few more, to say "run this": schemes in any case, with
/// entities, white space and control characters, and hosts.
const DESTINATIONS: &[&str] = &[
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&#10;script:alert(1)",
    "java\\tscript:alert(1)",
    "jav&#x0D;ascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x.png",
    "/\\evil.example/x.png",
    "\\\\evil.example\\x.png",
    "https://www.gov.cn/",
    "HTTP://www.gov.cn/",
    "http://evil.example/x.png",
    "mailto:a@b.cn",
    "a@b.cn",
    "case:panjin-2018",
    "case:panjin-2018#main",
    "workflow:x#step-1",
    "case:../../x",
    "#main",
    "#prerender",
    "#fn-1",
    "img/a.png",
    "img/../../x.png",
    "../x.png",
    "%2e%2e/x.png",
    "/content/x.png",
    "",
    "<javascript:alert(1)>",
    "x\" onmouseover=\"alert(1)",
];

/// Ids a `{#…}` block or a heading's text might try to take.
const IDS: &[&str] = &[
    "main",
    "prerender",
    "app",
    "site-search",
    "quiz",
    "step-1",
    "q1",
    "q1-text",
    "question-q1",
    "result-0",
    "fn-1",
    "h-main",
    "Main",
    "zuofa",
    "做法",
    "a b",
    "a%b",
    "",
    "x\"y",
];

const ATTRIBUTES: &[&str] = &[
    ".app-failed",
    ".sw-update",
    "tabindex=0",
    "autofocus",
    "onfocus=alert(1)",
    "onmouseover=\"alert(1)\"",
    "style=position:fixed;inset:0;background:url(https://evil.example/x.png)",
    "id=main",
    "class=app-failed",
    "hidden",
    "data-route=/",
];

const RAW_HTML: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<style>body{display:none}</style>",
    "<!-- comment -->",
    "<b onclick=\"x()\">粗</b>",
    "<div id=\"main\" class=\"app-failed\">",
    "</div>",
    "<input autofocus onfocus=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(list).prop_map(str::to_string)
}

/// Short text, Chinese and ASCII, with a few markdown characters.
fn words() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 做法背景第步、。*_`\\-]{0,12}"
}

fn heading() -> impl Strategy<Value = String> {
    (
        1..=6usize,
        prop_oneof![words(), pick(IDS)],
        proptest::option::of(pick(IDS)),
        proptest::collection::vec(pick(ATTRIBUTES), 0..3),
    )
        .prop_map(|(level, text, id, attrs)| {
            let mut block: Vec<String> = id.map(|i| format!("#{i}")).into_iter().collect();
            block.extend(attrs);
            let block = if block.is_empty() {
                String::new()
            } else {
                format!(" {{{}}}", block.join(" "))
            };
            format!("{} {text}{block}", "#".repeat(level))
        })
}

fn link() -> impl Strategy<Value = String> {
    (words(), pick(DESTINATIONS), 0..6u8).prop_map(|(text, dest, form)| match form {
        0 => format!("[{text}]({dest})"),
        1 => format!("[{text}](<{dest}> \"标题\")"),
        2 => format!("![{text}]({dest})"),
        3 => format!("[{text}][r]\n\n[r]: {dest}"),
        4 => format!("<{dest}>"),
        _ => format!("![{text}][r]\n\n[r]: <{dest}>"),
    })
}

fn footnote() -> impl Strategy<Value = String> {
    (pick(IDS), words()).prop_map(|(label, text)| format!("正文[^{label}]\n\n[^{label}]: {text}"))
}

fn table() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(pick(&[":--", "--:", ":-:", "---"]), 1..4),
        words(),
    )
        .prop_map(|(aligns, cell)| {
            let n = aligns.len();
            format!(
                "|{}|\n|{}|\n|{}|",
                vec!["a"; n].join("|"),
                aligns.join("|"),
                vec![cell.as_str(); n].join("|")
            )
        })
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        heading(),
        link(),
        footnote(),
        table(),
        pick(RAW_HTML),
        (words(), pick(RAW_HTML)).prop_map(|(w, h)| format!("{w}{h}{w}")),
        (pick(ATTRIBUTES), words()).prop_map(|(info, w)| format!("```{info}\n{w}\n```")),
        words().prop_map(|w| format!("- [x] {w}\n- [ ] {w}")),
        words().prop_map(|w| format!("> {w}\n> - {w}")),
        words().prop_map(|w| format!("3. *{w}* **{w}** ~~{w}~~")),
        ".{0,40}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec((block(), pick(&["\n\n", "\n", " "])), 1..10).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(b, sep)| format!("{b}{sep}"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn rendered_bodies_hold_only_allowed_markup(md in document()) {
        let html = render(&md, "/content/cases/");
        let mut ids = HashSet::new();
        if let Err(e) = check_allowed(&html, &mut ids) {
            return Err(TestCaseError::fail(format!("{e}\nmarkdown: {md:?}")));
        }
    }

    /// A workflow's page: its introduction, each step's `<li id>` and each description share
    /// one set of ids; none is reserved or repeated.
    #[test]
    fn workflow_pages_hold_only_allowed_markup_and_unique_ids(
        intro in document(),
        steps in proptest::collection::vec((heading(), document()), 0..4),
    ) {
        let mut md = intro;
        for (h, body) in &steps {
            let title = h.trim_start_matches('#');
            md.push_str(&format!("\n\n##{title}\n- 责任人：书记\n{body}\n"));
        }
        let rendered = RenderedBody::render(Kind::Workflow, &md);
        let mut ids = HashSet::new();
        let mut check = |html: &str| check_allowed(html, &mut ids)
            .map_err(|e| TestCaseError::fail(format!("{e}\nmarkdown: {md:?}")));
        check(&rendered.html)?;
        for step in &rendered.steps {
            check(&format!("<h2 id=\"{}\">x</h2>", step.anchor.replace('"', "&quot;")))?;
            check(&step.description)?;
        }
    }
}

/// The review's payloads, one by one.
#[test]
fn the_reviews_payloads_are_rendered_harmless() {
    let cases = [
        (
            "## 做法 {#zuofa tabindex=0 autofocus onfocus=alert(1)}",
            "<h2 id=\"zuofa\">做法</h2>\n",
        ),
        (
            "## 遮罩 {style=position:fixed;inset:0;background:url(https://evil.example/x.png)}",
            "<h2 id=\"遮罩\">遮罩</h2>\n",
        ),
        ("## 借用 {.app-failed}", "<h2 id=\"借用\">借用</h2>\n"),
        ("## 正文 {#main}", "<h2 id=\"正文\">正文</h2>\n"),
        ("## 容器 {#prerender}", "<h2 id=\"容器\">容器</h2>\n"),
        ("## main", "<h2 id=\"h-main\">main</h2>\n"),
        ("![外部](https://evil.example/x.png)", "<p>外部</p>\n"),
        ("<a@b.c>", "<p><a href=\"mailto:a@b.c\">a@b.c</a></p>\n"),
        ("[上级](../x.png)", "<p>上级</p>\n"),
    ];
    for (md, expected) in cases {
        let html = render(md, "/content/cases/");
        assert_eq!(html, expected, "{md}");
        check_allowed(&html, &mut HashSet::new()).unwrap();
    }
}

#[test]
fn the_checker_of_this_file_catches_what_it_should() {
    let mut ids = HashSet::new();
    for bad in [
        "<script>x</script>",
        "<p onclick=\"x\">a</p>",
        "<a href=\"java\tscript:x\">a</a>",
        "<a href=\" JAVASCRIPT:x\">a</a>",
        "<a href=\"//evil.example\">a</a>",
        "<a href=\"/\\evil.example\">a</a>",
        "<img src=\"https://evil.example/x.png\">",
        "<h2 id=\"main\">a</h2>",
        "<sup class=\"app-failed\">1</sup>",
        "<!-- x -->",
    ] {
        assert!(check_allowed(bad, &mut ids).is_err(), "{bad}");
    }
    check_allowed("<h2 id=\"a\">a</h2>", &mut ids).unwrap();
    assert!(check_allowed("<h2 id=\"a\">a</h2>", &mut ids).is_err());
}

/// Every literal id the app, the prerendered page, the shell and its scripts give an element is
/// reserved, so a heading can never take it. A new `id="…"` in those files fails here until it
/// is added to `RESERVED_IDS` (or `RESERVED_ID_PREFIXES`) in src/content/markdown.rs.
#[test]
fn every_id_the_app_uses_is_reserved() {
    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "js" || e == "html" || e == "css")
            {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    for dir in ["src/app", "public", "style"] {
        files(Path::new(dir), &mut paths);
    }
    paths.push("src/site/prerender.rs".into());
    paths.push("index.html".into());
    let mut found = Vec::new();
    for path in &paths {
        let text = fs::read_to_string(path).unwrap();
        for marker in [
            "id=\"",
            "id=\\\"",
            "get_element_by_id(\"",
            "getElementById('",
            "getElementById(\"",
            "querySelector('#",
            "querySelector(\"#",
        ] {
            for (at, _) in text.match_indices(marker) {
                let rest = &text[at + marker.len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                // A formatted id (`step-{n}`) is checked through its literal start below.
                let next = rest[id.len()..].chars().next();
                if !id.is_empty() && next != Some('{') {
                    found.push((path.display().to_string(), id));
                }
            }
        }
    }
    assert!(found.iter().any(|(_, id)| id == "main"), "{found:?}");
    for (path, id) in &found {
        assert!(is_reserved_id(id), "{path}: id \"{id}\" is not reserved");
    }
    // The numbered ids: a workflow's tick boxes, a module's questions, search results.
    for id in [
        "step-1",
        "step-12",
        "question-q1",
        "q1-text",
        "q3-0",
        "result-0",
    ] {
        assert!(is_reserved_id(id), "{id}");
    }
}
