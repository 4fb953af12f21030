//! The content model: what an item is, how items refer to each other, and the manifest the build
//! writes and the app reads.
//!
//! The model is plain data with serde derives; validation of editors' files lives in the native
//! checker (`crate::check`), which is the only producer of a [`Manifest`].

pub mod compare;
pub mod listing;
pub mod markdown;
pub mod quiz;
pub mod reference;
pub mod rendered;
pub mod routes;
pub mod workflow;

use serde::{Deserialize, Serialize};

pub use reference::Ref;

/// The manifest's format version; the app refuses a manifest of another version with a message.
pub const MANIFEST_VERSION: u32 = 1;

/// The four kinds of content, one folder each under `content/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Case,
    Workflow,
    Community,
    Module,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Case, Kind::Workflow, Kind::Community, Kind::Module];

    /// The name used in references (`case:panjin-2018`) and in the manifest.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Case => "case",
            Kind::Workflow => "workflow",
            Kind::Community => "community",
            Kind::Module => "module",
        }
    }

    /// The folder under `content/` and the first segment of the item's route.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Case => "cases",
            Kind::Workflow => "workflows",
            Kind::Community => "communities",
            Kind::Module => "modules",
        }
    }

    /// The section's name in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Case => "他山之石",
            Kind::Workflow => "规范工作",
            Kind::Community => "身边典型",
            Kind::Module => "学习模块",
        }
    }

    /// A one-word name of one item of the kind, for badges.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Case => "案例",
            Kind::Workflow => "流程",
            Kind::Community => "社区",
            Kind::Module => "模块",
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// The app route of an item of this kind: `/cases/panjin-2018`.
    ///
    /// ```
    /// assert_eq!(portal::content::Kind::Case.route("panjin-2018"), "/cases/panjin-2018");
    /// ```
    pub fn route(self, id: &str) -> String {
        format!("/{}/{}", self.folder(), id)
    }

    /// Where the build puts an item's rendered body ([`rendered::RenderedBody`], JSON), relative
    /// to the site root. The app derives it from the route, so it can fetch the body while the
    /// manifest is still loading.
    ///
    /// ```
    /// assert_eq!(portal::content::Kind::Case.rendered_path("x"), "content/cases/x.json");
    /// ```
    pub fn rendered_path(self, id: &str) -> String {
        format!("content/{}/{}.json", self.folder(), id)
    }

    /// Where relative image paths in a body point.
    pub fn asset_base(self) -> String {
        format!("/content/{}/", self.folder())
    }
}

/// A tag from the controlled list in `content/tags.yaml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub id: String,
    pub label: String,
}

/// Where a practice happened or a community is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub province: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
}

impl Region {
    /// The region as one line, most general first: 辽宁省 盘锦市.
    pub fn display(&self) -> String {
        [
            Some(&self.province),
            self.city.as_ref(),
            self.district.as_ref(),
            self.street.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// A published document a page relies on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub publisher: String,
    pub title: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Source {
    /// The address to link the source's title to: its `url` when [`is_web_url`] accepts it.
    /// The checker refuses any other, but whatever shows a source asks this too.
    ///
    /// ```
    /// use portal::content::Source;
    /// let mut s = Source { publisher: "人民网".into(), title: "标题".into(), date: "2018".into(), url: None };
    /// s.url = Some("javascript:alert(1)".into());
    /// assert_eq!(s.link(), None);
    /// s.url = Some("https://www.gov.cn/".into());
    /// assert_eq!(s.link(), Some("https://www.gov.cn/"));
    /// ```
    pub fn link(&self) -> Option<&str> {
        self.url.as_deref().filter(|u| is_web_url(u))
    }
}

/// Whether `url` is an `http://` or `https://` address with a host and no white space, control
/// character or backslash (browsers drop or rewrite those before they read the scheme).
///
/// ```
/// use portal::content::is_web_url;
/// assert!(is_web_url("https://www.gov.cn/a?b=1"));
/// assert!(is_web_url("HTTP://example.cn"));
/// assert!(!is_web_url("javascript:alert(1)"));
/// assert!(!is_web_url(" https://x.cn"));
/// assert!(!is_web_url("https://"));
/// ```
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with('/')
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
}

/// Splits a content file, `---\nyaml\n---\nbody`, into its front matter (the YAML between the
/// two `---` lines), its body, and the body's first line in the file minus one (to turn a body
/// line into a file line). `None` when the file does not start with a `---` line or the front
/// matter is not closed. A byte order mark before the first `---` is ignored.
///
/// ```
/// use portal::content::split_front_matter;
/// let (yaml, body, offset) = split_front_matter("---\nid: a\n---\n正文\n").unwrap();
/// assert_eq!((yaml, body, offset), ("id: a\n", "正文\n", 3));
/// assert!(split_front_matter("正文\n").is_none());
/// ```
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut offset = first.len();
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let yaml = &text[first.len()..offset];
            let body = &text[offset + line.len()..];
            return Some((yaml, body, i + 2));
        }
        offset += line.len();
    }
    None
}

/// A number with a label and unit: a case's key figure or a community's fact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: f64,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Figure {
    /// The value as a reader expects it: no trailing `.0`, thousands not grouped (Chinese style
    /// for counts like 72258 is plain digits).
    ///
    /// ```
    /// use portal::content::Figure;
    /// let f = Figure { label: "面积".into(), value: 508.4, unit: "平方米".into(), note: None };
    /// assert_eq!(f.value_text(), "508.4");
    /// let g = Figure { value: 144.0, ..f };
    /// assert_eq!(g.value_text(), "144");
    /// ```
    pub fn value_text(&self) -> String {
        if self.value.fract() == 0.0 && self.value.abs() < 1e15 {
            format!("{}", self.value as i64)
        } else {
            format!("{}", self.value)
        }
    }
}

/// A case study (他山之石).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseStudy {
    pub region: Region,
    pub date: String,
    #[serde(default)]
    pub figures: Vec<Figure>,
}

/// A standard workflow (规范工作内容); its steps are in the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// How many steps the body has, so lists can say so without fetching the body.
    pub steps: usize,
}

/// A model community (身边典型).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Community {
    pub region: Region,
    /// An illustrative profile, not a real place: the page says 示例.
    #[serde(default)]
    pub sample: bool,
    pub facts: Vec<Figure>,
}

/// A learning unit a trainer can assign; its quiz is in the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Module {
    pub items: Vec<Ref>,
    pub minutes: u32,
    pub goals: Vec<String>,
    pub pass_mark: u8,
    pub questions: usize,
}

/// What only one kind of item has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Details {
    Case(CaseStudy),
    Workflow(Workflow),
    Community(Community),
    Module(Module),
}

/// One content item as listed in the manifest (its body is fetched separately).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub updated: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Path of the rendered body relative to the site root, e.g. `content/cases/panjin-2018.json`
    /// ([`Kind::rendered_path`]).
    pub body: String,
    #[serde(flatten)]
    pub details: Details,
}

impl Item {
    /// The facts under an item's title (region, date; minutes; steps), each shown on one line
    /// and joined with " · ". The app and the prerendered page show the same.
    pub fn header_meta(&self) -> Vec<String> {
        let parts = match &self.details {
            Details::Case(c) => vec![c.region.display(), c.date.to_string()],
            Details::Community(c) => vec![c.region.display()],
            Details::Module(m) => vec![
                format!("约 {} 分钟", m.minutes),
                format!("{} 项内容", m.items.len()),
                format!("{} 道自测题", m.questions),
            ],
            Details::Workflow(w) => vec![format!("{} 个步骤", w.steps)],
        };
        parts.into_iter().filter(|m| !m.is_empty()).collect()
    }

    /// The facts on an item's card in a list: the header's, with a module's size before its
    /// minutes.
    pub fn card_meta(&self) -> Vec<String> {
        let mut parts = self.header_meta();
        if let Details::Module(_) = self.details {
            // A module's three facts are never empty, so none was filtered out.
            parts.swap(0, 1);
        }
        parts
    }

    /// An illustrative community, not a real place (the pages say 示例).
    pub fn is_sample(&self) -> bool {
        matches!(&self.details, Details::Community(c) if c.sample)
    }

    /// The date lists sort by: a case's date of practice, otherwise the last revision.
    pub fn practice_date(&self) -> &str {
        match &self.details {
            Details::Case(c) => &c.date,
            _ => &self.updated,
        }
    }

    pub fn kind(&self) -> Kind {
        match self.details {
            Details::Case(_) => Kind::Case,
            Details::Workflow(_) => Kind::Workflow,
            Details::Community(_) => Kind::Community,
            Details::Module(_) => Kind::Module,
        }
    }

    pub fn route(&self) -> String {
        self.kind().route(&self.id)
    }

    pub fn reference(&self) -> Ref {
        Ref {
            kind: self.kind(),
            id: self.id.clone(),
            anchor: None,
        }
    }

    /// The region of a case or community, if it has one.
    pub fn region(&self) -> Option<&Region> {
        match &self.details {
            Details::Case(c) => Some(&c.region),
            Details::Community(c) => Some(&c.region),
            _ => None,
        }
    }
}

/// Everything the app needs to list and find content; written by `content build`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub tags: Vec<Tag>,
    pub items: Vec<Item>,
}

/// Why a manifest could not be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ManifestError {
    #[error("内容清单无法解析：{0}")]
    Malformed(String),
    #[error("内容清单版本为 {found}，本应用需要版本 {expected}，请刷新页面获取最新版本")]
    Version { found: u32, expected: u32 },
}

impl Manifest {
    /// Parses and version-checks the manifest JSON.
    pub fn from_json(text: &str) -> Result<Manifest, ManifestError> {
        #[derive(Deserialize)]
        struct Header {
            version: u32,
        }
        let header: Header =
            serde_json::from_str(text).map_err(|e| ManifestError::Malformed(e.to_string()))?;
        if header.version != MANIFEST_VERSION {
            return Err(ManifestError::Version {
                found: header.version,
                expected: MANIFEST_VERSION,
            });
        }
        serde_json::from_str(text).map_err(|e| ManifestError::Malformed(e.to_string()))
    }

    pub fn item(&self, kind: Kind, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.kind() == kind && i.id == id)
    }

    pub fn items_of(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.kind() == kind)
    }

    /// The tags used by items of a kind, in the order the tag list declares them (a list page's
    /// filter chips; the app and the prerendered page show the same).
    pub fn tags_of(&self, kind: Kind) -> Vec<String> {
        let mut tags: Vec<String> = self.items_of(kind).flat_map(|i| i.tags.clone()).collect();
        tags.sort_by_key(|t| self.tags.iter().position(|x| &x.id == t));
        tags.dedup();
        tags
    }

    /// The provinces of items of a kind, sorted (a list page's region choice).
    pub fn regions_of(&self, kind: Kind) -> Vec<String> {
        let mut regions: Vec<String> = self
            .items_of(kind)
            .filter_map(|i| i.region().map(|r| r.province.clone()))
            .collect();
        regions.sort();
        regions.dedup();
        regions
    }

    pub fn resolve(&self, r: &Ref) -> Option<&Item> {
        self.item(r.kind, &r.id)
    }

    pub fn tag_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.tags
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.label.as_str())
            .unwrap_or(id)
    }

    /// The Chinese labels of an item's tags.
    pub fn tag_labels(&self, item: &Item) -> Vec<String> {
        item.tags
            .iter()
            .map(|t| self.tag_label(t).to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_body_offset() {
        let (yaml, body, offset) = split_front_matter("---\nid: a\ntitle: b\n---\n正文\n").unwrap();
        assert_eq!(yaml, "id: a\ntitle: b\n");
        assert_eq!(body, "正文\n");
        assert_eq!(offset, 4);
        assert!(split_front_matter("id: a\n").is_none());
        assert!(split_front_matter("---\nid: a\n").is_none());
    }

    #[test]
    fn front_matter_ignores_a_byte_order_mark_and_trailing_spaces() {
        let (yaml, body, offset) =
            split_front_matter("\u{feff}--- \nid: a\n---\t\n\n正文").unwrap();
        assert_eq!((yaml, body, offset), ("id: a\n", "\n正文", 3));
        assert_eq!(split_front_matter("---\n---\n"), Some(("", "", 2)));
        assert!(split_front_matter("").is_none());
        assert!(split_front_matter(" ---\nid: a\n---\n").is_none());
    }

    fn sample() -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            tags: vec![Tag {
                id: "grid-governance".into(),
                label: "网格化治理".into(),
            }],
            items: vec![Item {
                id: "panjin-2018".into(),
                title: "盘锦".into(),
                summary: "摘要".into(),
                tags: vec!["grid-governance".into()],
                updated: "2026-11-27".into(),
                sources: vec![],
                body: "content/cases/panjin-2018.json".into(),
                details: Details::Case(CaseStudy {
                    region: Region {
                        province: "辽宁省".into(),
                        city: Some("盘锦市".into()),
                        ..Region::default()
                    },
                    date: "2018-11-02".into(),
                    figures: vec![],
                }),
            }],
        }
    }

    #[test]
    fn manifest_round_trips_through_json_with_kind_tag() {
        let m = sample();
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains(r#""kind":"case""#), "{json}");
        assert_eq!(Manifest::from_json(&json).unwrap(), m);
        assert_eq!(m.items[0].route(), "/cases/panjin-2018");
        assert_eq!(m.items[0].region().unwrap().display(), "辽宁省 盘锦市");
        assert_eq!(m.tag_label("grid-governance"), "网格化治理");
    }

    #[test]
    fn manifest_of_another_version_is_refused() {
        let err = Manifest::from_json(r#"{"version": 99, "tags": [], "items": []}"#).unwrap_err();
        assert_eq!(
            err,
            ManifestError::Version {
                found: 99,
                expected: MANIFEST_VERSION
            }
        );
        assert!(matches!(
            Manifest::from_json("{not json"),
            Err(ManifestError::Malformed(_))
        ));
    }
}
