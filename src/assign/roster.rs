//! The trainer's side: the assignments they made and the receipts they received, kept on their
//! device, shown as one table per assignment and exported as CSV.
//!
//! One receipt per worker and assignment is kept: a worker who sends a receipt again (having
//! done more) replaces the older one, and the same receipt pasted twice changes nothing. Workers
//! are told apart only by the name they typed, so two people of one name must add something
//! (张伟（三社区）). Both rules are commutative, so merging two stored rosters in either order
//! gives the same roster (below the caps).
//!
//! Receipts come from strangers, so taking one in has rules ([`Roster::intake`]): a receipt
//! dated more than a day ahead of this device's clock is refused (it would otherwise win over
//! every real receipt for good), and every table is capped ([`MAX_TABLE_ROWS`] workers,
//! [`MAX_TABLE_COLUMNS`] items), as are the assignments not made on this device
//! ([`MAX_FOREIGN_ASSIGNMENTS`]) and the whole roster ([`MAX_RECEIPTS`]), so no paste can make
//! the page too big to draw. Building the largest table is linear in its cells
//! (`examples/roster_bench.rs` measures it).
//!
//! The stored JSON holds the codes themselves (`{"version":1,"assignments":["DJA1…"],
//! "receipts":["DJR1…"]}`): one format to maintain, and every entry is checked by the same
//! decoder (and the same caps) as a pasted one when it is read back.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::codec::{decode_assignment, decode_receipt, encode_assignment, encode_receipt};
use super::codec::{CodeKind, DecodeError};
use super::model::{
    check_not_ahead, Assignment, Date, Overall, QuizScore, Receipt, Refusal, MAX_ITEMS,
    MAX_RECEIPT_ITEMS,
};
use crate::content::{Kind, Ref};
use crate::progress::datetime::{local_datetime, LocalDate};
use crate::progress::Catalog;

/// The stored roster's format version.
pub const ROSTER_VERSION: u32 = 1;

/// Most receipts (workers) in one assignment's table: a street office has about 2,000 workers.
pub const MAX_TABLE_ROWS: usize = 2_500;
/// Most columns (items) in one table: a receipt lists at most [`MAX_RECEIPT_ITEMS`], and
/// workers whose content differs a little add a few more.
pub const MAX_TABLE_COLUMNS: usize = MAX_RECEIPT_ITEMS + 30;
/// Most assignments not made on this device that receipts are kept for.
pub const MAX_FOREIGN_ASSIGNMENTS: usize = 20;
/// Most assignments kept.
pub const MAX_ASSIGNMENTS: usize = 500;
/// Most receipts kept in all.
pub const MAX_RECEIPTS: usize = 10_000;
/// Rows on one page of a table as the trainer's page shows it.
pub const ROWS_PER_PAGE: usize = 50;

// A table of an assignment made here has its items as columns, and those count.
const _: () = assert!(MAX_ITEMS <= MAX_TABLE_COLUMNS && MAX_RECEIPT_ITEMS <= MAX_TABLE_COLUMNS);

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
    #[error("培训记录中的第 {number} 份{kind}未载入：{source}")]
    Refused {
        kind: CodeKind,
        number: usize,
        source: Refusal,
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

/// What taking in a receipt would do, before anything changes: what the trainer is asked to
/// confirm, and what [`Roster::take`] then does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intake {
    /// The first receipt of this worker for this assignment: it would be added.
    New,
    /// It would replace the worker's older receipt, made at `previous` (epoch ms).
    Replace { previous: u64 },
    /// The very same receipt is already here: nothing to do.
    Same,
    /// The worker's newer receipt, made at `kept`, is already here: this one would not be kept.
    Older { kept: u64 },
    /// It would not be taken in, and why.
    Refused(Refusal),
}

impl Intake {
    /// Whether taking the receipt in would change the roster.
    pub fn changes(&self) -> bool {
        matches!(self, Intake::New | Intake::Replace { .. })
    }

    /// What taking it in did, for a receipt that was taken in or was already there.
    fn added(&self) -> Result<Added, Refusal> {
        match self {
            Intake::New => Ok(Added::New),
            Intake::Replace { .. } => Ok(Added::Newer),
            Intake::Same => Ok(Added::Same),
            Intake::Older { .. } => Ok(Added::Older),
            Intake::Refused(why) => Err(why.clone()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Stored<T> {
    value: T,
    code: String,
}

/// Whether `new` wins over `old` under one key: the newer, and at equal times the larger code,
/// so the result does not depend on the order entries arrive in.
fn wins<T>(new: &Stored<T>, old: &Stored<T>, created: impl Fn(&T) -> u64) -> bool {
    (created(&new.value), &new.code) > (created(&old.value), &old.code)
}

/// What the receipts of one assignment hold, kept up to date so a receipt's intake does not
/// have to read all the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct GroupIndex {
    rows: usize,
    /// How many receipts list each item, by kind and id (looked up by `&str`, without
    /// allocating).
    listed: BTreeMap<Kind, BTreeMap<String, u32>>,
    /// How many items `listed` holds.
    columns: usize,
}

impl GroupIndex {
    fn contains(&self, item: &Ref) -> bool {
        self.listed
            .get(&item.kind)
            .is_some_and(|ids| ids.contains_key(item.id.as_str()))
    }

    fn add(&mut self, r: &Receipt) {
        self.rows += 1;
        for i in &r.items {
            let ids = self.listed.entry(i.item.kind).or_default();
            match ids.get_mut(i.item.id.as_str()) {
                Some(n) => *n += 1,
                None => {
                    ids.insert(i.item.id.clone(), 1);
                    self.columns += 1;
                }
            }
        }
    }

    fn remove(&mut self, r: &Receipt) {
        self.rows = self.rows.saturating_sub(1);
        for i in &r.items {
            let Some(ids) = self.listed.get_mut(&i.item.kind) else {
                continue;
            };
            if let Some(n) = ids.get_mut(i.item.id.as_str()) {
                *n -= 1;
                if *n == 0 {
                    ids.remove(i.item.id.as_str());
                    self.columns -= 1;
                }
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
    /// Per assignment id with receipts; derived from `receipts`.
    index: BTreeMap<String, GroupIndex>,
}

/// What [`Roster::remove_receipt`] or [`Roster::remove_assignment`] took out, so that
/// [`Roster::restore`] can put it back (the page's 撤销).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    assignment: Option<Stored<Assignment>>,
    receipts: Vec<Stored<Receipt>>,
}

impl Removed {
    /// Whether nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.assignment.is_none() && self.receipts.is_empty()
    }

    /// How many receipts were removed.
    pub fn receipt_count(&self) -> usize {
        self.receipts.len()
    }
}

/// One assignment's line in the trainer's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    /// The assignment's title when it was made here; otherwise what the newest receipt claims,
    /// which nobody checked (show it quoted, as the receipt's words).
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

const UNLISTED: Cell = Cell {
    listed: false,
    completed_at: None,
    quiz: None,
};

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
    /// Whether the assignment was made on this device; if not, `title` is the receipts' claim.
    pub known: bool,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Columns left out beyond [`MAX_TABLE_COLUMNS`] (only a roster from before the caps, or
    /// one restored past them, has any).
    pub hidden_columns: usize,
}

#[derive(Serialize, Deserialize)]
struct StoredRoster {
    version: u32,
    #[serde(default)]
    assignments: Vec<String>,
    #[serde(default)]
    receipts: Vec<String>,
}

/// A stored roster as read back, with the entries that were left out and why (the caller keeps
/// the stored text aside when there are any, so nothing is lost).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub roster: Roster,
    pub left_out: Vec<RosterError>,
}

/// The order of a table's columns: "after the item the receipt lists before it", kept as a
/// linked list over a vector so each insertion is O(1) instead of shifting a vector.
struct ColumnOrder<'a> {
    columns: Vec<(&'a Ref, bool)>,
    next: Vec<Option<usize>>,
    head: Option<usize>,
    tail: Option<usize>,
    at: HashMap<(Kind, &'a str), usize>,
}

impl<'a> ColumnOrder<'a> {
    fn new() -> Self {
        ColumnOrder {
            columns: Vec::new(),
            next: Vec::new(),
            head: None,
            tail: None,
            at: HashMap::new(),
        }
    }

    /// Inserts `item` after node `after`, or at the end; returns its node.
    fn insert(&mut self, item: &'a Ref, assigned: bool, after: Option<usize>) -> usize {
        let n = self.columns.len();
        self.columns.push((item, assigned));
        self.at.insert((item.kind, item.id.as_str()), n);
        match after {
            Some(p) => {
                self.next.push(self.next[p]);
                self.next[p] = Some(n);
                if self.tail == Some(p) {
                    self.tail = Some(n);
                }
            }
            None => {
                self.next.push(None);
                match self.tail {
                    Some(t) => self.next[t] = Some(n),
                    None => self.head = Some(n),
                }
                self.tail = Some(n);
            }
        }
        n
    }

    /// The columns from first to last.
    fn into_columns(self) -> Vec<Column> {
        let mut out = Vec::with_capacity(self.columns.len());
        let mut node = self.head;
        while let Some(n) = node {
            let (item, assigned) = self.columns[n];
            out.push(Column {
                item: item.clone(),
                assigned,
            });
            node = self.next[n];
        }
        out
    }
}

impl Roster {
    pub fn new() -> Roster {
        Roster::default()
    }

    /// Keeps an assignment the trainer made (or was given); one per id, the newer kept.
    pub fn add_assignment(&mut self, assignment: Assignment) -> Result<Added, Refusal> {
        let code = encode_assignment(&assignment)?;
        self.insert_assignment(Stored {
            value: assignment,
            code,
        })
    }

    fn insert_assignment(&mut self, new: Stored<Assignment>) -> Result<Added, Refusal> {
        let full = self.assignments.len() >= MAX_ASSIGNMENTS;
        match self.assignments.get_mut(&new.value.id) {
            None if full => Err(Refusal::TooManyAssignments {
                max: MAX_ASSIGNMENTS,
            }),
            None => {
                self.assignments.insert(new.value.id.clone(), new);
                Ok(Added::New)
            }
            Some(old) if old.code == new.code => Ok(Added::Same),
            Some(old) if wins(&new, old, |a| a.created) => {
                *old = new;
                Ok(Added::Newer)
            }
            Some(_) => Ok(Added::Older),
        }
    }

    /// What taking in `receipt` at `now` (epoch ms) would do; changes nothing.
    ///
    /// The rules, in order:
    /// 1. a receipt that does not [validate](Receipt::validate) is refused;
    /// 2. a receipt, or an item of it, dated more than [`MAX_AHEAD_MS`](super::MAX_AHEAD_MS)
    ///    after `now` is refused ([`Refusal::Ahead`]);
    /// 3. the worker's receipt for this assignment already here decides: the same receipt is
    ///    [`Intake::Same`]; an older one is replaced ([`Intake::Replace`]); a newer one stays
    ///    ([`Intake::Older`]);
    /// 4. a receipt that would add a row or columns to a full table, a new assignment to the
    ///    [`MAX_FOREIGN_ASSIGNMENTS`] not made here, or a receipt to a full roster, is refused.
    ///
    /// ```
    /// use portal::assign::{CodeKind, Intake, Receipt, ReceiptItem, Refusal, Roster};
    /// let now = 1_795_900_000_000;
    /// let receipt = |created| Receipt {
    ///     assignment: "k3Vq9xZa".into(), title: "网格化治理".into(), worker: "张三".into(), created,
    ///     items: vec![ReceiptItem { item: "case:panjin-2018".parse().unwrap(), assigned: true,
    ///         completed_at: None, quiz: None }],
    /// };
    /// let mut roster = Roster::new();
    /// assert_eq!(roster.intake(&receipt(now), now), Intake::New);
    /// assert_eq!(roster.take(receipt(now - 1000), now), Intake::New);
    /// assert_eq!(roster.intake(&receipt(now), now), Intake::Replace { previous: now - 1000 });
    /// // 9999-12-31 would win over every real receipt for good.
    /// assert!(matches!(
    ///     roster.intake(&receipt(253_402_214_400_000), now),
    ///     Intake::Refused(Refusal::Ahead { kind: CodeKind::Receipt, .. })
    /// ));
    /// ```
    pub fn intake(&self, receipt: &Receipt, now: u64) -> Intake {
        if let Err(e) = receipt.validate() {
            return Intake::Refused(e.into());
        }
        match self.intake_stored(receipt, None, now) {
            Ok(intake) => intake,
            Err(why) => Intake::Refused(why),
        }
    }

    /// [`Roster::intake`], then does it: adds or replaces the receipt when the intake says so.
    pub fn take(&mut self, receipt: Receipt, now: u64) -> Intake {
        // Encoding validates the receipt.
        let code = match encode_receipt(&receipt) {
            Ok(code) => code,
            Err(e) => return Intake::Refused(e.into()),
        };
        let stored = Stored {
            value: receipt,
            code,
        };
        let intake = match self.intake_stored(&stored.value, Some(&stored.code), now) {
            Ok(intake) => intake,
            Err(why) => return Intake::Refused(why),
        };
        if intake.changes() {
            self.put_receipt(stored);
        }
        intake
    }

    /// Adds a receipt without the clock (for merging and tests): the caps still hold, and a
    /// worker's newer receipt replaces their older one for the same assignment.
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
    pub fn add(&mut self, receipt: Receipt) -> Result<Added, Refusal> {
        self.take(receipt, u64::MAX).added()
    }

    /// The intake of a valid receipt (one that encodes, or was decoded) whose code is `code` if
    /// known (the code settles equal times).
    fn intake_stored(
        &self,
        receipt: &Receipt,
        code: Option<&str>,
        now: u64,
    ) -> Result<Intake, Refusal> {
        check_not_ahead(CodeKind::Receipt, receipt.created, now)?;
        for i in &receipt.items {
            if let Some(at) = i.completed_at {
                check_not_ahead(CodeKind::Receipt, at, now)?;
            }
        }
        let slot = (receipt.assignment.clone(), receipt.worker.clone());
        if let Some(old) = self.receipts.get(&slot) {
            let code = match code {
                Some(c) => c.to_string(),
                None => encode_receipt(receipt)?,
            };
            if old.code == code {
                return Ok(Intake::Same);
            }
            let newer = (receipt.created, &code) > (old.value.created, &old.code);
            if !newer {
                return Ok(Intake::Older {
                    kept: old.value.created,
                });
            }
        }
        let replacing = self.receipts.get(&slot);
        let group = self.index.get(&receipt.assignment);
        if replacing.is_none() {
            if self.receipts.len() >= MAX_RECEIPTS {
                return Err(Refusal::TooManyReceipts { max: MAX_RECEIPTS });
            }
            if group.is_some_and(|g| g.rows >= MAX_TABLE_ROWS) {
                return Err(Refusal::TooManyRows {
                    max: MAX_TABLE_ROWS,
                });
            }
            let known = self.assignments.contains_key(&receipt.assignment);
            if group.is_none() && !known && self.foreign_count() >= MAX_FOREIGN_ASSIGNMENTS {
                return Err(Refusal::TooManyForeign {
                    max: MAX_FOREIGN_ASSIGNMENTS,
                });
            }
        }
        let columns = self.columns_with(receipt);
        if columns > MAX_TABLE_COLUMNS {
            return Err(Refusal::TooManyColumns {
                columns,
                max: MAX_TABLE_COLUMNS,
            });
        }
        Ok(match replacing {
            None => Intake::New,
            Some(old) => Intake::Replace {
                previous: old.value.created,
            },
        })
    }

    /// How many columns the receipt's table would have with it (counting the items of a
    /// receipt it replaces too: a little high, never low).
    fn columns_with(&self, receipt: &Receipt) -> usize {
        let group = self.index.get(&receipt.assignment);
        let mut extra: Vec<(Kind, &str)> = receipt
            .items
            .iter()
            .map(|i| &i.item)
            .chain(
                self.assignment(&receipt.assignment)
                    .into_iter()
                    .flat_map(|a| a.items.iter()),
            )
            .filter(|item| !group.is_some_and(|g| g.contains(item)))
            .map(|item| (item.kind, item.id.as_str()))
            .collect();
        extra.sort_unstable();
        extra.dedup();
        group.map_or(0, |g| g.columns) + extra.len()
    }

    /// How many assignments have receipts here but were not made here.
    fn foreign_count(&self) -> usize {
        self.index
            .keys()
            .filter(|id| !self.assignments.contains_key(*id))
            .count()
    }

    /// Stores a receipt the intake allowed, keeping the index in step.
    fn put_receipt(&mut self, new: Stored<Receipt>) {
        let slot = (new.value.assignment.clone(), new.value.worker.clone());
        let group = self.index.entry(slot.0.clone()).or_default();
        group.add(&new.value);
        if let Some(old) = self.receipts.insert(slot, new) {
            // The row stays: `add` counted it in again, `remove` counts it out.
            group.remove(&old.value);
        }
    }

    /// Takes a receipt out, keeping the index in step.
    fn pull_receipt(&mut self, slot: &(String, String)) -> Option<Stored<Receipt>> {
        let old = self.receipts.remove(slot)?;
        if let Some(group) = self.index.get_mut(&slot.0) {
            group.remove(&old.value);
            if group.rows == 0 {
                self.index.remove(&slot.0);
            }
        }
        Some(old)
    }

    /// Adds everything of `other` (another tab's or a backup's roster), within the caps; returns
    /// what was refused.
    pub fn merge(&mut self, other: &Roster) -> Vec<Refusal> {
        let mut refused = Vec::new();
        for a in other.assignments.values() {
            if let Err(why) = self.insert_assignment(a.clone()) {
                refused.push(why);
            }
        }
        for r in other.receipts.values() {
            match self.intake_stored(&r.value, Some(&r.code), u64::MAX) {
                Ok(intake) if intake.changes() => self.put_receipt(r.clone()),
                Ok(_) => {}
                Err(why) => refused.push(why),
            }
        }
        refused
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
            .range((assignment.to_string(), String::new())..)
            .take_while(move |((a, _), _)| a == assignment)
            .map(|(_, s)| &s.value)
    }

    /// Forgets an assignment and every receipt of it; [`Roster::restore`] puts them back.
    pub fn remove_assignment(&mut self, id: &str) -> Removed {
        let slots: Vec<(String, String)> = self
            .receipts
            .range((id.to_string(), String::new())..)
            .take_while(|((a, _), _)| a == id)
            .map(|(k, _)| k.clone())
            .collect();
        Removed {
            assignment: self.assignments.remove(id),
            receipts: slots.iter().filter_map(|s| self.pull_receipt(s)).collect(),
        }
    }

    /// Forgets one worker's receipt; [`Roster::restore`] puts it back.
    pub fn remove_receipt(&mut self, assignment: &str, worker: &str) -> Removed {
        Removed {
            assignment: None,
            receipts: self
                .pull_receipt(&(assignment.to_string(), worker.to_string()))
                .into_iter()
                .collect(),
        }
    }

    /// Puts back what was removed. The entries were here before, so the caps do not apply; a
    /// receipt of the same worker that arrived since is kept if it is newer.
    pub fn restore(&mut self, removed: Removed) {
        if let Some(a) = removed.assignment {
            match self.assignments.get(&a.value.id) {
                Some(old) if !wins(&a, old, |a| a.created) => {}
                _ => {
                    self.assignments.insert(a.value.id.clone(), a);
                }
            }
        }
        for r in removed.receipts {
            let slot = (r.value.assignment.clone(), r.value.worker.clone());
            match self.receipts.get(&slot) {
                Some(old) if !wins(&r, old, |r| r.created) => {}
                _ => self.put_receipt(r),
            }
        }
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
    /// all columns. Linear in the cells (plus sorting the rows).
    pub fn table(&self, assignment: &str) -> Option<Table> {
        let known = self.assignment(assignment);
        let receipts: Vec<&Receipt> = self.receipts(assignment).collect();
        if known.is_none() && receipts.is_empty() {
            return None;
        }
        let mut order = ColumnOrder::new();
        if let Some(a) = known {
            for item in &a.items {
                if !order.at.contains_key(&(item.kind, item.id.as_str())) {
                    order.insert(item, true, None);
                }
            }
        }
        for r in &receipts {
            let mut after: Option<usize> = None;
            for i in &r.items {
                let n = match order.at.get(&(i.item.kind, i.item.id.as_str())) {
                    Some(&n) => {
                        // Without the assignment, a receipt's word on "assigned" is all there is.
                        if known.is_none() && i.assigned {
                            order.columns[n].1 = true;
                        }
                        n
                    }
                    None => order.insert(&i.item, i.assigned && known.is_none(), after),
                };
                after = Some(n);
            }
        }
        let mut columns = order.into_columns();
        let hidden_columns = columns.len().saturating_sub(MAX_TABLE_COLUMNS);
        columns.truncate(MAX_TABLE_COLUMNS);
        let position: HashMap<(Kind, &str), usize> = columns
            .iter()
            .enumerate()
            .map(|(p, c)| ((c.item.kind, c.item.id.as_str()), p))
            .collect();
        let rows = receipts
            .iter()
            .map(|r| {
                let mut cells = vec![UNLISTED; columns.len()];
                for i in &r.items {
                    if let Some(&p) = position.get(&(i.item.kind, i.item.id.as_str())) {
                        cells[p] = Cell {
                            listed: true,
                            completed_at: i.completed_at,
                            quiz: i.quiz,
                        };
                    }
                }
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
            known: known.is_some(),
            columns,
            rows,
            hidden_columns,
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

    /// Reads a stored roster strictly: any entry that does not decode, or that the caps refuse,
    /// makes the whole read fail.
    ///
    /// ```
    /// use portal::assign::{Roster, RosterError};
    /// let r = Roster::new();
    /// assert_eq!(Roster::from_json(&r.to_json().unwrap()), Ok(r));
    /// assert!(matches!(Roster::from_json(r#"{"version":2}"#), Err(RosterError::Version { found: 2, .. })));
    /// assert!(matches!(Roster::from_json("[1,"), Err(RosterError::Malformed(_))));
    /// ```
    pub fn from_json(text: &str) -> Result<Roster, RosterError> {
        let loaded = Roster::read_json(text)?;
        match loaded.left_out.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(loaded.roster),
        }
    }

    /// Reads a stored roster, leaving out (and listing) each entry that does not decode or that
    /// the caps refuse; fails only when the text is not a roster at all. A roster saved before
    /// the caps, too big to draw, so loads as one that can be drawn.
    ///
    /// ```
    /// use portal::assign::{Roster, RosterError};
    /// let loaded = Roster::read_json(r#"{"version":1,"receipts":["DJR1xyz"]}"#).unwrap();
    /// assert!(loaded.roster.is_empty());
    /// assert!(matches!(loaded.left_out[..], [RosterError::Entry { number: 1, .. }]));
    /// ```
    pub fn read_json(text: &str) -> Result<Loaded, RosterError> {
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
        let mut left_out = Vec::new();
        for (n, code) in stored.assignments.iter().enumerate() {
            let kind = CodeKind::Assignment;
            let number = n + 1;
            match decode_assignment(code) {
                Err(source) => left_out.push(RosterError::Entry {
                    kind,
                    number,
                    source,
                }),
                Ok(value) => {
                    let stored = Stored {
                        value,
                        code: code.trim().to_string(),
                    };
                    if let Err(source) = roster.insert_assignment(stored) {
                        left_out.push(RosterError::Refused {
                            kind,
                            number,
                            source,
                        });
                    }
                }
            }
        }
        for (n, code) in stored.receipts.iter().enumerate() {
            let kind = CodeKind::Receipt;
            let number = n + 1;
            match decode_receipt(code) {
                Err(source) => left_out.push(RosterError::Entry {
                    kind,
                    number,
                    source,
                }),
                Ok(value) => {
                    let code = code.trim().to_string();
                    match roster.intake_stored(&value, Some(&code), u64::MAX) {
                        Ok(intake) if intake.changes() => {
                            roster.put_receipt(Stored { value, code })
                        }
                        Ok(_) => {}
                        Err(source) => left_out.push(RosterError::Refused {
                            kind,
                            number,
                            source,
                        }),
                    }
                }
            }
        }
        Ok(Loaded { roster, left_out })
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

    /// How many pages of `per_page` rows the table has (at least one, so an empty table has a
    /// first page to show).
    ///
    /// ```
    /// # use portal::assign::Table;
    /// let t = Table { assignment: "k3Vq9xZa".into(), title: "t".into(), due: None, known: true,
    ///     columns: vec![], rows: vec![], hidden_columns: 0 };
    /// assert_eq!(t.pages(50), 1);
    /// ```
    pub fn pages(&self, per_page: usize) -> usize {
        self.rows.len().div_ceil(per_page.max(1)).max(1)
    }

    /// The rows on page `page` (from 0) of `per_page` rows; a page past the end is the last one.
    pub fn page_rows(&self, page: usize, per_page: usize) -> Range<usize> {
        let per_page = per_page.max(1);
        let page = page.min(self.pages(per_page) - 1);
        let start = (page * per_page).min(self.rows.len());
        start..(start + per_page).min(self.rows.len())
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
    /// let t = Table { assignment: "k3Vq9xZa".into(), title: "a/b".into(), due: None, known: true,
    ///     columns: vec![], rows: vec![], hidden_columns: 0 };
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
