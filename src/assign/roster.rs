//! The trainer's side: the assignments they made and the receipts they received, kept on their
//! device, shown as one table per assignment and exported as CSV.
//!
//! One receipt per worker and assignment is kept: a worker who sends a receipt again (having
//! done more) replaces the older one, and the same receipt pasted twice changes nothing. Workers
//! are told apart only by the name they typed, so two people of one name must add something
//! (张伟（三社区）). Both rules are commutative, so merging two stored rosters in either order
//! gives the same roster.
//!
//! The stored JSON holds the codes themselves (`{"version":1,"assignments":["DJA1…"],
//! "receipts":["DJR1…"]}`): one format to maintain, and every entry is checked by the same
//! decoder as a pasted one when it is read back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::codec::{decode_assignment, decode_receipt, encode_assignment, encode_receipt};
use super::codec::{CodeKind, DecodeError};
use super::model::{Assignment, Date, Invalid, Overall, QuizScore, Receipt};
use crate::content::{Kind, Ref};
use crate::progress::datetime::{local_datetime, LocalDate};
use crate::progress::Catalog;

/// The stored roster's format version.
pub const ROSTER_VERSION: u32 = 1;

/// Why a stored roster could not be read or a table not exported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("培训记录无法读取：{0}")]
    Malformed(String),
    #[error(
        "培训记录是第 {found} 版格式，本应用只能读取第 {supported} 版：请刷新页面，更新到最新版本"
    )]
    Version { found: u32, supported: u32 },
    #[error("培训记录中的第 {number} 份{kind}无法读取：{source}")]
    Entry {
        kind: CodeKind,
        number: usize,
        source: DecodeError,
    },
    #[error("无法生成表格：{0}")]
    Csv(String),
}

/// What adding a receipt (or assignment) did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// The first from this worker for this assignment.
    New,
    /// Replaced an older one from the same worker.
    Newer,
    /// The very same one was already there.
    Same,
    /// A newer one from the same worker is already there; this one was not kept.
    Older,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Stored<T> {
    value: T,
    code: String,
}

/// Keeps the newer of two entries under one key; at equal times the larger code, so the result
/// does not depend on the order entries arrive in.
fn keep<T>(slot: Option<&mut Stored<T>>, new: Stored<T>, created: impl Fn(&T) -> u64) -> Added {
    match slot {
        None => Added::New,
        Some(old) if old.code == new.code => Added::Same,
        Some(old) => {
            if (created(&new.value), &new.code) > (created(&old.value), &old.code) {
                *old = new;
                Added::Newer
            } else {
                Added::Older
            }
        }
    }
}

/// The trainer's assignments and received receipts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    assignments: BTreeMap<String, Stored<Assignment>>,
    /// Keyed by (assignment id, worker name).
    receipts: BTreeMap<(String, String), Stored<Receipt>>,
}

/// One assignment's line in the trainer's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub title: String,
    /// Known when the assignment was made (or added) on this device.
    pub due: Option<Date>,
    /// Whether the assignment itself is on this device (not only receipts of it).
    pub known: bool,
    pub receipts: usize,
    pub complete: usize,
    /// The latest of the assignment's creation and its receipts' creation.
    pub latest: u64,
}

/// A column of the table: one item of the assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub item: Ref,
    /// True for an assigned item, false for an item of an assigned module.
    pub assigned: bool,
}

/// One worker's entry for one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Whether the worker's receipt lists the item at all (content may differ between devices).
    pub listed: bool,
    pub completed_at: Option<u64>,
    pub quiz: Option<QuizScore>,
}

/// One worker's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub worker: String,
    /// When the worker made the receipt.
    pub received: u64,
    /// In column order.
    pub cells: Vec<Cell>,
    pub status: Overall,
}

/// How rows are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// 全部完成, then 部分完成, then 未开始; by name within each.
    #[default]
    Status,
    /// By name.
    Name,
    /// Newest receipt first.
    Received,
}

/// One assignment's workers × items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub assignment: String,
    pub title: String,
    pub due: Option<Date>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Serialize, Deserialize)]
struct StoredRoster {
    version: u32,
    #[serde(default)]
    assignments: Vec<String>,
    #[serde(default)]
    receipts: Vec<String>,
}

fn same_item(a: &Ref, b: &Ref) -> bool {
    a.kind == b.kind && a.id == b.id
}

impl Roster {
    pub fn new() -> Roster {
        Roster::default()
    }

    /// Keeps an assignment the trainer made (or was given); one per id, the newer kept.
    pub fn add_assignment(&mut self, assignment: Assignment) -> Result<Added, Invalid> {
        let code = encode_assignment(&assignment)?;
        Ok(self.insert_assignment(Stored {
            value: assignment,
            code,
        }))
    }

    fn insert_assignment(&mut self, new: Stored<Assignment>) -> Added {
        let id = new.value.id.clone();
        let added = keep(self.assignments.get_mut(&id), new.clone(), |a| a.created);
        if added == Added::New {
            self.assignments.insert(id, new);
        }
        added
    }

    /// Adds a receipt: a worker's newer receipt replaces their older one for the same assignment.
    ///
    /// ```
    /// use portal::assign::{Added, Receipt, ReceiptItem, Roster};
    /// let receipt = |created, done: bool| Receipt {
    ///     assignment: "k3Vq9xZa".into(), title: "网格化治理".into(), worker: "张三".into(), created,
    ///     items: vec![ReceiptItem { item: "case:panjin-2018".parse().unwrap(), assigned: true,
    ///         completed_at: done.then_some(1_795_800_000_000), quiz: None }],
    /// };
    /// let mut roster = Roster::new();
    /// assert_eq!(roster.add(receipt(1_795_800_000_000, false)), Ok(Added::New));
    /// assert_eq!(roster.add(receipt(1_795_900_000_000, true)), Ok(Added::Newer));
    /// assert_eq!(roster.add(receipt(1_795_900_000_000, true)), Ok(Added::Same));
    /// assert_eq!(roster.add(receipt(1_795_800_000_000, false)), Ok(Added::Older));
    /// assert_eq!(roster.receipt_count(), 1);
    /// ```
    pub fn add(&mut self, receipt: Receipt) -> Result<Added, Invalid> {
        let code = encode_receipt(&receipt)?;
        Ok(self.insert_receipt(Stored {
            value: receipt,
            code,
        }))
    }

    fn insert_receipt(&mut self, new: Stored<Receipt>) -> Added {
        let key = (new.value.assignment.clone(), new.value.worker.clone());
        let added = keep(self.receipts.get_mut(&key), new.clone(), |r| r.created);
        if added == Added::New {
            self.receipts.insert(key, new);
        }
        added
    }

    /// Adds everything of `other` (another tab's or a backup's roster).
    pub fn merge(&mut self, other: &Roster) {
        for a in other.assignments.values() {
            self.insert_assignment(a.clone());
        }
        for r in other.receipts.values() {
            self.insert_receipt(r.clone());
        }
    }

    /// The number of receipts kept.
    pub fn receipt_count(&self) -> usize {
        self.receipts.len()
    }

    /// Whether there is neither an assignment nor a receipt.
    pub fn is_empty(&self) -> bool {
        self.receipts.is_empty() && self.assignments.is_empty()
    }

    pub fn assignment(&self, id: &str) -> Option<&Assignment> {
        self.assignments.get(id).map(|s| &s.value)
    }

    /// The assignments on this device, by id.
    pub fn assignments(&self) -> impl Iterator<Item = &Assignment> {
        self.assignments.values().map(|s| &s.value)
    }

    /// The receipts of one assignment, by worker name.
    pub fn receipts<'a>(&'a self, assignment: &'a str) -> impl Iterator<Item = &'a Receipt> + 'a {
        self.receipts
            .iter()
            .filter(move |((a, _), _)| a == assignment)
            .map(|(_, s)| &s.value)
    }

    /// Forgets an assignment and every receipt of it. Returns whether anything was removed.
    pub fn remove_assignment(&mut self, id: &str) -> bool {
        let before = self.receipts.len();
        self.receipts.retain(|(a, _), _| a != id);
        let removed = self.assignments.remove(id).is_some();
        removed || self.receipts.len() != before
    }

    /// Forgets one worker's receipt.
    pub fn remove_receipt(&mut self, assignment: &str, worker: &str) -> bool {
        self.receipts
            .remove(&(assignment.to_string(), worker.to_string()))
            .is_some()
    }

    /// Every assignment with its receipt counts, most recently active first.
    pub fn groups(&self) -> Vec<Group> {
        let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
        for a in self.assignments() {
            groups.insert(
                &a.id,
                Group {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    due: Some(a.due),
                    known: true,
                    receipts: 0,
                    complete: 0,
                    latest: a.created,
                },
            );
        }
        for ((id, _), s) in &self.receipts {
            let r = &s.value;
            let g = groups.entry(id).or_insert_with(|| Group {
                id: id.clone(),
                title: r.title.clone(),
                due: None,
                known: false,
                receipts: 0,
                complete: 0,
                latest: r.created,
            });
            if !g.known && r.created > g.latest {
                // The newest receipt has the title as it stands now.
                g.title = r.title.clone();
            }
            g.receipts += 1;
            g.complete += usize::from(r.status() == Overall::Complete);
            g.latest = g.latest.max(r.created);
        }
        let mut out: Vec<Group> = groups.into_values().collect();
        out.sort_by(|a, b| b.latest.cmp(&a.latest).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// The table of one assignment, sorted by [`SortKey::Status`]; `None` if nothing of it is
    /// here.
    ///
    /// Columns are the assignment's items, each module followed by its items as receipts list
    /// them; items only some receipts list are added where they appear. Each row's status counts
    /// all columns.
    pub fn table(&self, assignment: &str) -> Option<Table> {
        let known = self.assignment(assignment);
        let receipts: Vec<&Receipt> = self.receipts(assignment).collect();
        if known.is_none() && receipts.is_empty() {
            return None;
        }
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
        for r in &receipts {
            let mut after: Option<usize> = None;
            for i in &r.items {
                match columns.iter().position(|c| same_item(&c.item, &i.item)) {
                    Some(p) => {
                        // Without the assignment, a receipt's word on "assigned" is all there is.
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
        let rows = receipts
            .iter()
            .map(|r| {
                let cells: Vec<Cell> = columns
                    .iter()
                    .map(|c| match r.item(&c.item) {
                        Some(i) => Cell {
                            listed: true,
                            completed_at: i.completed_at,
                            quiz: i.quiz,
                        },
                        None => Cell {
                            listed: false,
                            completed_at: None,
                            quiz: None,
                        },
                    })
                    .collect();
                let status = Overall::of(
                    cells
                        .iter()
                        .map(|c| (c.completed_at.is_some(), c.quiz.is_some())),
                );
                Row {
                    worker: r.worker.clone(),
                    received: r.created,
                    cells,
                    status,
                }
            })
            .collect();
        let title = known
            .map(|a| a.title.clone())
            .or_else(|| {
                receipts
                    .iter()
                    .max_by_key(|r| r.created)
                    .map(|r| r.title.clone())
            })
            .unwrap_or_default();
        let mut table = Table {
            assignment: assignment.to_string(),
            title,
            due: known.map(|a| a.due),
            columns,
            rows,
        };
        table.sort(SortKey::Status);
        Some(table)
    }

    /// The roster as versioned JSON for the trainer's device.
    pub fn to_json(&self) -> Result<String, RosterError> {
        let stored = StoredRoster {
            version: ROSTER_VERSION,
            assignments: self.assignments.values().map(|s| s.code.clone()).collect(),
            receipts: self.receipts.values().map(|s| s.code.clone()).collect(),
        };
        serde_json::to_string(&stored).map_err(|e| RosterError::Malformed(e.to_string()))
    }

    /// Reads a stored roster; any entry that does not decode makes the whole read fail (the
    /// caller keeps the text aside rather than dropping it).
    ///
    /// ```
    /// use portal::assign::{Roster, RosterError};
    /// let r = Roster::new();
    /// assert_eq!(Roster::from_json(&r.to_json().unwrap()), Ok(r));
    /// assert!(matches!(Roster::from_json(r#"{"version":2}"#), Err(RosterError::Version { found: 2, .. })));
    /// assert!(matches!(Roster::from_json("[1,"), Err(RosterError::Malformed(_))));
    /// ```
    pub fn from_json(text: &str) -> Result<Roster, RosterError> {
        #[derive(Deserialize)]
        struct Header {
            version: u32,
        }
        let malformed = |e: serde_json::Error| RosterError::Malformed(e.to_string());
        let header: Header = serde_json::from_str(text).map_err(malformed)?;
        if header.version != ROSTER_VERSION {
            return Err(RosterError::Version {
                found: header.version,
                supported: ROSTER_VERSION,
            });
        }
        let stored: StoredRoster = serde_json::from_str(text).map_err(malformed)?;
        let mut roster = Roster::new();
        for (n, code) in stored.assignments.iter().enumerate() {
            let entry = |source| RosterError::Entry {
                kind: CodeKind::Assignment,
                number: n + 1,
                source,
            };
            let value = decode_assignment(code).map_err(entry)?;
            roster.insert_assignment(Stored {
                value,
                code: code.trim().to_string(),
            });
        }
        for (n, code) in stored.receipts.iter().enumerate() {
            let entry = |source| RosterError::Entry {
                kind: CodeKind::Receipt,
                number: n + 1,
                source,
            };
            let value = decode_receipt(code).map_err(entry)?;
            roster.insert_receipt(Stored {
                value,
                code: code.trim().to_string(),
            });
        }
        Ok(roster)
    }
}

/// Keeps a spreadsheet from running a cell as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '|']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Characters file systems refuse in a name.
fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

impl Table {
    /// Orders the rows.
    pub fn sort(&mut self, key: SortKey) {
        match key {
            SortKey::Status => self.rows.sort_by(|a, b| {
                (a.status.rank(), &a.worker, b.received).cmp(&(
                    b.status.rank(),
                    &b.worker,
                    a.received,
                ))
            }),
            SortKey::Name => self.rows.sort_by(|a, b| a.worker.cmp(&b.worker)),
            SortKey::Received => self.rows.sort_by(|a, b| {
                b.received
                    .cmp(&a.received)
                    .then_with(|| a.worker.cmp(&b.worker))
            }),
        }
    }

    /// How many rows are complete, partial and not started.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.rows
            .iter()
            .fold((0, 0, 0), |(c, p, n), r| match r.status {
                Overall::Complete => (c + 1, p, n),
                Overall::Partial { .. } => (c, p + 1, n),
                Overall::NotStarted => (c, p, n + 1),
            })
    }

    /// A column's heading: `模块：网格化治理与群众诉求`, or the reference if this device's
    /// content does not know the item.
    pub fn heading(column: &Column, catalog: &dyn Catalog) -> String {
        match catalog.title(&column.item) {
            Some(title) => format!("{}：{title}", column.item.kind.noun()),
            None => column.item.to_string(),
        }
    }

    /// The table as CSV: UTF-8 with a byte-order mark (so Excel reads the Chinese), one row per
    /// worker, in the current order. Times are local, to the minute.
    ///
    /// ```
    /// use portal::assign::{Receipt, ReceiptItem, Roster};
    /// use portal::progress::NoCatalog;
    /// let mut roster = Roster::new();
    /// roster.add(Receipt {
    ///     assignment: "k3Vq9xZa".into(), title: "网格化治理".into(), worker: "=张三".into(),
    ///     created: 1_795_809_600_000,
    ///     items: vec![ReceiptItem { item: "case:panjin-2018".parse().unwrap(), assigned: true,
    ///         completed_at: Some(1_795_809_600_000), quiz: None }],
    /// }).unwrap();
    /// let csv = roster.table("k3Vq9xZa").unwrap().csv(&NoCatalog, 480).unwrap();
    /// let mut lines = csv.strip_prefix('\u{feff}').unwrap().lines();
    /// assert_eq!(lines.next(), Some("姓名,总体状态,已完成,共计,回执生成时间,case:panjin-2018"));
    /// assert_eq!(lines.next(), Some("'=张三,全部完成,1,1,2026-11-28 04:00,2026-11-28 04:00"));
    /// ```
    pub fn csv(
        &self,
        catalog: &dyn Catalog,
        utc_offset_minutes: i32,
    ) -> Result<String, RosterError> {
        let failed = |e: csv::Error| RosterError::Csv(e.to_string());
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut headers: Vec<String> = ["姓名", "总体状态", "已完成", "共计", "回执生成时间"]
            .into_iter()
            .map(String::from)
            .collect();
        for c in &self.columns {
            let heading = Table::heading(c, catalog);
            if c.item.kind == Kind::Module {
                headers.push(cell(&heading));
                headers.push(cell(&format!("{heading}·自测最高分")));
                headers.push(cell(&format!("{heading}·自测通过")));
            } else {
                headers.push(cell(&heading));
            }
        }
        w.write_record(&headers).map_err(failed)?;
        let time = |t: u64| local_datetime(t, utc_offset_minutes);
        for row in &self.rows {
            let (done, total) = match row.status {
                Overall::Complete => (row.cells.len(), row.cells.len()),
                Overall::Partial { done, total } => (done, total),
                Overall::NotStarted => (0, row.cells.len()),
            };
            let mut record = vec![
                cell(&row.worker),
                row.status.label(),
                done.to_string(),
                total.to_string(),
                time(row.received),
            ];
            for (c, v) in self.columns.iter().zip(&row.cells) {
                record.push(match (v.listed, v.completed_at) {
                    (_, Some(at)) => time(at),
                    (true, None) => "未完成".to_string(),
                    (false, None) => "无记录".to_string(),
                });
                if c.item.kind == Kind::Module {
                    record.push(v.quiz.map(|q| q.best.to_string()).unwrap_or_default());
                    record.push(
                        match v.quiz {
                            Some(q) if q.passed => "是",
                            Some(_) => "否",
                            None => "",
                        }
                        .to_string(),
                    );
                }
            }
            w.write_record(&record).map_err(failed)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| RosterError::Csv(e.error().to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| RosterError::Csv(e.to_string()))?;
        Ok(format!("\u{feff}{text}"))
    }

    /// A download name: `学习回执-网格化治理-2026-11-28.csv`.
    ///
    /// ```
    /// # use portal::assign::Table;
    /// let t = Table { assignment: "k3Vq9xZa".into(), title: "a/b".into(), due: None, columns: vec![], rows: vec![] };
    /// assert_eq!(t.file_name(1_795_809_600_000, 480), "学习回执-a_b-2026-11-28.csv");
    /// ```
    pub fn file_name(&self, now: u64, utc_offset_minutes: i32) -> String {
        format!(
            "学习回执-{}-{}.csv",
            file_safe(&self.title),
            LocalDate::from_millis(now, utc_offset_minutes)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("张三"), "张三");
    }

    #[test]
    fn file_names_lose_separators() {
        assert_eq!(file_safe("a/b\\c:d*e?f\"g<h>i|j\n"), "a_b_c_d_e_f_g_h_i_j_");
    }
}
