//! The editors' checker: given every file under `content/` ([`tree::ContentTree`]), it reports
//! every problem with its file, line and field, and gives the items the build publishes. It does
//! no file I/O: the content tool reads the folder (`crate::site::load`) and writes the build
//! (`crate::site`).
//!
//! Native only for now: its YAML (`marked-yaml`) and date (`time`) parsers are native-only
//! dependencies; nothing else here needs the host.

pub mod assets;
pub mod diagnostic;
pub mod fields;
pub mod tree;

use std::collections::{HashMap, HashSet};

use crate::content::markdown::{self, classify, explicit_id_problem, Dest, Scan};
use crate::content::{
    quiz, split_front_matter, workflow, Details, Item, Kind, Manifest, Ref, Tag, MANIFEST_VERSION,
};
pub use diagnostic::{Diagnostic, Report, Severity};
use tree::{extension, stem, ContentTree, Entry, EntryKind, FileContents};

/// The tag table, at the top of the content folder.
pub const TAGS_FILE: &str = "tags.yaml";

/// The biggest content file the checker reads; larger ones are refused, not truncated.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One item file that was read, valid or not far enough to become an [`Item`].
#[derive(Debug)]
pub struct Parsed {
    /// The file as diagnostics name it: `content/cases/x.md`.
    pub path: String,
    /// The file's path in the content folder: `cases/x.md`.
    pub file: String,
    pub kind: Kind,
    pub item: Option<Item>,
    pub id_at: (usize, usize),
    pub body: String,
    /// File line of the body's first line, minus one.
    pub body_offset: usize,
    pub scan: Scan,
    pub refs: Vec<(Ref, (usize, usize))>,
}

/// The result of checking a content directory.
#[derive(Debug)]
pub struct Checked {
    pub tags: Vec<Tag>,
    pub items: Vec<Parsed>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The quiz questions of every module, and how many of them are scenario or calculation
    /// questions: (questions, scenarios).
    pub fn quiz_totals(&self) -> (usize, usize) {
        self.items
            .iter()
            .filter(|p| p.kind == Kind::Module)
            .map(|p| quiz::parse(&p.body).0)
            .fold((0, 0), |(n, k), qs| {
                (n + qs.len(), k + quiz::scenario_count(&qs))
            })
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The manifest of the valid items (call only when there are no errors).
    pub fn manifest(&self) -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            tags: self.tags.clone(),
            items: self.items.iter().filter_map(|p| p.item.clone()).collect(),
        }
    }
}

/// The markdown files of one kind's folder, sorted by name. Subfolders hold images, not items,
/// so that every body's relative paths resolve against its kind's folder in the built site too.
/// A symbolic link is not read (the walk of [`check_files`] reports it), and neither is what is
/// under a kind's folder that is a link.
fn markdown_files(tree: &ContentTree, kind: Kind) -> Vec<(&Entry, &FileContents)> {
    let folder = kind.folder();
    if tree.get(folder).map(|e| &e.kind) != Some(&EntryKind::Folder) {
        return Vec::new();
    }
    let mut out: Vec<_> = tree
        .entries
        .iter()
        .filter(|e| e.depth() == 2 && e.path.split('/').next() == Some(folder))
        .filter(|e| extension(e.name()) == Some("md"))
        .filter_map(|e| match &e.kind {
            EntryKind::File(contents) => Some((e, contents)),
            _ => None,
        })
        .collect();
    out.sort_by(|(a, _), (b, _)| a.path.cmp(&b.path));
    out
}

/// Reports every symbolic link under `content/` and every file under a kind's folder that the
/// build would not publish ([`assets::publishable`]), except the items' own `.md` files. What is
/// inside a hidden folder (`.git/`) is not looked at.
fn check_files(tree: &ContentTree, diagnostics: &mut Vec<Diagnostic>) {
    for entry in &tree.entries {
        let names: Vec<&str> = entry.path.split('/').collect();
        let Some((name, folders)) = names.split_last() else {
            continue;
        };
        if folders.iter().any(|f| f.starts_with('.')) {
            continue;
        }
        // Under a kind's folder: `cases/…` with `cases` a real folder (a link is not entered).
        let in_kind = !folders.is_empty()
            && Kind::from_folder(folders[0]).is_some()
            && tree.get(folders[0]).map(|e| &e.kind) == Some(&EntryKind::Folder);
        let is_item =
            folders.len() == 1 && matches!(entry.kind, EntryKind::File(_)) && name.ends_with(".md");
        let result = if !in_kind {
            if entry.kind == EntryKind::Symlink {
                Err(assets::AssetProblem::Symlink(name.to_string()))
            } else {
                Ok(false)
            }
        } else if is_item {
            Ok(false)
        } else {
            assets::publishable(name, &entry.kind)
        };
        if let Err(problem) = result {
            Report {
                path: &tree.shown(&entry.path),
                diagnostics,
            }
            .error((1, 1), problem.to_string(), "file");
        }
    }
}

/// Reads one item file and checks what can be checked without the other files.
fn read_item(
    tree: &ContentTree,
    (entry, contents): (&Entry, &FileContents),
    kind: Kind,
    tags: &[Tag],
    diagnostics: &mut Vec<Diagnostic>,
) -> Parsed {
    let path = tree.shown(&entry.path);
    let mut parsed = Parsed {
        path: path.clone(),
        file: entry.path.clone(),
        kind,
        item: None,
        id_at: (1, 1),
        body: String::new(),
        body_offset: 0,
        scan: Scan::default(),
        refs: Vec::new(),
    };
    let mut report = Report {
        path: &path,
        diagnostics,
    };
    let size = contents.size;
    if size > MAX_FILE_BYTES {
        report.error(
            (1, 1),
            format!("文件过大（{size} 字节，上限 1 MB），请拆分"),
            "file",
        );
        return parsed;
    }
    let text = match contents.bytes.clone() {
        Err(e) => {
            report.error((1, 1), format!("无法读取文件：{e}"), "file");
            return parsed;
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            // A line ends at \n, \r\n or a lone \r, as YAML and CommonMark both count them;
            // the checker counts only \n, so every ending becomes one (fuzz finding: a file with
            // lone CRs had its YAML diagnostics point past its last line).
            Ok(t) => t.replace("\r\n", "\n").replace('\r', "\n"),
            Err(e) => {
                let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                report.error((line, 1), "文件不是 UTF-8 编码，请用 UTF-8 保存", "file");
                return parsed;
            }
        },
    };
    let Some((yaml, body, body_offset)) = split_front_matter(&text) else {
        report.error(
            (1, 1),
            "缺少头信息：文件应以一行“---”开始，写完字段后再用一行“---”结束",
            "yaml",
        );
        return parsed;
    };
    parsed.body = body.to_string();
    parsed.body_offset = body_offset;
    let front = fields::read(kind, yaml, 2, tags, &mut report);

    let at = |line: usize, col: usize| (line + body_offset, col);
    if body.trim().is_empty() {
        report.error((body_offset.max(1), 1), "正文为空", "body");
    }
    parsed.scan = markdown::scan(body);
    for heading in &parsed.scan.headings {
        let heading_at = at(heading.line, heading.column);
        if !heading.extra.is_empty() {
            let written: Vec<String> = heading.extra.iter().map(|e| format!("“{e}”")).collect();
            report.error(
                heading_at,
                format!(
                    "标题“{}”后的 {{…}} 中只能写锚点（如 {{#zuofa}}），不能写{}",
                    heading.text,
                    written.join("、")
                ),
                "body",
            );
        }
        if let Some(problem) = heading.explicit.as_deref().and_then(explicit_id_problem) {
            report.error(heading_at, problem.to_string(), "body");
        }
    }
    // A closing tag is reported with its opening one.
    for html in parsed
        .scan
        .html
        .iter()
        .filter(|h| !h.snippet.starts_with("</"))
    {
        report.error(
            at(html.line, html.column),
            format!(
                "正文中不能使用 HTML 标签“{}”，请改用 Markdown 写法",
                html.snippet
            ),
            "body",
        );
    }
    // Steps or questions counted from the body, for the manifest.
    let mut body_count = 0;
    match kind {
        Kind::Workflow => {
            let (steps, problems) = workflow::parse(body);
            for p in problems {
                let line = if p.line == 1 && p.field == "steps" {
                    1
                } else {
                    p.line + body_offset
                };
                report.error(
                    (line, 1),
                    p.message,
                    &format!("steps.{}", p.field).replace("steps.steps", "steps"),
                );
            }
            body_count = steps.steps.len();
        }
        Kind::Module => {
            let (questions, problems) = quiz::parse(body);
            for p in problems {
                report.error(at(p.line, 1), p.message, &format!("quiz.{}", p.field));
            }
            if quiz::split_guide(body).1.is_none() {
                report.error(
                    (body_offset.max(1), 1),
                    "学习模块缺少自测题：请在正文末尾加“## 自测题”及题目",
                    "quiz",
                );
            } else if questions.is_empty() {
                report.error((body_offset.max(1), 1), "“## 自测题”下没有题目", "quiz");
            } else if let Some(start) = quiz::split_guide(body).1 {
                let (have, need) = (
                    quiz::scenario_count(&questions),
                    quiz::scenarios_needed(questions.len()),
                );
                if have < need {
                    report.error(
                        at(start, 1),
                        format!(
                            "自测题共 {} 道，情景题或计算题（写有“情景：”的题）只有 {have} 道，至少要有 {need} 道（三分之一）",
                            questions.len()
                        ),
                        "quiz",
                    );
                }
            }
            for (line, r) in quiz::source_lines(&questions) {
                parsed.refs.push((r.clone(), at(line, 1)));
            }
            body_count = questions.len();
        }
        _ => {}
    }

    if let Some(front) = front {
        let file_stem = stem(entry.name());
        if file_stem != front.id {
            report.warning(
                front.id_at,
                format!(
                    "文件名“{file_stem}.md”与 id“{}”不一致，建议改名为 {}.md",
                    front.id, front.id
                ),
                "id",
            );
        }
        parsed.id_at = front.id_at;
        parsed.refs.splice(0..0, front.refs);
        let mut details = front.details;
        match &mut details {
            Details::Workflow(w) => w.steps = body_count,
            Details::Module(m) => m.questions = body_count,
            _ => {}
        }
        parsed.item = Some(Item {
            body: kind.rendered_path(&front.id),
            id: front.id,
            title: front.title,
            summary: front.summary,
            tags: front.tags,
            updated: front.updated,
            sources: front.sources,
            details,
        });
    }
    parsed
}

/// Checks links, module items and ids across all files.
fn check_across(tree: &ContentTree, items: &[Parsed], diagnostics: &mut Vec<Diagnostic>) {
    let paths: HashSet<&str> = tree.entries.iter().map(|e| e.path.as_str()).collect();
    let mut by_ref: HashMap<(Kind, &str), &Parsed> = HashMap::new();
    let mut first_of_id: HashMap<&str, &Parsed> = HashMap::new();
    for p in items {
        let Some(item) = &p.item else { continue };
        if let Some(first) = first_of_id.get(item.id.as_str()) {
            Report {
                path: &p.path,
                diagnostics,
            }
            .error(
                p.id_at,
                format!(
                    "id“{}”重复：{}:{} 已使用这个 id（id 在所有内容中必须唯一）",
                    item.id, first.path, first.id_at.0
                ),
                "id",
            );
        } else {
            first_of_id.insert(&item.id, p);
            by_ref.insert((p.kind, item.id.as_str()), p);
        }
    }
    let anchors_of =
        |p: &Parsed| -> Vec<String> { p.scan.headings.iter().map(|h| h.anchor.clone()).collect() };
    let check_ref = |r: &Ref,
                     at: (usize, usize),
                     p: &Parsed,
                     field: &str,
                     diagnostics: &mut Vec<Diagnostic>| {
        let mut report = Report {
            path: &p.path,
            diagnostics,
        };
        match by_ref.get(&(r.kind, r.id.as_str())) {
            None => {
                let hint = first_of_id
                    .get(r.id.as_str())
                    .and_then(|t| {
                        t.item.as_ref().map(|i| {
                            format!(
                                "；id“{}”是{}，应写成 {}:{}",
                                r.id,
                                i.kind().noun(),
                                i.kind().key(),
                                r.id
                            )
                        })
                    })
                    .unwrap_or_default();
                report.error(
                    at,
                    format!("链接的内容“{}:{}”不存在{hint}", r.kind.key(), r.id),
                    field,
                );
            }
            Some(target) => {
                if let Some(anchor) = &r.anchor {
                    let anchors = anchors_of(target);
                    if !anchors.contains(anchor) {
                        let list: Vec<_> = anchors.iter().take(12).map(String::as_str).collect();
                        report.error(
                            at,
                            format!(
                                "“{}”中没有标题锚点“{anchor}”；可用的锚点：{}",
                                target.path,
                                list.join("、")
                            ),
                            field,
                        );
                    }
                }
            }
        }
    };
    for p in items {
        for (r, at) in &p.refs {
            let field = if p.kind == Kind::Module && p.body_offset > at.0 {
                "items"
            } else {
                "quiz.出处"
            };
            if p.item
                .as_ref()
                .is_some_and(|i| i.kind() == r.kind && i.id == r.id && field == "items")
            {
                Report {
                    path: &p.path,
                    diagnostics,
                }
                .error(*at, "模块不能包含它自己", "items");
                continue;
            }
            check_ref(r, *at, p, field, diagnostics);
        }
        // The item's folder: relative paths resolve against it.
        let dir = p.file.rsplit_once('/').map_or("", |(dir, _)| dir);
        for link in &p.scan.links {
            let at = (link.line + p.body_offset, link.column);
            let field = if link.image { "image" } else { "link" };
            match classify(&link.dest) {
                Dest::Internal(r) => check_ref(&r, at, p, field, diagnostics),
                Dest::External => {
                    if link.image {
                        Report { path: &p.path, diagnostics }.error(
                            at,
                            format!("不能使用外部图片“{}”（每位读者的手机都会去访问那个网站）：请把图片放进本栏目的 img/ 文件夹", link.dest),
                            field,
                        );
                    }
                }
                Dest::Fragment => {
                    let anchor = link.dest.trim_start_matches('#');
                    let is_footnote = anchor
                        .strip_prefix(markdown::FOOTNOTE_ID_PREFIX)
                        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
                    if !is_footnote && !anchors_of(p).iter().any(|a| a == anchor) {
                        Report { path: &p.path, diagnostics }.error(at, format!("本页没有标题锚点“{anchor}”"), field);
                    }
                }
                Dest::Relative => {
                    let file = link.dest.split(['#', '?']).next().unwrap_or_default();
                    // `classify` leaves no `.`, `..` or empty name in a relative path.
                    let target = format!("{dir}/{file}");
                    let mut report = Report { path: &p.path, diagnostics };
                    let what = if link.image { "图片" } else { "文件" };
                    if link.dest.ends_with(".md") {
                        report.error(at, format!("请用“类型:id”链接其他内容（如 case:panjin-2018），不要链接文件“{}”", link.dest), field);
                    } else if !paths.contains(target.as_str()) {
                        report.error(at, format!("{what}“{}”不存在（路径相对于本文件所在文件夹）", link.dest), field);
                    } else if assets::image_type(file).is_none() {
                        // The file itself is reported too ([`check_files`]); this says where it is used.
                        report.error(at, format!("{what}“{}”不会发布：正文只能引用本栏目文件夹中的图片（{}）", link.dest, assets::IMAGE_LIST), field);
                    }
                }
                Dest::Outside => Report { path: &p.path, diagnostics }.error(
                    at,
                    format!("路径“{}”指到了本栏目文件夹之外：图片请放进本栏目的 img/ 文件夹并写成 img/文件名（不要以 / 开头，不要含 ../、./ 或 %）；链接其他内容请写成“类型:id”", link.dest),
                    field,
                ),
                Dest::Unsafe => Report { path: &p.path, diagnostics }.error(
                    at,
                    format!("不允许的链接“{}”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件", link.dest),
                    field,
                ),
            }
        }
    }
}

/// Checks a content folder: every problem in every file, sorted by file and line.
///
/// ```
/// use portal::check::check;
/// use portal::check::tree::{ContentTree, Entry};
/// let tree = ContentTree::new("content", vec![
///     Entry::file("tags.yaml", "- id: grid-governance\n  label: 网格化治理\n"),
///     Entry::folder("cases"),
///     Entry::file("cases/a.md", "---\nid: a\n---\n正文\n"),
/// ]);
/// let checked = check(&tree);
/// assert_eq!(checked.items.len(), 1);
/// assert!(checked.errors() > 0, "a case needs a title, a summary, …");
/// assert!(checked.diagnostics.iter().all(|d| d.path == "content/cases/a.md"));
/// ```
pub fn check(tree: &ContentTree) -> Checked {
    let mut diagnostics = Vec::new();
    let tags_display = tree.shown(TAGS_FILE);
    let tags_text = match tree.get(TAGS_FILE).map(|e| &e.kind) {
        None => Err("文件不存在".to_string()),
        // A link could make the checker read, and print, any file of the machine.
        Some(EntryKind::Symlink) => Err("标签表是符号链接".to_string()),
        Some(EntryKind::Folder | EntryKind::Special) => Err("不是文件".to_string()),
        Some(EntryKind::File(contents)) if contents.size > MAX_FILE_BYTES => {
            Err(format!("文件过大（{} 字节，上限 1 MB）", contents.size))
        }
        Some(EntryKind::File(contents)) => contents.bytes.clone().and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| "文件不是 UTF-8 编码，请用 UTF-8 保存".to_string())
        }),
    };
    let tags = match tags_text {
        Ok(text) => fields::read_tags(
            &text,
            &mut Report {
                path: &tags_display,
                diagnostics: &mut diagnostics,
            },
        ),
        Err(e) => {
            Report {
                path: &tags_display,
                diagnostics: &mut diagnostics,
            }
            .error((1, 1), format!("无法读取标签表：{e}"), "tags");
            Vec::new()
        }
    };
    if !tree.is_folder {
        diagnostics.push(Diagnostic {
            path: tree.root.clone(),
            line: 1,
            column: 1,
            severity: Severity::Error,
            message: "内容文件夹不存在".into(),
            field: None,
        });
    }
    check_files(tree, &mut diagnostics);
    let mut items = Vec::new();
    for kind in Kind::ALL {
        for file in markdown_files(tree, kind) {
            items.push(read_item(tree, file, kind, &tags, &mut diagnostics));
        }
    }
    check_across(tree, &items, &mut diagnostics);
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Checked {
        tags,
        items,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAGS: &str = "- id: grid-governance\n  label: 网格化治理\n";

    /// The valid fixture's case with `body`.
    fn case(body: &str) -> String {
        let fixture = include_str!("../../tests/fixtures/valid/cases/a.md");
        let (yaml, _, _) = split_front_matter(fixture).unwrap();
        format!("---\n{yaml}---\n{body}\n")
    }

    fn shown(checked: &Checked) -> Vec<String> {
        checked.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_folder_held_in_memory_is_checked_like_one_on_disk() {
        let png = b"\x89PNG\r\n\x1a\n".to_vec();
        let tree = |body: &str| {
            ContentTree::new(
                "content",
                vec![
                    Entry::file(TAGS_FILE, TAGS),
                    Entry::folder("cases"),
                    Entry::file("cases/a.md", case(body)),
                    Entry::folder("cases/img"),
                    Entry::file("cases/img/x.png", png.clone()),
                    Entry::folder("cases/.git"),
                    Entry::file("cases/.git/y.html", "<script>"),
                ],
            )
        };
        let clean = check(&tree("## 背景\n\n![图](img/x.png)"));
        assert_eq!(shown(&clean), Vec::<String>::new());
        assert_eq!(clean.items[0].file, "cases/a.md");
        let missing = check(&tree("## 背景\n\n![图](img/none.png)"));
        assert_eq!(
            shown(&missing),
            ["content/cases/a.md:20:1: 错误: 图片“img/none.png”不存在（路径相对于本文件所在文件夹） (image)"]
        );
    }

    #[test]
    fn a_tag_table_that_is_missing_or_a_link_is_reported_not_read() {
        let without = check(&ContentTree::new("content", vec![]));
        assert_eq!(
            shown(&without),
            ["content/tags.yaml:1:1: 错误: 无法读取标签表：文件不存在 (tags)"]
        );
        let link = Entry {
            path: TAGS_FILE.into(),
            kind: EntryKind::Symlink,
        };
        let linked = check(&ContentTree::new("content", vec![link]));
        assert_eq!(
            shown(&linked),
            [
                "content/tags.yaml:1:1: 错误: 无法读取标签表：标签表是符号链接 (tags)",
                "content/tags.yaml:1:1: 错误: “tags.yaml”是符号链接，不会读取也不会发布：请放入文件本身 (file)"
            ]
        );
        let gone = ContentTree {
            is_folder: false,
            ..ContentTree::new("nowhere", vec![])
        };
        assert!(shown(&check(&gone)).contains(&"nowhere:1:1: 错误: 内容文件夹不存在".to_string()));
    }
}
