//! Importing an exported record file: validate it, then show what merging it would change, and
//! merge only when the learner confirms.
//!
//! The file is checked in the order that is cheapest and most helpful: size (before reading
//! anything), text encoding, whether it is one of our other exports (CSV, xAPI), then the
//! document itself ([`super::storage_format::decode`]). Any of these failing changes nothing.
//! Importing never replaces the current record: [`ImportPreview::apply_to`] merges into it.
//!
//! Events dated more than [`FUTURE_TOLERANCE_MS`] past the device's clock are refused one by one
//! and named in the preview: replay takes the later event, and one dated 9999 would otherwise
//! keep a display name or an unticked step in place whatever the learner did next.
//!
//! The preview is O(n log n) in the size of both records (a 5 MB file over a 5 MB record takes
//! a fraction of a second natively; `cargo run --release --example import_bench` measures it).

use std::collections::{BTreeSet, HashMap};

use crate::content::Ref;

use super::catalog::Catalog;
use super::datetime::LocalDate;
use super::model::{EventError, ItemState, Payload, FUTURE_TOLERANCE_MS};
use super::state::Facts;
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
    /// Events of the file whose id the device uses for a different event: not imported, the
    /// device's own stay.
    pub clashing: usize,
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
    /// How many records of the file were left out in all (not counting `from_the_future`).
    pub skipped: usize,
    /// Events refused because they are dated more than a day past this device's clock; they
    /// are among `problems` too.
    pub from_the_future: usize,
    /// The latest date claimed by a refused event.
    pub latest_future: Option<u64>,
    record: Progress,
}

impl ImportPreview {
    /// Whether importing would change nothing at all.
    pub fn changes_nothing(&self) -> bool {
        self.new_events == 0 && self.conflicts == 0
    }

    /// The sentence that says future-dated events were refused, if any were.
    ///
    /// ```
    /// use portal::progress::{import::preview_import, NoCatalog, Progress};
    /// let file = r#"{"schema":2,"format":"portal-learning-record","events":[
    ///   {"id":"t-1","at":253402300799999,"type":"display_name_set","name":"钉住"}]}"#;
    /// let now = 1_764_000_000_000;
    /// let preview = preview_import(&Progress::new(), &NoCatalog, file.as_bytes(), now).unwrap();
    /// assert_eq!(preview.refusal().unwrap(), "有 1 条记录的日期比本机时间晚一天以上（最晚为 9999-12-31），可能来自时钟有误的设备或被改动的文件，已拒绝导入。");
    /// assert!(preview.changes_nothing());
    /// ```
    pub fn refusal(&self) -> Option<String> {
        (self.from_the_future > 0).then(|| {
            let latest = self
                .latest_future
                .map(|t| format!("（最晚为 {}）", LocalDate::from_millis(t, 0)))
                .unwrap_or_default();
            format!(
                "有 {} 条记录的日期比本机时间晚一天以上{latest}，可能来自时钟有误的设备或被改动的文件，已拒绝导入。",
                self.from_the_future
            )
        })
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
    /// let preview = preview_import(&Progress::new(), &NoCatalog, file, 1_764_000_000_000).unwrap();
    /// assert_eq!(preview.summary(), "文件中有 1 条学习记录，其中 1 条是新的。1 项内容的学习状态会改变。");
    /// ```
    pub fn summary(&self) -> String {
        let refusal = self.refusal().unwrap_or_default();
        if self.incoming == 0 {
            return if refusal.is_empty() {
                "文件中没有学习记录。".into()
            } else {
                format!("{refusal}文件中没有其他可导入的学习记录，导入不会改变任何内容。")
            };
        }
        let mut s = refusal;
        s.push_str(&format!("文件中有 {} 条学习记录，", self.incoming));
        if self.new_events == 0 && self.clashing == 0 {
            s.push_str("都已在本设备上，导入不会改变任何内容。");
        } else if self.new_events == 0 {
            s.push_str("没有新的记录。");
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
        if self.clashing > 0 {
            s.push_str(&format!(
                "{} 条记录与本设备的记录编号相同但内容不同，不导入，本设备的记录保持不变。",
                self.clashing
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

/// Reads an import file and works out what merging it into `current` would change. `now` is the
/// device's clock: events dated more than a day after it are refused (see the module notes).
///
/// ```
/// use portal::progress::{import::{preview_import, ImportError}, FormatError, NoCatalog, Progress};
/// let p = Progress::new();
/// let now = 1_764_000_000_000;
/// assert_eq!(preview_import(&p, &NoCatalog, b"", now).unwrap_err(), ImportError::Empty);
/// assert_eq!(preview_import(&p, &NoCatalog, b"%PDF-1.7", now).unwrap_err(), ImportError::Format(FormatError::NotJson));
/// assert_eq!(preview_import(&p, &NoCatalog, &[0xff, 0xfe], now).unwrap_err(), ImportError::NotText);
/// ```
pub fn preview_import(
    current: &Progress,
    catalog: &dyn Catalog,
    bytes: &[u8],
    now: u64,
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
    let mut record = decoded.progress;
    let mut problems = decoded.problems;
    let refused = record.take_later_than(now.saturating_add(FUTURE_TOLERANCE_MS));
    let latest_future = refused.iter().map(|e| e.latest_time()).max();
    for e in &refused {
        if problems.len() >= super::storage_format::MAX_LISTED_PROBLEMS {
            break;
        }
        problems.push(RecordProblem {
            place: format!("记录（{}）", e.id.chars().take(40).collect::<String>()),
            message: EventError::FromTheFuture(e.latest_time()).to_string(),
        });
    }

    // The device's own events stay: a clashing one from the file is not imported.
    let clashing = record.take_clashing_with(current).len();

    let mut new_events = 0;
    let mut already_here = 0;
    let conflicts = decoded.conflicts;
    let mut new_attempts = 0;
    for e in record.unordered() {
        match current.event(&e.id) {
            None => {
                new_events += 1;
                if matches!(e.payload, Payload::QuizAttempt(_)) {
                    new_attempts += 1;
                }
            }
            Some(here) if here == e => already_here += 1,
            // Taken out above; counted there.
            Some(_) => {}
        }
    }

    // One replay of each side, and the union replayed without copying either record. Items are
    // looked up by key, not searched for: a search per item was quadratic (9 s for a 5 MB file).
    let before_events = current.events();
    let before = Facts::new(&before_events);
    let after_events = current.merged_events(&record);
    let after = Facts::new(&after_events);
    let states_before: HashMap<Ref, ItemState> = super::statuses(&before, catalog)
        .into_iter()
        .map(|b| (b.item, b.state))
        .collect();
    let changes = super::statuses(&after, catalog)
        .into_iter()
        .filter_map(|a| {
            let was = states_before
                .get(&a.item)
                .copied()
                .unwrap_or(ItemState::NotStarted);
            (was != a.state).then(|| StateChange {
                title: catalog.title(&a.item).map(str::to_string),
                item: a.item,
                before: was,
                after: a.state,
            })
        })
        .collect();

    let name_before = before.display_name().map(str::to_string);
    let name_after = after.display_name().map(str::to_string);
    let display_name = (name_before != name_after).then_some((name_before, name_after));

    let unknown_items = if catalog.items().is_empty() {
        Vec::new()
    } else {
        let refs: BTreeSet<String> = record
            .unordered()
            .filter_map(|e| e.item())
            .filter(|r| !catalog.contains(r))
            .map(|r| r.to_string())
            .collect();
        refs.into_iter().filter_map(|s| s.parse().ok()).collect()
    };

    Ok(ImportPreview {
        schema: decoded.schema,
        incoming: record.len() + clashing,
        new_events,
        already_here,
        conflicts,
        clashing,
        new_attempts,
        changes,
        display_name,
        unknown_items,
        problems,
        skipped: decoded.skipped,
        from_the_future: refused.len(),
        latest_future,
        record,
    })
}
