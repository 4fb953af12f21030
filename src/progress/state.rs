//! Item states, module progress, the learning-record totals and the activity timeline, derived
//! from the event log on demand. Nothing derived is stored, so a merged log can never disagree
//! with what is shown for it.
//!
//! The rules, in one place:
//! - a case or community is completed when read;
//! - a workflow is completed when the latest tick of every one of its steps is "done" (the
//!   catalog says how many steps it has; without that it can only be read);
//! - a module is completed when every item it lists is completed and, if it has questions, a
//!   quiz attempt passed; a module with neither items nor questions completes when read;
//! - otherwise an item is read if a read event exists, opened if any event is about it.
//!
//! Events are replayed in the total order of [`super::Progress::events`], so "the latest tick" is
//! well defined even when two devices wrote in the same millisecond.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::{Kind, Ref};

use super::catalog::Catalog;
use super::datetime::{local_day, LocalDate};
use super::model::{plain, Event, ItemState, Payload, QuizAttempt};

/// How deep modules may nest inside modules before the rules give up (a module that lists
/// itself must not recurse forever).
const MAX_NESTING: usize = 8;

type Key = (Kind, String);

fn key(r: &Ref) -> Key {
    (r.kind, r.id.clone())
}

fn later(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    a.max(b)
}

/// Everything the rules need about one item, accumulated event by event.
#[derive(Default)]
struct ItemFacts<'a> {
    first_at: Option<u64>,
    last_at: Option<u64>,
    /// How many events had been replayed when this item's latest one was: what "most recent"
    /// means for "continue where you left off", so an event dated in the future cannot keep
    /// its item there.
    last_replayed: usize,
    read_at: Option<u64>,
    /// The latest tick of each step: (time, done).
    ticks: BTreeMap<usize, (u64, bool)>,
    /// In replay order.
    attempts: Vec<(u64, &'a QuizAttempt)>,
}

/// The facts of a log, built by replaying it in order.
#[derive(Default)]
pub(crate) struct Facts<'a> {
    /// By kind, then by id borrowed from the events: replaying tens of thousands of events
    /// allocates no key.
    items: BTreeMap<Kind, BTreeMap<&'a str, ItemFacts<'a>>>,
    display_name: Option<&'a str>,
    replayed: usize,
}

/// One item's derived state and the times behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemStatus {
    /// The item, without anchor.
    pub item: Ref,
    pub state: ItemState,
    /// The item's first and latest event (for a module: its own events, not its items').
    pub first_activity: Option<u64>,
    pub last_activity: Option<u64>,
    /// When the item became completed, as it stands now (re-completing a workflow moves it).
    pub completed_at: Option<u64>,
}

/// A module's quiz, as far as the learner has got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizStatus {
    pub questions: usize,
    pub pass_mark: u8,
    pub attempts: usize,
    pub best_score: Option<u8>,
    pub passed: bool,
    pub last_attempt: Option<u64>,
}

/// What "继续学习" should open in a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// The first item, in module order, that is not completed.
    Item(Ref),
    /// All items are completed but the quiz is not passed yet.
    Quiz,
    /// Nothing left.
    Done,
}

/// A module's progress bar, next step and quiz.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleProgress {
    pub status: ItemStatus,
    /// Each listed item's status, in module order.
    pub items: Vec<ItemStatus>,
    pub completed: usize,
    pub total: usize,
    pub quiz: QuizStatus,
    pub next: Next,
}

impl ModuleProgress {
    /// Percent done for a progress bar, counting a required quiz as one more item.
    ///
    /// Rounded down, so 100 means done.
    pub fn percent(&self) -> u8 {
        let quiz_required = usize::from(self.quiz.questions > 0);
        let parts = self.total + quiz_required;
        let done = self.completed + usize::from(self.quiz.passed && quiz_required == 1);
        if parts == 0 {
            return if self.next == Next::Done { 100 } else { 0 };
        }
        u8::try_from(done * 100 / parts).unwrap_or(100)
    }
}

/// The totals at the top of the learning record (学习档案).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Cases, workflows and communities completed (modules are counted apart).
    pub items_completed: usize,
    pub modules_completed: usize,
    /// Modules with at least one passed attempt.
    pub quizzes_passed: usize,
    pub quiz_attempts: usize,
    /// Distinct local dates with any learning event.
    pub days_active: usize,
    pub first_active: Option<u64>,
    pub last_active: Option<u64>,
}

/// What happened in a timeline entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActivityKind {
    /// The item was touched for the first time.
    Started,
    /// The learner reached the end of the item (and that did not complete it).
    Read,
    Completed,
    /// A completed item is no longer complete (a workflow step was unticked).
    Reopened,
    QuizAttempt {
        score: u8,
        passed: bool,
    },
}

impl ActivityKind {
    /// A short phrase for the timeline: "完成", "自测 80 分（通过）".
    pub fn label(&self) -> String {
        match self {
            ActivityKind::Started => "开始学习".into(),
            ActivityKind::Read => "读完".into(),
            ActivityKind::Completed => "完成".into(),
            ActivityKind::Reopened => "重新学习".into(),
            ActivityKind::QuizAttempt { score, passed } => {
                format!(
                    "自测 {score} 分（{}）",
                    if *passed { "通过" } else { "未通过" }
                )
            }
        }
    }
}

/// One entry of the activity timeline: a change of an item's state, or a quiz attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    /// The event that caused it; with `item` it is a stable key for lists.
    pub event: String,
    pub at: u64,
    pub date: LocalDate,
    pub item: Ref,
    pub what: ActivityKind,
}

impl<'a> Facts<'a> {
    /// Replays `events`, which must be in the order of `Progress::events`.
    pub(crate) fn new(events: &[&'a Event]) -> Facts<'a> {
        let mut facts = Facts::default();
        for e in events {
            facts.apply(e);
        }
        facts
    }

    /// Adds one event; returns the item it is about.
    /// Events in a record are normalized, so the item has no anchor.
    fn apply(&mut self, e: &'a Event) -> Option<&'a Ref> {
        self.replayed += 1;
        let item = match &e.payload {
            Payload::DisplayNameSet { name } => {
                self.display_name = Some(name.as_str()).filter(|n| !n.is_empty());
                return None;
            }
            _ => e.item()?,
        };
        let f = self
            .items
            .entry(item.kind)
            .or_default()
            .entry(item.id.as_str())
            .or_default();
        f.first_at = Some(f.first_at.map_or(e.at, |t| t.min(e.at)));
        f.last_at = later(f.last_at, Some(e.at));
        f.last_replayed = self.replayed;
        match &e.payload {
            Payload::Read { .. } => f.read_at = Some(f.read_at.map_or(e.at, |t| t.min(e.at))),
            Payload::StepTicked { step, done, .. } => {
                f.ticks.insert(*step, (e.at, *done));
            }
            Payload::QuizAttempt(a) => f.attempts.push((e.at, a)),
            Payload::Opened { .. } | Payload::DisplayNameSet { .. } => {}
        }
        Some(item)
    }

    fn item(&self, r: &Ref) -> Option<&ItemFacts<'a>> {
        self.items.get(&r.kind)?.get(r.id.as_str())
    }

    /// The place of the item's latest event in replay order (0 if it has none): larger is
    /// more recent.
    pub(crate) fn recency(&self, r: &Ref) -> usize {
        self.item(r).map_or(0, |f| f.last_replayed)
    }

    pub(crate) fn display_name(&self) -> Option<&'a str> {
        self.display_name
    }

    /// Items with any event, in (kind, id) order.
    pub(crate) fn touched(&self) -> impl Iterator<Item = Ref> + '_ {
        self.items.iter().flat_map(|(kind, ids)| {
            ids.keys().map(|id| Ref {
                kind: *kind,
                id: id.to_string(),
                anchor: None,
            })
        })
    }

    pub(crate) fn attempts(&self, module: &Ref) -> Vec<&'a QuizAttempt> {
        self.item(module)
            .map(|f| f.attempts.iter().map(|(_, a)| *a).collect())
            .unwrap_or_default()
    }

    pub(crate) fn ticks(&self, workflow: &Ref, steps: usize) -> Vec<bool> {
        (0..steps)
            .map(|s| {
                self.item(workflow)
                    .and_then(|f| f.ticks.get(&s))
                    .is_some_and(|&(_, done)| done)
            })
            .collect()
    }

    pub(crate) fn status(&self, catalog: &dyn Catalog, item: &Ref) -> ItemStatus {
        if item.anchor.is_none() {
            self.status_at_depth(catalog, item, 0)
        } else {
            self.status_at_depth(catalog, &plain(item), 0)
        }
    }

    fn status_at_depth(&self, catalog: &dyn Catalog, item: &Ref, depth: usize) -> ItemStatus {
        let f = self.item(item);
        let read_at = f.and_then(|f| f.read_at);
        let first_activity = f.and_then(|f| f.first_at);
        let completed_at = match item.kind {
            Kind::Case | Kind::Community => read_at,
            Kind::Workflow => match catalog.steps(item) {
                Some(0) => read_at,
                Some(n) => f.and_then(|f| workflow_done_at(f, n)),
                None => None,
            },
            Kind::Module => self.module_completed_at(catalog, item, depth),
        };
        let state = if completed_at.is_some() {
            ItemState::Completed
        } else if read_at.is_some() {
            ItemState::Read
        } else if first_activity.is_some() {
            ItemState::Opened
        } else {
            ItemState::NotStarted
        };
        ItemStatus {
            item: item.clone(),
            state,
            first_activity,
            last_activity: f.and_then(|f| f.last_at),
            completed_at,
        }
    }

    fn module_completed_at(
        &self,
        catalog: &dyn Catalog,
        module: &Ref,
        depth: usize,
    ) -> Option<u64> {
        if depth >= MAX_NESTING {
            return None;
        }
        let m = catalog.module(module)?;
        let mut at = None;
        for item in &m.items {
            let done = self
                .status_at_depth(catalog, &plain(item), depth + 1)
                .completed_at?;
            at = later(at, Some(done));
        }
        if m.questions > 0 {
            let passed = self
                .item(module)?
                .attempts
                .iter()
                .find(|(_, a)| a.passed)
                .map(|(t, _)| *t)?;
            at = later(at, Some(passed));
        }
        if m.items.is_empty() && m.questions == 0 {
            return self.item(module).and_then(|f| f.read_at);
        }
        at
    }

    pub(crate) fn quiz(&self, catalog: &dyn Catalog, module: &Ref) -> QuizStatus {
        let attempts = self
            .item(module)
            .map(|f| f.attempts.as_slice())
            .unwrap_or_default();
        QuizStatus {
            questions: catalog.module(module).map_or(0, |m| m.questions),
            pass_mark: catalog.pass_mark(module),
            attempts: attempts.len(),
            best_score: attempts.iter().map(|(_, a)| a.score).max(),
            passed: attempts.iter().any(|(_, a)| a.passed),
            last_attempt: attempts.iter().map(|(t, _)| *t).max(),
        }
    }

    pub(crate) fn module_progress(
        &self,
        catalog: &dyn Catalog,
        module: &Ref,
    ) -> Option<ModuleProgress> {
        let module = plain(module);
        let m = catalog.module(&module)?;
        let items: Vec<ItemStatus> = m.items.iter().map(|i| self.status(catalog, i)).collect();
        let completed = items
            .iter()
            .filter(|s| s.state == ItemState::Completed)
            .count();
        let quiz = self.quiz(catalog, &module);
        let status = self.status(catalog, &module);
        let next = match items.iter().find(|s| s.state != ItemState::Completed) {
            Some(s) => Next::Item(s.item.clone()),
            None if quiz.questions > 0 && !quiz.passed => Next::Quiz,
            None => Next::Done,
        };
        Some(ModuleProgress {
            status,
            total: items.len(),
            items,
            completed,
            quiz,
            next,
        })
    }
}

/// When a workflow of `steps` steps became complete: the latest of the ticks that keep each step
/// done, if every step's latest tick is "done".
fn workflow_done_at(f: &ItemFacts<'_>, steps: usize) -> Option<u64> {
    let mut at = None;
    for step in 0..steps {
        match f.ticks.get(&step) {
            Some(&(t, true)) => at = later(at, Some(t)),
            _ => return None,
        }
    }
    at
}

/// For each item, the modules that list it (so a change to an item re-evaluates its modules).
fn parents(catalog: &dyn Catalog) -> BTreeMap<Key, Vec<Ref>> {
    let mut parents: BTreeMap<Key, Vec<Ref>> = BTreeMap::new();
    for module in catalog.items().iter().filter(|r| r.kind == Kind::Module) {
        if let Some(m) = catalog.module(module) {
            for item in &m.items {
                parents.entry(key(item)).or_default().push(plain(module));
            }
        }
    }
    parents
}

/// Replays `events` (in the order of `Progress::events`) and reports each change of an item's state and each
/// quiz attempt, oldest first.
pub(crate) fn timeline(
    events: &[&Event],
    catalog: &dyn Catalog,
    utc_offset_minutes: i32,
) -> Vec<Activity> {
    let parents = parents(catalog);
    let mut facts = Facts::default();
    let mut states: BTreeMap<Key, ItemState> = BTreeMap::new();
    let mut out = Vec::new();
    for e in events {
        let Some(item) = facts.apply(e) else {
            continue;
        };
        let entry = |item: &Ref, what| Activity {
            event: e.id.clone(),
            at: e.at,
            date: LocalDate::from_millis(e.at, utc_offset_minutes),
            item: item.clone(),
            what,
        };
        // The item first, then the modules that list it, then theirs.
        let mut changes = Vec::new();
        let mut queue = vec![item.clone()];
        let mut seen = BTreeSet::new();
        while let Some(r) = queue.pop() {
            if !seen.insert(key(&r)) {
                continue;
            }
            let new = facts.status(catalog, &r).state;
            let old = states.insert(key(&r), new).unwrap_or(ItemState::NotStarted);
            if let Some(what) = transition(old, new) {
                changes.push(entry(&r, what));
            }
            if let Some(ps) = parents.get(&key(&r)) {
                queue.extend(ps.iter().rev().cloned());
            }
        }
        // A first attempt reads: started, attempted, (completed).
        let started = changes
            .iter()
            .take_while(|a| a.what == ActivityKind::Started && a.item == *item)
            .count();
        let rest = changes.split_off(started);
        out.extend(changes);
        if let Payload::QuizAttempt(a) = &e.payload {
            out.push(entry(
                item,
                ActivityKind::QuizAttempt {
                    score: a.score,
                    passed: a.passed,
                },
            ));
        }
        out.extend(rest);
    }
    out
}

fn transition(old: ItemState, new: ItemState) -> Option<ActivityKind> {
    use std::cmp::Ordering::*;
    match new.cmp(&old) {
        Equal => None,
        Greater => Some(match new {
            ItemState::Completed => ActivityKind::Completed,
            ItemState::Read => ActivityKind::Read,
            _ => ActivityKind::Started,
        }),
        Less if old == ItemState::Completed => Some(ActivityKind::Reopened),
        Less => None,
    }
}

/// The totals of the learning record.
pub(crate) fn totals(
    events: &[&Event],
    facts: &Facts<'_>,
    catalog: &dyn Catalog,
    utc_offset_minutes: i32,
) -> Totals {
    let mut t = Totals::default();
    // Catalog items too: a module completes through its items without events of its own.
    let items: BTreeSet<Key> = facts
        .touched()
        .chain(catalog.items())
        .map(|r| key(&r))
        .collect();
    for (kind, id) in items {
        let item = Ref {
            kind,
            id,
            anchor: None,
        };
        let status = facts.status(catalog, &item);
        if status.state == ItemState::Completed {
            if item.kind == Kind::Module {
                t.modules_completed += 1;
            } else {
                t.items_completed += 1;
            }
        }
        let attempts = facts.attempts(&item);
        t.quiz_attempts += attempts.len();
        if attempts.iter().any(|a| a.passed) {
            t.quizzes_passed += 1;
        }
    }
    let learning = events.iter().filter(|e| e.item().is_some());
    let days: BTreeSet<i64> = learning
        .clone()
        .map(|e| local_day(e.at, utc_offset_minutes))
        .collect();
    t.days_active = days.len();
    t.first_active = learning.clone().map(|e| e.at).min();
    t.last_active = learning.map(|e| e.at).max();
    t
}
