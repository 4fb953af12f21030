//! Markdown to safe HTML, and a scan of a body for the checker.
//!
//! Every pulldown-cmark option is set in [`options`], so the checker and the app read markdown the
//! same way. Raw HTML in a body is never passed through: block HTML becomes a code block and inline
//! HTML becomes inline code, so a `<script>` is shown as text. Links are rewritten: `case:id`
//! references become app routes, relative paths point into the item's folder, and any scheme other
//! than http, https and mailto is dropped (the link text stays).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::Ref;

/// The parser options used everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The anchor of a heading: its text with white space turned into `-`, ASCII letters lowercased
/// and punctuation (ASCII and Chinese) removed.
///
/// ```
/// use portal::content::markdown::slug;
/// assert_eq!(slug("一、街道“大部制”改革"), "一街道大部制改革");
/// assert_eq!(slug("Step 2: Review"), "step-2-review");
/// ```
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if c == '-' || c == '_' {
            out.push(c);
        } else if is_punctuation(c) {
            continue;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.trim_matches('-').to_string()
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x2010..=0x206F   // general punctuation: — … “ ” ‘ ’
            | 0x3000..=0x303F // CJK symbols and punctuation: 、。《》【】「」
            | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 // full-width
            | 0xFE30..=0xFE4F // CJK compatibility forms
            | 0x00B7 | 0x00A0..=0x00BF)
}

/// A heading found in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    /// 1-based line in the body.
    pub line: usize,
}

/// A link or image destination found in a body, with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkUse {
    pub dest: String,
    pub image: bool,
    pub line: usize,
    pub column: usize,
}

/// Raw HTML found in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawHtml {
    pub snippet: String,
    pub line: usize,
    pub column: usize,
}

/// What the checker needs to know about a body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkUse>,
    pub html: Vec<RawHtml>,
}

/// Maps byte offsets to 1-based (line, column-in-characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.text[start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        (line, col)
    }
}

/// A parser event with its byte range in the body.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// Events of a body with heading ids filled in (explicit `{#id}` or [`slug`], made unique).
fn events_with_anchors(md: &str) -> (Vec<Spanned<'_>>, Vec<(usize, Heading)>) {
    let mut events: Vec<_> = Parser::new_ext(md, options()).into_offset_iter().collect();
    let mut headings = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let (level, explicit) = (*level, id.clone());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit
                .map(|s| s.to_string())
                .unwrap_or_else(|| slug(&text));
            let anchor = match seen.get_mut(&base) {
                Some(n) => {
                    *n += 1;
                    format!("{base}-{n}")
                }
                None => {
                    seen.insert(base.clone(), 0);
                    base
                }
            };
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(anchor.clone()));
            }
            headings.push((
                events[i].1.start,
                Heading {
                    level: heading_level(level),
                    text: text.trim().to_string(),
                    anchor,
                    line: 0,
                },
            ));
            i = j;
        }
        i += 1;
    }
    (events, headings)
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Scans a body for headings, links, images and raw HTML, with 1-based positions.
pub fn scan(md: &str) -> Scan {
    let index = LineIndex::new(md);
    let (events, headings) = events_with_anchors(md);
    let mut scan = Scan {
        headings: headings
            .into_iter()
            .map(|(offset, mut h)| {
                h.line = index.position(offset).0;
                h
            })
            .collect(),
        ..Scan::default()
    };
    for (event, range) in &events {
        let (line, column) = index.position(range.start);
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => scan.links.push(LinkUse {
                dest: dest_url.to_string(),
                image: matches!(event, Event::Start(Tag::Image { .. })),
                line,
                column,
            }),
            Event::Html(h) | Event::InlineHtml(h) => {
                let snippet: String = h.trim().chars().take(40).collect();
                if !snippet.is_empty() {
                    scan.html.push(RawHtml {
                        snippet,
                        line,
                        column,
                    })
                }
            }
            _ => {}
        }
    }
    scan
}

/// What a link destination is, for rewriting and checking.
#[derive(Debug, PartialEq, Eq)]
pub enum Dest {
    Internal(Ref),
    External,
    Fragment,
    Relative,
    Unsafe,
}

/// Classifies a link destination.
///
/// ```
/// use portal::content::markdown::{classify, Dest};
/// assert_eq!(classify("https://www.gov.cn/"), Dest::External);
/// assert_eq!(classify("javascript:alert(1)"), Dest::Unsafe);
/// assert_eq!(classify("img/a.png"), Dest::Relative);
/// assert!(matches!(classify("case:panjin-2018"), Dest::Internal(_)));
/// ```
pub fn classify(dest: &str) -> Dest {
    let d = dest.trim();
    if Ref::looks_internal(d) {
        return match d.parse() {
            Ok(r) => Dest::Internal(r),
            Err(_) => Dest::Unsafe,
        };
    }
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        Dest::External
    } else if d.starts_with('#') {
        Dest::Fragment
    } else if d.contains(':') || d.starts_with("//") || d.starts_with('/') || d.contains('\\') {
        // A scheme (javascript:, data:, …) or a path outside the item's folder.
        Dest::Unsafe
    } else {
        Dest::Relative
    }
}

/// Renders a body to HTML that is safe to insert: raw HTML is shown as text, references become
/// routes, relative paths are resolved against `asset_base` (e.g. `/content/cases/`).
///
/// ```
/// let html = portal::content::markdown::render("# 标题\n\n<script>alert(1)</script>\n", "/");
/// assert!(html.contains(r#"<h1 id="标题">标题</h1>"#));
/// assert!(!html.contains("<script>"));
/// assert!(html.contains("&lt;script&gt;"));
/// ```
pub fn render(md: &str, asset_base: &str) -> String {
    let (events, _) = events_with_anchors(md);
    let mut dropped_links = Vec::new();
    let safe = events.into_iter().filter_map(|(event, _)| match event {
        Event::Html(h) => Some(Event::Text(h)),
        Event::InlineHtml(h) => Some(Event::Code(h)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
            CowStr::Borrowed(""),
        )))),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::CodeBlock)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => match rewrite(&dest_url, asset_base) {
            Some(dest) => {
                dropped_links.push(false);
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }))
            }
            None => {
                dropped_links.push(true);
                None
            }
        },
        Event::End(TagEnd::Link) => {
            if dropped_links.pop().unwrap_or(false) {
                None
            } else {
                Some(Event::End(TagEnd::Link))
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Image {
            link_type,
            dest_url: rewrite(&dest_url, asset_base).unwrap_or_default().into(),
            title,
            id,
        })),
        other => Some(other),
    });
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, safe);
    html
}

fn rewrite(dest: &str, asset_base: &str) -> Option<String> {
    match classify(dest) {
        Dest::Internal(r) => Some(r.href()),
        Dest::External | Dest::Fragment => Some(dest.trim().to_string()),
        Dest::Relative => Some(format!("{asset_base}{}", dest.trim())),
        Dest::Unsafe => None,
    }
}

/// The plain text of a markdown fragment (for summaries, search and read-aloud).
pub fn plain_text(md: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A part of a body that starts at a heading of the level asked for (or the part before the first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section<'a> {
    /// The heading text with its `#`s removed, `None` for the part before the first heading.
    pub heading: Option<&'a str>,
    /// 1-based line of the heading (or of the part's first line).
    pub line: usize,
    /// The lines after the heading, each with its 1-based line number.
    pub lines: Vec<(usize, &'a str)>,
}

/// Splits a body at headings of exactly `level` (`##` for 2), outside fenced code.
///
/// ```
/// let parts = portal::content::markdown::sections("引言\n## 第一步\n内容\n### 细节\n", 2);
/// assert_eq!(parts.len(), 2);
/// assert_eq!(parts[1].heading, Some("第一步"));
/// assert_eq!(parts[1].lines.len(), 2);
/// ```
pub fn sections(md: &str, level: usize) -> Vec<Section<'_>> {
    let marker = "#".repeat(level);
    let mut out = vec![Section {
        heading: None,
        line: 1,
        lines: Vec::new(),
    }];
    let mut fence: Option<&str> = None;
    for (i, line) in md.lines().enumerate() {
        let n = i + 1;
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if let Some(rest) = t.strip_prefix(marker.as_str()) {
            if rest.starts_with(' ') || rest.is_empty() {
                out.push(Section {
                    heading: Some(rest.trim().trim_end_matches('#').trim()),
                    line: n,
                    lines: Vec::new(),
                });
                continue;
            }
        }
        if let Some(last) = out.last_mut() {
            last.lines.push((n, line));
        }
    }
    out
}

/// Splits `标题 {#anchor}` into the title and its explicit anchor.
pub fn explicit_anchor(heading: &str) -> (&str, Option<&str>) {
    if let Some(open) = heading.rfind("{#") {
        if heading.ends_with('}') {
            let anchor = &heading[open + 2..heading.len() - 1];
            return (heading[..open].trim_end(), Some(anchor));
        }
    }
    (heading, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_inline_html_come_out_as_text() {
        let html = render(
            "段落<b onclick=\"x()\">粗</b>\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n",
            "/content/cases/",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<code>&lt;b onclick="), "{html}");
    }

    #[test]
    fn links_are_rewritten_and_unsafe_ones_dropped() {
        let html = render(
            "[盘锦](case:panjin-2018#街道大部制改革) [坏](javascript:alert(1)) [外](https://www.gov.cn/) ![图](img/a.png)",
            "/content/cases/",
        );
        assert!(
            html.contains(r#"<a href="/cases/panjin-2018#%E8%A1%97"#)
                || html.contains(r#"<a href="/cases/panjin-2018#街道大部制改革">"#),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("坏"), "link text is kept: {html}");
        assert!(html.contains(r#"href="https://www.gov.cn/""#), "{html}");
        assert!(html.contains(r#"src="/content/cases/img/a.png""#), "{html}");
    }

    #[test]
    fn tables_footnotes_and_heading_anchors() {
        let md = "# 一、背景\n\n## 做法 {#zuofa}\n\n## 做法\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n正文[^1]\n\n[^1]: 注释\n";
        let html = render(md, "/");
        assert!(html.contains(r#"<h1 id="一背景">"#), "{html}");
        assert!(html.contains(r#"<h2 id="zuofa">"#), "{html}");
        assert!(html.contains(r#"<h2 id="做法">"#), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn duplicate_headings_get_numbered_anchors() {
        let s = scan("## 做法\n\n## 做法\n");
        let anchors: Vec<_> = s.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["做法", "做法-1"]);
        assert_eq!(s.headings[1].line, 3);
    }

    #[test]
    fn scan_reports_positions() {
        let s = scan("第一行\n\n见[案例](case:x)和 <span>x</span>\n");
        assert_eq!(s.links.len(), 1);
        assert_eq!((s.links[0].line, s.links[0].column), (3, 2));
        assert_eq!(s.html[0].line, 3);
        assert_eq!(s.html[0].snippet, "<span>");
    }

    #[test]
    fn slug_handles_mixed_text() {
        assert_eq!(slug("  第 1 步：递交入党申请书  "), "第-1-步递交入党申请书");
        assert_eq!(slug("《条例》（试行）"), "条例试行");
        assert_eq!(slug("A—B"), "ab");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## 标题\n\n**粗体**和`代码`"),
            "标题\n粗体和代码"
        );
    }
}
