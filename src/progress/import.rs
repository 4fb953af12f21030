//! Importing an exported record file: validate it, then show what merging it would change, and
//! merge only when the learner confirms.
//!
//! The file is checked in the order that is cheapest and most helpful: size (before reading
//! anything), text encoding, whether it is one of our other exports (CSV, xAPI), then the
//! document itself ([`super::storage_format::decode`]). Any of these failing changes nothing.
//! Importing never replaces the current record: [`ImportPreview::apply_to`] merges into it.

use std::collections::BTreeSet;

use crate::content::Ref;

use super::catalog::Catalog;
use super::model::{ItemState, Payload};
use super::storage_format::{decode, FormatError, RecordProblem};
use super::Progress;

/// The largest file accepted: 5 MB holds tens of thousands of events, far more than a learner
/// makes, and refusing bigger files keeps a wrong choice of file from freezing a phone.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// Why a file cannot be imported. Nothing is changed when this happens.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("文件是空的")]
    Empty,
    #[error(
        "文件太大（{size} 字节），学习记录文件不应超过 {limit} 字节，请确认选择的是导出的学习记录"
    )]
    TooLarge { size: usize, limit: usize },
    #[error("这不是学习记录文件：内容不是文本")]
    NotText,
    #[error("这是学习进度表格（CSV），只能用表格软件打开，不能导入；请选择“导出学习记录（JSON）”得到的文件")]
    CsvExport,
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// An item whose state the import would change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    pub item: Ref,
    /// The title, if the catalog knows the item.
    pub title: Option<String>,
    pub before: ItemState,
    pub after: ItemState,
}

/// What importing a file would do, computed before anything changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPreview {
    /// The file's schema (1 means it was migrated).
    pub schema: u32,
    /// Events read from the file.
    pub incoming: usize,
    /// Events not on this device yet.
    pub new_events: usize,
    /// Events already here.
    pub already_here: usize,
    /// Events whose id is used here by a different event, plus clashes inside the file; one of
    /// each is kept by a fixed rule.
    pub conflicts: usize,
    /// New quiz attempts among the new events.
    pub new_attempts: usize,
    /// Items whose state would change, in catalog order, then unknown items.
    pub changes: Vec<StateChange>,
    /// The display name before and after, if it would change.
    pub display_name: Option<(Option<String>, Option<String>)>,
    /// Items in the file that this device's content does not have (kept, but not shown in
    /// lists). Empty when the catalog is empty (not loaded).
    pub unknown_items: Vec<Ref>,
    /// Records of the file that were left out, and why (the first
    /// [`MAX_LISTED_PROBLEMS`](super::storage_format::MAX_LISTED_PROBLEMS)).
    pub problems: Vec<RecordProblem>,
    /// How many records of the file were left out in all.
    pub skipped: usize,
    record: Progress,
}

impl ImportPreview {
    /// Whether importing would change nothing at all.
    pub fn changes_nothing(&self) -> bool {
        self.new_events == 0 && self.conflicts == 0
    }

    /// The record read from the file.
    pub fn record(&self) -> &Progress {
        &self.record
    }

    /// Merges the file into `current`, which should be the record as it is when the learner
    /// confirms (another tab may have written since the preview was made).
    pub fn apply_to(&self, current: &Progress) -> Progress {
        current.merge(&self.record)
    }

    /// A one-paragraph summary for the confirmation dialog.
    ///
    /// ```
    /// use portal::progress::{import::preview_import, NoCatalog, Progress};
    /// let file = br#"{"schema":2,"format":"portal-learning-record","events":[
    ///   {"id":"t-1","at":1764000000000,"type":"read","item":"case:panjin-2018"}]}"#;
    /// let preview = preview_import(&Progress::new(), &NoCatalog, file).unwrap();
    /// assert_eq!(preview.summary(), "文件中有 1 条学习记录，其中 1 条是新的。1 项内容的学习状态会改变。");
    /// ```
    pub fn summary(&self) -> String {
        if self.incoming == 0 {
            return "文件中没有学习记录。".into();
        }
        let mut s = format!("文件中有 {} 条学习记录，", self.incoming);
        if self.new_events == 0 {
            s.push_str("都已在本设备上，导入不会改变任何内容。");
        } else {
            s.push_str(&format!("其中 {} 条是新的。", self.new_events));
        }
        if !self.changes.is_empty() {
            s.push_str(&format!("{} 项内容的学习状态会改变。", self.changes.len()));
        }
        if self.new_attempts > 0 {
            s.push_str(&format!("新增 {} 次自测记录。", self.new_attempts));
        }
        if let Some((_, after)) = &self.display_name {
            match after {
                Some(name) => s.push_str(&format!("显示名称将变为“{name}”。")),
                None => s.push_str("显示名称将被清除。"),
            }
        }
        if self.conflicts > 0 {
            s.push_str(&format!(
                "{} 条记录与已有记录编号相同但内容不同，将按时间较晚者保留。",
                self.conflicts
            ));
        }
        if !self.unknown_items.is_empty() {
            s.push_str(&format!(
                "{} 项内容在本设备上没有，相关记录会保留。",
                self.unknown_items.len()
            ));
        }
        if self.skipped > 0 {
            s.push_str(&format!("{} 条记录无法读取，将被跳过。", self.skipped));
        }
        s
    }
}

/// The header line our CSV export starts with; see [`super::export::CSV_HEADERS`].
fn is_our_csv(text: &str) -> bool {
    text.trim_start()
        .starts_with(&super::export::CSV_HEADERS[..2].join(","))
}

/// Reads an import file and works out what merging it into `current` would change.
///
/// ```
/// use portal::progress::{import::{preview_import, ImportError}, FormatError, NoCatalog, Progress};
/// let p = Progress::new();
/// assert_eq!(preview_import(&p, &NoCatalog, b"").unwrap_err(), ImportError::Empty);
/// assert_eq!(preview_import(&p, &NoCatalog, b"%PDF-1.7").unwrap_err(), ImportError::Format(FormatError::NotJson));
/// assert_eq!(preview_import(&p, &NoCatalog, &[0xff, 0xfe]).unwrap_err(), ImportError::NotText);
/// ```
pub fn preview_import(
    current: &Progress,
    catalog: &dyn Catalog,
    bytes: &[u8],
) -> Result<ImportPreview, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            limit: MAX_IMPORT_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| match e.error_len() {
        // The bytes end inside a character: the file was cut off, not another kind of file.
        None => ImportError::Format(FormatError::Truncated),
        Some(_) => ImportError::NotText,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if is_our_csv(text) {
        return Err(ImportError::CsvExport);
    }
    let decoded = decode(text)?;
    let record = decoded.progress;

    let mut new_events = 0;
    let mut already_here = 0;
    let mut conflicts = decoded.conflicts;
    let mut new_attempts = 0;
    for e in record.events() {
        match current.event(&e.id) {
            None => {
                new_events += 1;
                if matches!(e.payload, Payload::QuizAttempt(_)) {
                    new_attempts += 1;
                }
            }
            Some(here) if here == e => already_here += 1,
            Some(_) => conflicts += 1,
        }
    }

    let merged = current.merge(&record);
    let before = current.statuses(catalog);
    let after = merged.statuses(catalog);
    let changes = after
        .iter()
        .filter_map(|a| {
            let was = before
                .iter()
                .find(|b| b.item == a.item)
                .map_or(ItemState::NotStarted, |b| b.state);
            (was != a.state).then(|| StateChange {
                title: catalog.title(&a.item).map(str::to_string),
                item: a.item.clone(),
                before: was,
                after: a.state,
            })
        })
        .collect();

    let name_before = current.display_name().map(str::to_string);
    let name_after = merged.display_name().map(str::to_string);
    let display_name = (name_before != name_after).then_some((name_before, name_after));

    let unknown_items = if catalog.items().is_empty() {
        Vec::new()
    } else {
        let refs: BTreeSet<String> = record
            .events()
            .iter()
            .filter_map(|e| e.item())
            .filter(|r| !catalog.contains(r))
            .map(|r| r.to_string())
            .collect();
        refs.into_iter().filter_map(|s| s.parse().ok()).collect()
    };

    Ok(ImportPreview {
        schema: decoded.schema,
        incoming: record.len(),
        new_events,
        already_here,
        conflicts,
        new_attempts,
        changes,
        display_name,
        unknown_items,
        problems: decoded.problems,
        skipped: decoded.skipped,
        record,
    })
}
