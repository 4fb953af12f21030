//! Reads an item's YAML front matter field by field, with a Chinese message and a position for
//! every problem, instead of one serde error that stops at the first.

use marked_yaml::loader::{parse_yaml_with_options, LoadError, LoaderOptions};
use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode, Node};
use time::macros::format_description;

use super::diagnostic::Report;
use crate::content::reference::is_valid_id;
use crate::content::{
    CaseStudy, Community, Details, Figure, Kind, Module, Ref, Region, Source, Tag, Workflow,
};

/// Front matter read into the parts of an [`crate::content::Item`] that come from YAML.
#[derive(Debug)]
pub struct FrontMatter {
    pub id: String,
    pub id_at: (usize, usize),
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub updated: String,
    pub sources: Vec<Source>,
    pub details: Details,
    /// Module items with their positions, for resolving once every file is read.
    pub refs: Vec<(Ref, (usize, usize))>,
}

/// Maps YAML positions to file positions (the YAML starts after the opening `---` line).
struct Reader<'r, 'a> {
    report: &'r mut Report<'a>,
    first_line: usize,
    map_at: (usize, usize),
}

fn span_of(node: &Node) -> Option<(usize, usize)> {
    node.span().start().map(|m| (m.line(), m.column()))
}

fn scalar_span(node: &MarkedScalarNode) -> Option<(usize, usize)> {
    node.span().start().map(|m| (m.line(), m.column()))
}

impl Reader<'_, '_> {
    fn at(&self, node: &Node) -> (usize, usize) {
        span_of(node)
            .map(|(l, c)| (l + self.first_line - 1, c))
            .unwrap_or(self.map_at)
    }

    fn key_at(&self, map: &MarkedMappingNode, key: &str) -> (usize, usize) {
        map.keys()
            .find(|k| k.as_str() == key)
            .and_then(scalar_span)
            .map(|(l, c)| (l + self.first_line - 1, c))
            .unwrap_or(self.map_at)
    }

    fn missing(&mut self, at: (usize, usize), field: &str, what: &str) {
        self.report
            .error(at, format!("缺少必填字段 {field}（{what}）"), field);
    }

    fn string(&mut self, map: &MarkedMappingNode, field: &str, what: &str) -> Option<String> {
        match map.get_node(field) {
            None => {
                self.missing(self.map_at, field, what);
                None
            }
            Some(node) => self.string_node(node, field),
        }
    }

    fn string_node(&mut self, node: &Node, field: &str) -> Option<String> {
        match node.as_scalar() {
            Some(s) if !s.as_str().trim().is_empty() => Some(s.as_str().trim().to_string()),
            Some(_) => {
                let at = self.at(node);
                self.report
                    .error(at, format!("字段 {field} 不能为空"), field);
                None
            }
            None => {
                let at = self.at(node);
                self.report.error(
                    at,
                    format!("字段 {field} 应为文字，不能是列表或映射"),
                    field,
                );
                None
            }
        }
    }

    fn optional_string(&mut self, map: &MarkedMappingNode, field: &str) -> Option<String> {
        map.get_node(field)
            .and_then(|node| self.string_node(node, field))
    }

    fn date(
        &mut self,
        map: &MarkedMappingNode,
        field: &str,
        what: &str,
        partial: bool,
    ) -> Option<String> {
        let node = map.get_node(field);
        let text = self.string(map, field, what)?;
        let at = node.map(|n| self.at(n)).unwrap_or(self.map_at);
        if valid_date(&text, partial) {
            Some(text)
        } else {
            let form = if partial {
                "YYYY-MM-DD（或 YYYY-MM、YYYY）"
            } else {
                "YYYY-MM-DD"
            };
            self.report.error(
                at,
                format!("字段 {field} 的日期“{text}”无效，应写成 {form}，例如 2018-11-02"),
                field,
            );
            None
        }
    }

    fn list<'n>(
        &mut self,
        map: &'n MarkedMappingNode,
        field: &str,
        what: &str,
        required: bool,
    ) -> Option<&'n [Node]> {
        match map.get_node(field) {
            None => {
                if required {
                    self.missing(self.map_at, field, what);
                }
                None
            }
            Some(Node::Sequence(seq)) => {
                if required && seq.is_empty() {
                    let at = self.key_at(map, field);
                    self.report
                        .error(at, format!("字段 {field} 至少要有一项（{what}）"), field);
                }
                Some(seq.as_slice())
            }
            Some(node) => {
                let at = self.at(node);
                self.report.error(
                    at,
                    format!("字段 {field} 应为列表（每项以“- ”开头，或写成 [a, b]）"),
                    field,
                );
                None
            }
        }
    }

    fn mapping<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        example: &str,
    ) -> Option<&'n MarkedMappingNode> {
        match node.as_mapping() {
            Some(m) => Some(m),
            None => {
                let at = self.at(node);
                self.report.error(
                    at,
                    format!("{field} 的每一项应为映射，例如 {example}"),
                    field,
                );
                None
            }
        }
    }

    fn number(&mut self, map: &MarkedMappingNode, field: &str, owner: &str) -> Option<f64> {
        let node = map.get_node(field);
        match node.and_then(Node::as_scalar) {
            None => {
                let at = node.map(|n| self.at(n)).unwrap_or(self.map_at);
                self.missing(at, &format!("{owner}.{field}"), "数值");
                None
            }
            Some(s) => match s.as_f64().filter(|v| v.is_finite()) {
                Some(v) => Some(v),
                None => {
                    let at = self.at(node.expect("checked above"));
                    self.report.error(
                        at,
                        format!(
                            "{owner}.{field} 应为数字（不加引号、不带单位），“{}”不是数字",
                            s.as_str()
                        ),
                        &format!("{owner}.{field}"),
                    );
                    None
                }
            },
        }
    }

    fn warn_unknown(&mut self, map: &MarkedMappingNode, known: &[&str], owner: &str) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let at = scalar_span(key)
                    .map(|(l, c)| (l + self.first_line - 1, c))
                    .unwrap_or(self.map_at);
                let field = if owner.is_empty() {
                    key.as_str().to_string()
                } else {
                    format!("{owner}.{}", key.as_str())
                };
                self.report.warning(
                    at,
                    format!(
                        "未知字段 {field}，将被忽略（可用字段：{}）",
                        known.join("、")
                    ),
                    &field,
                );
            }
        }
    }

    fn with_map_at(&mut self, node: &Node) -> (usize, usize) {
        let saved = self.map_at;
        self.map_at = self.at(node);
        saved
    }

    fn sources(&mut self, map: &MarkedMappingNode, required: bool) -> Vec<Source> {
        let what = "出处：发布机构 publisher、标题 title、日期 date，可选网址 url";
        let Some(nodes) = self.list(map, "sources", what, required) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for node in nodes {
            let Some(m) = self.mapping(
                node,
                "sources",
                "{ publisher: …, title: …, date: 2018-11-02 }",
            ) else {
                continue;
            };
            let saved = self.with_map_at(node);
            let publisher = self.string(m, "publisher", "发布机构");
            let title = self.string(m, "title", "文献标题");
            let date = self.date(m, "date", "发布日期", true);
            let url = self.optional_string(m, "url");
            if let Some(u) = &url {
                if !crate::content::is_web_url(u) {
                    let at = self.at(m.get_node("url").expect("present"));
                    self.report.error(
                        at,
                        format!("网址“{u}”应以 http:// 或 https:// 开头"),
                        "sources.url",
                    );
                }
            }
            self.warn_unknown(m, &["publisher", "title", "date", "url"], "sources");
            self.map_at = saved;
            if let (Some(publisher), Some(title), Some(date)) = (publisher, title, date) {
                out.push(Source {
                    publisher,
                    title,
                    date,
                    url,
                });
            }
        }
        out
    }

    fn figures(&mut self, map: &MarkedMappingNode, field: &str, required: bool) -> Vec<Figure> {
        let what = "数据：名称 label、数值 value、单位 unit";
        let Some(nodes) = self.list(map, field, what, required) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for node in nodes {
            let Some(m) = self.mapping(node, field, "{ label: 党员, value: 72258, unit: 名 }")
            else {
                continue;
            };
            let saved = self.with_map_at(node);
            let label = self.string(m, "label", "名称");
            let value = self.number(m, "value", field);
            let unit = match m.get_node("unit") {
                Some(n) => n.as_scalar().map(|s| s.as_str().trim().to_string()),
                None => {
                    let at = self.map_at;
                    self.missing(
                        at,
                        &format!("{field}.unit"),
                        "单位，没有单位时写 unit: \"\"",
                    );
                    None
                }
            };
            let note = self.optional_string(m, "note");
            self.warn_unknown(m, &["label", "value", "unit", "note"], field);
            self.map_at = saved;
            if let (Some(label), Some(value), Some(unit)) = (label, value, unit) {
                out.push(Figure {
                    label,
                    value,
                    unit,
                    note,
                });
            }
        }
        out
    }

    fn region(&mut self, map: &MarkedMappingNode) -> Option<Region> {
        let Some(node) = map.get_node("region") else {
            self.missing(
                self.map_at,
                "region",
                "地区：{ province: 辽宁省, city: 盘锦市 }",
            );
            return None;
        };
        let m = self.mapping(node, "region", "{ province: 辽宁省, city: 盘锦市 }")?;
        let saved = self.with_map_at(node);
        let province = self.string(m, "province", "省份");
        let region = Region {
            province: province.unwrap_or_default(),
            city: self.optional_string(m, "city"),
            district: self.optional_string(m, "district"),
            street: self.optional_string(m, "street"),
        };
        self.warn_unknown(m, &["province", "city", "district", "street"], "region");
        self.map_at = saved;
        Some(region).filter(|r| !r.province.is_empty())
    }
}

/// True for `YYYY-MM-DD` naming a real day (and, when `partial`, also `YYYY-MM` or `YYYY`).
///
/// ```
/// use portal::check::fields::valid_date;
/// assert!(valid_date("2024-02-29", false));
/// assert!(!valid_date("2023-02-29", false));
/// assert!(!valid_date("2018-11", false));
/// assert!(valid_date("2018-11", true));
/// assert!(!valid_date("2018/11/02", true));
/// ```
pub fn valid_date(text: &str, partial: bool) -> bool {
    let full = format_description!("[year]-[month]-[day]");
    if time::Date::parse(text, &full).is_ok() {
        return true;
    }
    if !partial {
        return false;
    }
    let month = format_description!("[year]-[month]-[day]");
    let bytes = text.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match bytes.len() {
        4 => digits(bytes) && text != "0000",
        7 => bytes[4] == b'-' && time::Date::parse(&format!("{text}-01"), &month).is_ok(),
        _ => false,
    }
}

const COMMON: [&str; 5] = ["id", "title", "summary", "tags", "updated"];

fn known_fields(kind: Kind) -> Vec<&'static str> {
    let extra: &[&str] = match kind {
        Kind::Case => &["region", "date", "sources", "figures"],
        Kind::Workflow => &["sources"],
        Kind::Community => &["region", "sample", "facts", "sources"],
        Kind::Module => &["items", "minutes", "goals", "pass_mark", "sources"],
    };
    COMMON.iter().chain(extra).copied().collect()
}

fn yaml_error(e: &LoadError) -> ((usize, usize), String) {
    use LoadError::*;
    let pos = |m: &marked_yaml::Marker| (m.line(), m.column());
    match e {
        TopLevelMustBeMapping(m) => (
            pos(m),
            "头信息应为“字段: 值”的形式（每行一个字段）".to_string(),
        ),
        DuplicateKey(inner) => (
            inner.key.span().start().map(pos).unwrap_or((1, 1)),
            format!("字段 {} 重复出现", inner.key.as_str()),
        ),
        ScanError(m, err) => {
            #[allow(deprecated)]
            let info = std::error::Error::description(err).to_string();
            (
                pos(m),
                format!(
                    "YAML 语法错误：{info}（常见原因：值中含有冒号“: ”却没加引号，或缩进不一致）"
                ),
            )
        }
        other => ((1, 1), format!("YAML 无法解析：{other}")),
    }
}

/// Parses YAML that must be a mapping; problems go to `report` with file positions.
pub fn parse_mapping(yaml: &str, first_line: usize, report: &mut Report<'_>) -> Option<Node> {
    let options = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .toplevel_mapping();
    match parse_yaml_with_options(0, yaml, options) {
        Ok(node) => Some(node),
        Err(e) => {
            let ((line, col), message) = yaml_error(&e);
            report.error((line + first_line - 1, col), message, "yaml");
            None
        }
    }
}

/// Reads the front matter of one item. `first_line` is the file line of the YAML's first line.
pub fn read(
    kind: Kind,
    yaml: &str,
    first_line: usize,
    tags: &[Tag],
    report: &mut Report<'_>,
) -> Option<FrontMatter> {
    if yaml.trim().is_empty() {
        report.error(
            (first_line, 1),
            "头信息为空：至少需要 id、title、summary、tags、updated",
            "yaml",
        );
        return None;
    }
    let root = parse_mapping(yaml, first_line, report)?;
    let map = root.as_mapping()?;
    let mut r = Reader {
        report,
        first_line,
        map_at: (first_line.saturating_sub(1).max(1), 1),
    };

    let id_at = r.key_at(map, "id");
    let id = r.string(map, "id", "网址中使用的标识，如 panjin-2018");
    if let Some(id) = &id {
        if !is_valid_id(id) {
            let at = r.at(map.get_node("id").expect("present"));
            r.report.error(
                at,
                format!("id“{id}”不合规：只能用小写英文字母、数字和连字符，如 panjin-2018"),
                "id",
            );
        }
    }
    let title = r.string(map, "title", "标题");
    let summary = r.string(map, "summary", "一两句话的摘要");
    let mut tag_ids = Vec::new();
    if let Some(nodes) = r.list(map, "tags", "标签，取自 content/tags.yaml", true) {
        for node in nodes {
            if let Some(t) = r.string_node(node, "tags") {
                if tags.iter().any(|tag| tag.id == t) {
                    tag_ids.push(t);
                } else {
                    let at = r.at(node);
                    let hint = tags
                        .iter()
                        .find(|tag| tag.label == t)
                        .map(|tag| format!("；“{t}”对应的标签 id 是 {}", tag.id))
                        .unwrap_or_else(|| {
                            "；请从 content/tags.yaml 中选用，或先在那里添加".into()
                        });
                    r.report.error(at, format!("未知标签“{t}”{hint}"), "tags");
                }
            }
        }
    }
    let updated = r.date(map, "updated", "最近修订日期", false);

    let (details, sources, refs) = match kind {
        Kind::Case => {
            let region = r.region(map);
            let date = r.date(map, "date", "实践或报道日期", true);
            let sources = r.sources(map, true);
            let figures = r.figures(map, "figures", false);
            (
                region.zip(date).map(|(region, date)| {
                    Details::Case(CaseStudy {
                        region,
                        date,
                        figures,
                    })
                }),
                sources,
                Vec::new(),
            )
        }
        Kind::Workflow => {
            let sources = r.sources(map, true);
            (
                Some(Details::Workflow(Workflow { steps: 0 })),
                sources,
                Vec::new(),
            )
        }
        Kind::Community => {
            let region = r.region(map);
            let sample = match map.get_node("sample") {
                None => false,
                Some(node) => match node.as_scalar().and_then(MarkedScalarNode::as_bool) {
                    Some(b) => b,
                    None => {
                        let at = r.at(node);
                        r.report
                            .error(at, "字段 sample 应为 true 或 false", "sample");
                        false
                    }
                },
            };
            let sources = r.sources(map, !sample);
            let facts = r.figures(map, "facts", true);
            (
                region.map(|region| {
                    Details::Community(Community {
                        region,
                        sample,
                        facts,
                    })
                }),
                sources,
                Vec::new(),
            )
        }
        Kind::Module => {
            let sources = r.sources(map, false);
            let mut refs = Vec::new();
            if let Some(nodes) = r.list(
                map,
                "items",
                "按学习顺序排列的内容，如 case:panjin-2018",
                true,
            ) {
                for node in nodes {
                    if let Some(text) = r.string_node(node, "items") {
                        let at = r.at(node);
                        match text.parse::<Ref>() {
                            Ok(rf) => refs.push((rf, at)),
                            Err(e) => {
                                r.report
                                    .error(at, format!("items 中的“{text}”无效：{e}"), "items")
                            }
                        }
                    }
                }
            }
            let minutes = match map.get_node("minutes") {
                None => {
                    r.missing(r.map_at, "minutes", "预计学习分钟数");
                    None
                }
                Some(node) => match node.as_scalar().and_then(|s| s.as_u32()).filter(|m| *m > 0) {
                    Some(m) => Some(m),
                    None => {
                        let at = r.at(node);
                        r.report
                            .error(at, "字段 minutes 应为大于 0 的整数（分钟）", "minutes");
                        None
                    }
                },
            };
            let mut goals = Vec::new();
            if let Some(nodes) = r.list(map, "goals", "学习目标", true) {
                goals = nodes
                    .iter()
                    .filter_map(|n| r.string_node(n, "goals"))
                    .collect();
            }
            let pass_mark = match map.get_node("pass_mark") {
                None => Some(80),
                Some(node) => match node
                    .as_scalar()
                    .and_then(|s| s.as_u8())
                    .filter(|p| (1..=100).contains(p))
                {
                    Some(p) => Some(p),
                    None => {
                        let at = r.at(node);
                        r.report.error(
                            at,
                            "字段 pass_mark 应为 1 到 100 之间的整数（及格分数线，百分制）",
                            "pass_mark",
                        );
                        None
                    }
                },
            };
            let details = minutes.zip(pass_mark).map(|(minutes, pass_mark)| {
                Details::Module(Module {
                    items: refs.iter().map(|(r, _)| r.clone()).collect(),
                    minutes,
                    goals,
                    pass_mark,
                    questions: 0,
                })
            });
            (details, sources, refs)
        }
    };
    r.warn_unknown(map, &known_fields(kind), "");

    Some(FrontMatter {
        id: id?,
        id_at,
        title: title?,
        summary: summary?,
        tags: tag_ids,
        updated: updated?,
        sources,
        details: details?,
        refs,
    })
}

/// Reads `content/tags.yaml`: a list of `{ id, label }`.
pub fn read_tags(yaml: &str, report: &mut Report<'_>) -> Vec<Tag> {
    let options = LoaderOptions::default().toplevel_sequence();
    let root = match parse_yaml_with_options(0, yaml, options) {
        Ok(root) => root,
        Err(e) => {
            let (at, message) = yaml_error(&e);
            report.error(at, message, "tags");
            return Vec::new();
        }
    };
    let mut out: Vec<Tag> = Vec::new();
    let Some(seq) = root.as_sequence() else {
        return out;
    };
    for node in seq.iter() {
        let at = span_of(node).unwrap_or((1, 1));
        let id = node.as_mapping().and_then(|m| m.get_scalar("id"));
        let label = node.as_mapping().and_then(|m| m.get_scalar("label"));
        match (id, label) {
            (Some(id), Some(label))
                if is_valid_id(id.as_str()) && !label.as_str().trim().is_empty() =>
            {
                if out.iter().any(|t| t.id == id.as_str()) {
                    report.error(at, format!("标签 id“{}”重复", id.as_str()), "id");
                } else {
                    out.push(Tag {
                        id: id.as_str().to_string(),
                        label: label.as_str().trim().to_string(),
                    });
                }
            }
            _ => report.error(
                at,
                "每个标签应写成“- id: 小写英文-连字符”和“  label: 中文名称”两行",
                "tags",
            ),
        }
    }
    out
}
