//! Markdown to safe HTML, and a scan of a body for the checker.
//!
//! Every pulldown-cmark option is set in [`options`], so the checker and the app read markdown the
//! same way. Raw HTML in a body is never passed through: block HTML becomes a code block and inline
//! HTML becomes inline code, so a `<script>` is shown as text. Links are rewritten: `case:id`
//! references become app routes, relative paths point into the item's folder, and any scheme other
//! than http, https and mailto is dropped (the link text stays).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

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

/// The most characters an explicit anchor (`{#…}`) may have.
pub const MAX_ID_CHARS: usize = 64;

/// Ids the app and the prerendered page give their own elements (`id="main"`, the container the
/// app takes over, headings of its own sections). A heading in a body must never get one of these:
/// a second `id="main"` or `id="prerender"` would take over the skip link or the app's start.
/// `tests/render_props.rs` greps the app's sources for `id="…"` and fails when one is missing here.
pub const RESERVED_IDS: &[&str] = &[
    "app",
    "cases-heading",
    "content",
    "continue-heading",
    "export-heading",
    "main",
    "module-items",
    "modules-heading",
    "name-heading",
    "new-heading",
    "prerender",
    "quiz",
    "quiz-heading",
    "receipts-heading",
    "search",
    "site-search",
    "sources-heading",
    "steps-heading",
    "tables-heading",
    "tasks-heading",
    "timeline-heading",
    "top",
    "totals-heading",
];

/// Beginnings of ids the app numbers itself: a workflow's tick boxes (`step-1`), a module's
/// questions (`question-q1`) and search results (`result-0`).
pub const RESERVED_ID_PREFIXES: &[&str] = &["step-", "question-", "result-"];

/// What the renderer puts before a heading's anchor that would otherwise be reserved or a
/// footnote's (`## main` gets `h-main`). No reserved id starts with it.
pub const ESCAPED_ID_PREFIX: &str = "h-";

/// What every footnote's id starts with (`fn-1`); headings never get such an id.
pub const FOOTNOTE_ID_PREFIX: &str = "fn-";

/// Whether the app or the prerendered page uses `id` for an element of its own: the names in
/// [`RESERVED_IDS`], the numbered ids of [`RESERVED_ID_PREFIXES`], and a module's question ids
/// (`q1`, `q1-text`, `q1-0`). Compared without regard to ASCII case.
///
/// ```
/// use portal::content::markdown::is_reserved_id;
/// assert!(is_reserved_id("main"));
/// assert!(is_reserved_id("Prerender"));
/// assert!(is_reserved_id("step-3"));
/// assert!(is_reserved_id("q2-text"));
/// assert!(is_reserved_id("backups-heading"));
/// assert!(!is_reserved_id("做法"));
/// assert!(!is_reserved_id("h-main"));
/// ```
pub fn is_reserved_id(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    // Every section heading of the app's own pages is `<name>-heading`, so new ones are reserved
    // without a change here.
    if RESERVED_IDS.contains(&id.as_str())
        || RESERVED_ID_PREFIXES.iter().any(|p| id.starts_with(p))
        || id.ends_with("-heading")
    {
        return true;
    }
    // A question's id is `q` and its number; its text and choices add `-text` and `-0`, `-1`, ….
    id.strip_prefix('q').is_some_and(|rest| {
        let number = rest.split('-').next().unwrap_or_default();
        !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A character an explicit anchor may have: ASCII letters and digits, `-`, `_`, and Chinese
/// characters (CJK unified ideographs, extension A and the compatibility block).
fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '-'
        || c == '_'
        || matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Why an explicit anchor (`## 标题 {#anchor}`) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    #[error("锚点“{0}”不可用：只能由英文字母、数字、-、_ 或汉字组成，最长 64 个字符")]
    Malformed(String),
    #[error("锚点“{0}”是网站页面自身使用的名称，请换一个")]
    Reserved(String),
    #[error("锚点“{0}”不可用：以 fn- 开头的锚点留给脚注，请换一个")]
    Footnote(String),
}

/// Checks an explicit anchor: the allowed characters, at most [`MAX_ID_CHARS`], not reserved
/// ([`is_reserved_id`]) and not a footnote's.
///
/// ```
/// use portal::content::markdown::{explicit_id_problem, IdProblem};
/// assert_eq!(explicit_id_problem("zuofa"), None);
/// assert_eq!(explicit_id_problem("做法-2"), None);
/// assert_eq!(explicit_id_problem("main"), Some(IdProblem::Reserved("main".into())));
/// assert!(matches!(explicit_id_problem("a b"), Some(IdProblem::Malformed(_))));
/// ```
pub fn explicit_id_problem(id: &str) -> Option<IdProblem> {
    let count = id.chars().count();
    if count == 0 || count > MAX_ID_CHARS || !id.chars().all(is_id_char) {
        Some(IdProblem::Malformed(id.to_string()))
    } else if is_reserved_id(id) {
        Some(IdProblem::Reserved(id.to_string()))
    } else if id.to_ascii_lowercase().starts_with(FOOTNOTE_ID_PREFIX) {
        Some(IdProblem::Footnote(id.to_string()))
    } else {
        None
    }
}

/// Hands out the anchors of one page's headings in document order: the explicit anchor when
/// [`explicit_id_problem`] finds nothing wrong with it, otherwise the [`slug`] of the text; one
/// that is reserved or a footnote's gets [`ESCAPED_ID_PREFIX`]; a repeated one gets `-1`, `-2`, ….
/// The checker's scan and the renderer use it alike, so a link checked against the scan finds the
/// same id on the page.
///
/// ```
/// use portal::content::markdown::Anchors;
/// let mut a = Anchors::default();
/// assert_eq!(a.assign(None, "做法"), "做法");
/// assert_eq!(a.assign(None, "做法"), "做法-1");
/// assert_eq!(a.assign(Some("zuofa"), "做法"), "zuofa");
/// assert_eq!(a.assign(Some("main"), "主要"), "主要");
/// assert_eq!(a.assign(None, "Main"), "h-main");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Anchors {
    seen: HashSet<String>,
    /// Footnote labels (lowercased) in order of first use; a label's id is `fn-` and its place.
    footnotes: Vec<String>,
    /// Footnote ids already given to a definition.
    defined: HashSet<usize>,
}

impl Anchors {
    /// The id a footnote reference links to: `fn-` and the label's place among the page's labels.
    fn footnote(&mut self, label: &str) -> CowStr<'static> {
        let key = label.to_lowercase();
        let n = match self.footnotes.iter().position(|f| *f == key) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(key);
                self.footnotes.len()
            }
        };
        CowStr::from(format!("{FOOTNOTE_ID_PREFIX}{n}"))
    }

    /// The id of a footnote's definition: its label's, or a new one when the label was defined
    /// before (on this page part or another), so no two elements share it.
    fn footnote_definition(&mut self, label: &str) -> CowStr<'static> {
        let id = self.footnote(label);
        let key = label.to_lowercase();
        let place = self.footnotes.iter().position(|f| *f == key).unwrap_or(0) + 1;
        if self.defined.insert(place) {
            return id;
        }
        // A place no label can take (labels are never empty).
        self.footnotes.push(String::new());
        let fresh = self.footnotes.len();
        self.defined.insert(fresh);
        CowStr::from(format!("{FOOTNOTE_ID_PREFIX}{fresh}"))
    }

    /// The anchor for the next heading, with its explicit anchor (if any) and its plain text.
    pub fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let mut base = match explicit.filter(|e| explicit_id_problem(e).is_none()) {
            Some(e) => e.to_string(),
            None => slug(text),
        };
        if base.is_empty() {
            base = "section".to_string();
        }
        let mut n = 0usize;
        loop {
            let mut candidate = if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            if is_reserved_id(&candidate)
                || candidate
                    .to_ascii_lowercase()
                    .starts_with(FOOTNOTE_ID_PREFIX)
            {
                candidate = format!("{ESCAPED_ID_PREFIX}{candidate}");
            }
            // Ends: every `n` gives a new candidate and `seen` is finite.
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// A heading found in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The id the rendered heading has ([`Anchors`]).
    pub anchor: String,
    /// 1-based line in the body.
    pub line: usize,
    /// 1-based column of the heading's `{…}` attribute block (or of the heading), in characters.
    pub column: usize,
    /// The `{#…}` the editor wrote, whether or not it could be used.
    pub explicit: Option<String>,
    /// Anything else in the `{…}` block: classes (`.name`) and attributes (`key=value`), as written.
    pub extra: Vec<String>,
}

/// A link or image destination found in a body, with its position. An email autolink
/// (`<a@b.cn>`) is recorded as `mailto:a@b.cn`.
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
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        (line, col)
    }
}

/// A parser event with its byte range in the body.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// A heading's `{…}` block as the editor wrote it: `.class` for each class, `key=value` or `key`
/// for each attribute.
fn heading_extras(
    classes: &[CowStr<'_>],
    attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
) -> Vec<String> {
    classes
        .iter()
        .map(|c| format!(".{c}"))
        .chain(attrs.iter().map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.to_string(),
        }))
        .collect()
}

/// Events of a body with every heading's id given by `anchors`, and its classes and attributes
/// removed; the headings found, with the byte offset of their `{…}` block (or of the heading).
fn events_with_anchors<'a>(
    md: &'a str,
    anchors: &mut Anchors,
) -> (Vec<Spanned<'a>>, Vec<(usize, Heading)>) {
    let mut events: Vec<_> = Parser::new_ext(md, options()).into_offset_iter().collect();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let (
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }),
            range,
        ) = &events[i]
        {
            let (level, explicit) = (*level, id.as_ref().map(|s| s.to_string()));
            let extra = heading_extras(classes, attrs);
            let span = md.get(range.clone()).unwrap_or_default();
            // The block closes the heading's first line (ATX) or its text (setext).
            let first_line = span.split('\n').next().unwrap_or_default();
            let at = match first_line.rfind('{') {
                Some(brace) if explicit.is_some() || !extra.is_empty() => range.start + brace,
                _ => range.start,
            };
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let anchor = anchors.assign(explicit.as_deref(), &text);
            if let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = &mut events[i].0
            {
                *id = Some(CowStr::from(anchor.clone()));
                classes.clear();
                attrs.clear();
            }
            headings.push((
                at,
                Heading {
                    level: heading_level(level),
                    text: text.trim().to_string(),
                    anchor,
                    line: 0,
                    column: 0,
                    explicit,
                    extra,
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

/// The destination of a link as written, with an email autolink (`<a@b.cn>`) made `mailto:`.
fn link_dest(link_type: LinkType, dest: &str) -> String {
    match link_type {
        LinkType::Email => format!("mailto:{dest}"),
        _ => dest.to_string(),
    }
}

/// Scans a body for headings, links, images and raw HTML, with 1-based positions.
pub fn scan(md: &str) -> Scan {
    let index = LineIndex::new(md);
    let (events, headings) = events_with_anchors(md, &mut Anchors::default());
    let mut scan = Scan {
        headings: headings
            .into_iter()
            .map(|(offset, mut h)| {
                (h.line, h.column) = index.position(offset);
                h
            })
            .collect(),
        ..Scan::default()
    };
    for (event, range) in &events {
        let (line, column) = index.position(range.start);
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => scan.links.push(LinkUse {
                dest: link_dest(*link_type, dest_url),
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
    /// `case:id#anchor`: another item.
    Internal(Ref),
    /// `http:`, `https:` or `mailto:`.
    External,
    /// `#anchor` on the same page.
    Fragment,
    /// A file in the item's folder or below it (`img/a.png`).
    Relative,
    /// A path that leaves the item's folder (`../a.png`, `/a.png`, `img/./a.png`, `%2e%2e/`) or
    /// names a hidden file (`.env`).
    Outside,
    /// Any other scheme (`javascript:`, `data:`), a host (`//x.cn`) or a malformed reference.
    Unsafe,
}

/// Classifies a link destination.
///
/// ```
/// use portal::content::markdown::{classify, Dest};
/// assert_eq!(classify("https://www.gov.cn/"), Dest::External);
/// assert_eq!(classify("javascript:alert(1)"), Dest::Unsafe);
/// assert_eq!(classify("img/a.png"), Dest::Relative);
/// assert_eq!(classify("../a.png"), Dest::Outside);
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
    if d.chars().any(|c| c.is_control()) {
        Dest::Unsafe
    } else if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
    {
        Dest::External
    } else if d.starts_with('#') {
        Dest::Fragment
    } else if d.starts_with("//") || d.starts_with("\\\\") || d.contains(':') {
        // A host or a scheme (javascript:, data:, …).
        Dest::Unsafe
    } else {
        let path = d.split(['#', '?']).next().unwrap_or_default();
        let leaves = path.starts_with('/')
            || path.contains('\\')
            || path.contains('%')
            // `.`, `..`, and hidden folders or files (`.git/`), which the build does not publish.
            || path.split('/').any(|s| s.is_empty() || s.starts_with('.'));
        if leaves {
            Dest::Outside
        } else {
            Dest::Relative
        }
    }
}

/// Whether a URL the renderer wrote may stay: `http:`, `https:` or `mailto:`, a path on this
/// site (`/…`, not `//…`) or a fragment; with no white space, control character or backslash,
/// which browsers drop or turn into `/` before they look at the scheme.
///
/// ```
/// use portal::content::markdown::is_allowed_url;
/// assert!(is_allowed_url("https://www.gov.cn/"));
/// assert!(is_allowed_url("/content/cases/img/a.png"));
/// assert!(is_allowed_url("#zuofa"));
/// assert!(!is_allowed_url("java\tscript:alert(1)"));
/// assert!(!is_allowed_url("//evil.example/"));
/// assert!(!is_allowed_url("/\\evil.example/"));
/// ```
pub fn is_allowed_url(url: &str) -> bool {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    ALLOWED_SCHEMES
        .iter()
        .any(|s| lower.starts_with(s) && lower[s.len()..].starts_with(':'))
        || url.starts_with('#')
        || (url.starts_with('/') && !url.starts_with("//"))
}

/// The URL schemes a rendered body may link to.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The elements a rendered body may contain; the renderer writes no other, and the sanitiser
/// removes any other.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The attributes each element may have (no other element has any): `href`/`src` only as
/// [`is_allowed_url`] allows, `id` only as [`Anchors`] gives it, `class` only as
/// [`ALLOWED_CLASSES`] lists.
pub const ALLOWED_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("img", &["src", "alt", "title"]),
    ("ol", &["start"]),
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    // A footnote: `<div class="footnote-definition" id="fn-1">`.
    ("div", &["class", "id"]),
    ("sup", &["class"]),
];

/// The classes an element may have: only the footnotes' own.
pub const ALLOWED_CLASSES: &[(&str, &[&str])] = &[
    ("div", &["footnote-definition"]),
    ("sup", &["footnote-reference", "footnote-definition-label"]),
];

/// The attributes `tag` may have ([`ALLOWED_ATTRIBUTES`]).
pub fn allowed_attributes(tag: &str) -> &'static [&'static str] {
    ALLOWED_ATTRIBUTES
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, a)| *a)
        .unwrap_or(&[])
}

/// Whether an attribute's value may stay on `tag`: links as [`is_allowed_url`], images from this
/// site only, ids as [`Anchors`]
/// and footnotes give them, classes from [`ALLOWED_CLASSES`], a list's start as a number.
pub fn is_allowed_value(tag: &str, attribute: &str, value: &str) -> bool {
    match attribute {
        "href" => is_allowed_url(value),
        // An image only from this site: an outside one would be fetched by every reader's phone.
        "src" => is_allowed_url(value) && value.starts_with('/'),
        "id" if tag == "div" => value
            .strip_prefix(FOOTNOTE_ID_PREFIX)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        "id" => {
            !value.is_empty()
                && !is_reserved_id(value)
                && !value.to_ascii_lowercase().starts_with(FOOTNOTE_ID_PREFIX)
        }
        "class" => ALLOWED_CLASSES
            .iter()
            .any(|(t, classes)| *t == tag && classes.contains(&value)),
        "start" => !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()),
        _ => allowed_attributes(tag).contains(&attribute),
    }
}

/// Renders a body to HTML that is safe to insert, the one entry point for untrusted markdown.
///
/// Raw HTML is shown as text; references become routes; relative paths are resolved against
/// `asset_base` (e.g. `/content/cases/`); links other than http(s), mailto, references, fragments
/// and files in the item's folder lose their link (their text stays); images other than files in
/// the item's folder become their description; headings keep only an id from [`Anchors`];
/// footnotes are numbered `fn-1`, `fn-2`, …. Only [`ALLOWED_TAGS`] and [`ALLOWED_ATTRIBUTES`] are
/// written, and on the build machine the output then passes a sanitiser with the same allow-list.
///
/// ```
/// let html = portal::content::markdown::render("# 标题\n\n<script>alert(1)</script>\n", "/");
/// assert!(html.contains(r#"<h1 id="标题">标题</h1>"#));
/// assert!(!html.contains("<script>"));
/// assert!(html.contains("&lt;script&gt;"));
/// ```
pub fn render(md: &str, asset_base: &str) -> String {
    render_with(md, asset_base, &mut Anchors::default())
}

/// [`render`] for one part of a page whose other parts are rendered separately (a workflow's
/// introduction and step descriptions): `anchors` carries the ids already used on the page.
pub fn render_with(md: &str, asset_base: &str, anchors: &mut Anchors) -> String {
    let (events, _) = events_with_anchors(md, anchors);
    let mut html = String::with_capacity(md.len() * 3 / 2);
    let events = allowed_events(events, asset_base, anchors);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

/// Turns every event into one the HTML writer renders with allowed tags and attributes only.
/// The match names every kind of event, so an option turned on later cannot slip a new element in.
fn allowed_events<'a>(
    events: Vec<Spanned<'a>>,
    asset_base: &str,
    anchors: &mut Anchors,
) -> Vec<Event<'a>> {
    // For each open link or image: whether its start was written (its end must match).
    let mut open: Vec<bool> = Vec::new();
    events
        .into_iter()
        .filter_map(|(event, _)| match event {
            Event::Html(h) | Event::InlineMath(h) | Event::DisplayMath(h) => Some(Event::Text(h)),
            Event::InlineHtml(h) => Some(Event::Code(h)),
            Event::TaskListMarker(done) => Some(Event::Text(if done { "☑ " } else { "☐ " }.into())),
            Event::FootnoteReference(label) => {
                Some(Event::FootnoteReference(anchors.footnote(&label)))
            }
            Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => {
                Some(event)
            }
            Event::Start(tag) => match tag {
                Tag::HtmlBlock => Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                    CowStr::Borrowed(""),
                )))),
                // The info string would become a class.
                Tag::CodeBlock(_) => Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                    CowStr::Borrowed(""),
                )))),
                // A column's alignment would become a `style`.
                Tag::Table(columns) => Some(Event::Start(Tag::Table(vec![
                    Alignment::None;
                    columns.len()
                ]))),
                // A GitHub alert would become a class.
                Tag::BlockQuote(_) => Some(Event::Start(Tag::BlockQuote(None))),
                Tag::FootnoteDefinition(label) => Some(Event::Start(Tag::FootnoteDefinition(
                    anchors.footnote_definition(&label),
                ))),
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                } => {
                    let dest = link_dest(link_type, &dest_url);
                    let link_type = match link_type {
                        // The writer would put `mailto:` before the destination again.
                        LinkType::Email => LinkType::Autolink,
                        other => other,
                    };
                    let kept = rewrite(&dest, asset_base);
                    open.push(kept.is_some());
                    kept.map(|dest| {
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url: dest.into(),
                            title,
                            id,
                        })
                    })
                }
                Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                } => {
                    // Only a file of the item's own folder: an outside address would make every
                    // reader's phone ask a third party for it.
                    let kept = match classify(&dest_url) {
                        Dest::Relative => rewrite(&dest_url, asset_base),
                        _ => None,
                    };
                    open.push(kept.is_some());
                    kept.map(|dest| {
                        Event::Start(Tag::Image {
                            link_type,
                            dest_url: dest.into(),
                            title,
                            id,
                        })
                    })
                }
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::List(_)
                | Tag::Item
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough => Some(Event::Start(tag)),
                // Not turned on in `options`; their content stays, their element does not.
                Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::Superscript
                | Tag::Subscript
                | Tag::MetadataBlock(_) => None,
            },
            Event::End(end) => match end {
                TagEnd::HtmlBlock => Some(Event::End(TagEnd::CodeBlock)),
                TagEnd::Link | TagEnd::Image => {
                    if open.pop().unwrap_or(false) {
                        Some(Event::End(end))
                    } else {
                        None
                    }
                }
                TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::MetadataBlock(_) => None,
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough => Some(Event::End(end)),
            },
        })
        .collect()
}

/// The second wall: the rendered HTML through `ammonia`, configured with the same allow-list. On
/// good output it changes nothing but the serialisation (`<br>` for `<br />`); a test holds that
/// for every item in `content/`.
#[cfg(not(target_arch = "wasm32"))]
fn sanitise(html: &str) -> String {
    use std::collections::HashMap;
    let tags: HashSet<&str> = ALLOWED_TAGS.iter().copied().collect();
    // `class` is left to `allowed_classes`, which checks each class (ammonia refuses both).
    let attributes: HashMap<&str, HashSet<&str>> = ALLOWED_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| {
            (
                *tag,
                attrs.iter().copied().filter(|a| *a != "class").collect(),
            )
        })
        .collect();
    let classes: HashMap<&str, HashSet<&str>> = ALLOWED_CLASSES
        .iter()
        .map(|(tag, c)| (*tag, c.iter().copied().collect()))
        .collect();
    ammonia::Builder::empty()
        .tags(tags)
        .tag_attributes(attributes)
        .allowed_classes(classes)
        .url_schemes(ALLOWED_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(keep_relative)))
        .attribute_filter(|tag, attribute, value| {
            is_allowed_value(tag, attribute, value).then_some(value.into())
        })
        .link_rel(None)
        .strip_comments(true)
        .clean(html)
        .to_string()
}

/// A relative URL stays only as [`is_allowed_url`] allows (a path on this site or a fragment).
#[cfg(not(target_arch = "wasm32"))]
fn keep_relative(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    is_allowed_url(url).then_some(std::borrow::Cow::Borrowed(url))
}

/// The app fetches bodies the build rendered and never renders markdown itself, so the browser
/// carries no sanitiser; only the DOM tests call [`render`] there.
#[cfg(target_arch = "wasm32")]
fn sanitise(html: &str) -> String {
    html.to_string()
}

fn rewrite(dest: &str, asset_base: &str) -> Option<String> {
    match classify(dest) {
        Dest::Internal(r) => Some(r.href()),
        Dest::External | Dest::Fragment => Some(dest.trim().to_string()),
        Dest::Relative => Some(format!("{asset_base}{}", dest.trim())),
        Dest::Outside | Dest::Unsafe => None,
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
    fn heading_attributes_keep_only_a_safe_id() {
        // The review's payloads: script on focus with no click, a page-covering style that loads
        // a third-party URL, and a class borrowed from the app.
        let html = render(
            "## 做法 {#zuofa tabindex=0 autofocus onfocus=alert(1)}\n\n\
             ## 遮罩 {style=position:fixed;inset:0;background:url(https://evil.example/x.png)}\n\n\
             ## 借用 {.app-failed}\n",
            "/",
        );
        assert_eq!(
            html,
            "<h2 id=\"zuofa\">做法</h2>\n<h2 id=\"遮罩\">遮罩</h2>\n<h2 id=\"借用\">借用</h2>\n"
        );
    }

    #[test]
    fn reserved_ids_are_never_emitted() {
        let html = render(
            "## 正文 {#main}\n\n## 容器 {#prerender}\n\n## main\n\n## Step 1\n\n## 步骤 {#step-1}\n\n## fn-1\n\n## Q1\n",
            "/",
        );
        assert_eq!(
            html,
            "<h2 id=\"正文\">正文</h2>\n<h2 id=\"容器\">容器</h2>\n<h2 id=\"h-main\">main</h2>\n\
             <h2 id=\"h-step-1\">Step 1</h2>\n<h2 id=\"步骤\">步骤</h2>\n<h2 id=\"h-fn-1\">fn-1</h2>\n\
             <h2 id=\"h-q1\">Q1</h2>\n"
        );
        // The scan gives the checker the same anchors.
        let anchors: Vec<String> = scan("## main\n\n## 正文 {#main}\n")
            .headings
            .into_iter()
            .map(|h| h.anchor)
            .collect();
        assert_eq!(anchors, ["h-main", "正文"]);
    }

    #[test]
    fn numbering_a_repeated_anchor_skips_reserved_ids() {
        let mut a = Anchors::default();
        assert_eq!(a.assign(None, "step"), "step");
        assert_eq!(a.assign(None, "step"), "h-step-1");
        assert_eq!(a.assign(Some("h-step-1"), "x"), "h-step-1-1");
    }

    #[test]
    fn explicit_ids_are_checked() {
        assert_eq!(
            explicit_id_problem("step-3"),
            Some(IdProblem::Reserved("step-3".into()))
        );
        assert_eq!(
            explicit_id_problem("Q12-text"),
            Some(IdProblem::Reserved("Q12-text".into()))
        );
        assert_eq!(
            explicit_id_problem("fn-2"),
            Some(IdProblem::Footnote("fn-2".into()))
        );
        assert!(explicit_id_problem("quiz-tips").is_none());
        assert!(explicit_id_problem("queue").is_none());
        assert!(explicit_id_problem(&"a".repeat(64)).is_none());
        for bad in ["", "a b", "a\"b", "a<b", "a%b", "ａ", &"a".repeat(65)] {
            assert!(
                matches!(explicit_id_problem(bad), Some(IdProblem::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn email_autolinks_are_mailto_links() {
        let html = render("写信给 <a@b.cn>。\n", "/content/cases/");
        assert_eq!(
            html,
            "<p>写信给 <a href=\"mailto:a@b.cn\">a@b.cn</a>。</p>\n"
        );
        assert_eq!(scan("<a@b.cn>").links[0].dest, "mailto:a@b.cn");
    }

    #[test]
    fn only_images_in_the_items_folder_are_shown() {
        let html = render(
            "![外部](https://evil.example/x.png) ![上级](../x.png) ![根](/x.png) ![本地](img/a.png)",
            "/content/cases/",
        );
        assert_eq!(
            html,
            "<p>外部 上级 根 <img src=\"/content/cases/img/a.png\" alt=\"本地\"></p>\n"
        );
    }

    #[test]
    fn paths_that_leave_the_folder_or_name_hidden_files_are_outside() {
        for dest in [
            "../a.png",
            "/a.png",
            "img/./a.png",
            "img//a.png",
            "%2e%2e/a.png",
            "img\\a.png",
            ".env",
            "img/.git/a.png",
        ] {
            assert_eq!(classify(dest), Dest::Outside, "{dest}");
        }
        assert_eq!(classify("img/a.b.png#x"), Dest::Relative);
    }

    #[test]
    fn scheme_tricks_lose_their_link() {
        for dest in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:alert(1)",
            "&#106;avascript:alert(1)",
            "java&#x09;script:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example/",
            "/\\evil.example/",
        ] {
            let html = render(&format!("[点我]({dest}) [点我](<{dest}>)"), "/");
            assert!(!html.contains("<a"), "{dest}: {html}");
            assert!(html.contains("点我"), "{dest}: {html}");
        }
    }

    #[test]
    fn footnotes_code_tables_and_tasks_carry_no_outside_names() {
        let html = render(
            "正文[^main]\n\n[^main]: 注释\n\n```app-failed onclick=x\ncode\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] 已做\n",
            "/",
        );
        assert!(html.contains("<a href=\"#fn-1\">1</a>"), "{html}");
        assert!(
            html.contains("<div class=\"footnote-definition\" id=\"fn-1\">"),
            "{html}"
        );
        assert!(!html.contains("id=\"main\""), "{html}");
        assert!(html.contains("<pre><code>code\n</code></pre>"), "{html}");
        assert!(!html.contains("style"), "{html}");
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("☑ 已做"), "{html}");
    }

    #[test]
    fn the_sanitiser_removes_what_the_renderer_never_writes() {
        let dirty = "<p onclick=\"x()\" class=\"app-failed\">a</p><h2 id=\"main\">b</h2>\
                     <a href=\"javascript:alert(1)\">c</a><img src=\"https://evil.example/x.png\">\
                     <div class=\"footnote-definition app-failed\" id=\"prerender\">d</div><svg><script>e</script></svg>";
        assert_eq!(
            sanitise(dirty),
            "<p>a</p><h2>b</h2><a>c</a><img><div>d</div>"
        );
    }

    /// Every item in `content/`: the sanitiser finds nothing to remove in what the renderer wrote
    /// (so the allow-lists of both walls agree), compared element by element.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_sanitiser_changes_nothing_in_the_real_content() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let checked = crate::site::check_folder(&root);
        let mut bodies = 0;
        for p in &checked.items {
            let base = p.kind.asset_base();
            let mut anchors = Anchors::default();
            let (events, _) = events_with_anchors(&p.body, &mut anchors);
            let mut raw = String::new();
            let events = allowed_events(events, &base, &mut anchors);
            pulldown_cmark::html::push_html(&mut raw, events.into_iter());
            let tree = |html: &str| {
                let doc = scraper::Html::parse_fragment(html);
                doc.tree
                    .nodes()
                    .map(|n| format!("{:?}", n.value()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(tree(&sanitise(&raw)), tree(&raw), "{}", p.path);
            bodies += 1;
        }
        assert!(bodies >= 19, "{bodies}");
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
