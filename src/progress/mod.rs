//! Learning progress kept on the device (issue 5): the learner's record as an append-only log of
//! events, the states derived from it, merging, the versioned storage format, import and export.
//!
//! This is the pure core: no clock, no randomness, no browser. The caller (the storage module of
//! the app) supplies event ids and timestamps, reads and writes the JSON this module produces, and
//! merges what another tab or device wrote with [`Progress::merge`].
//!
//! ```
//! use portal::content::Ref;
//! use portal::progress::{Event, ItemState, NoCatalog, Payload, Progress};
//! let case: Ref = "case:panjin-2018".parse().unwrap();
//! let mut p = Progress::with_learner("d7f3");
//! p.record(Event::new(p.next_event_id("tab1"), 1_764_000_000_000, Payload::Opened { item: case.clone() })).unwrap();
//! p.record(Event::new(p.next_event_id("tab1"), 1_764_000_300_000, Payload::Read { item: case.clone() })).unwrap();
//! assert_eq!(p.state(&NoCatalog, &case), ItemState::Completed);
//! ```

pub mod backup;
pub mod catalog;
pub mod datetime;
pub mod export;
pub mod import;
pub mod model;
pub mod quiz;
pub mod state;
pub mod storage_format;
pub mod xapi;

use std::collections::BTreeMap;

use crate::content::Ref;

pub use catalog::{Catalog, NoCatalog, DEFAULT_PASS_MARK};
pub use import::{preview_import, ImportError, ImportPreview, MAX_IMPORT_BYTES};
pub use model::{Answers, Event, EventError, ItemState, Payload, QuizAttempt};
pub use quiz::{score, QuestionResult, QuizResult};
pub use state::{Activity, ActivityKind, ItemStatus, ModuleProgress, Next, QuizStatus, Totals};
pub use storage_format::{DecodedRecord, FormatError, RecordProblem, SCHEMA};

use model::plain;
use state::Facts;

/// The longest learner id accepted.
const MAX_LEARNER_CHARS: usize = 128;

/// The learner's whole record: an anonymous learner id and a set of events keyed by event id.
///
/// Every state, score and total is derived from the events when asked for, so two records merge
/// by taking the union of their events (see [`Progress::merge`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    learner: Option<String>,
    events: BTreeMap<String, Event>,
}

/// What inserting one event into a record did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inserted {
    New,
    AlreadyThere,
    /// An event with the same id and other content was there; the rule of
    /// [`Event::wins_over`] decided which stays.
    Conflict,
}

fn valid_learner(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= MAX_LEARNER_CHARS
        && !id.chars().any(|c| c.is_whitespace())
        && crate::text::plain_text(id)
}

impl Progress {
    /// An empty record with no learner id yet.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// An empty record for the anonymous learner `learner` (a random id the caller made once).
    /// An id that is empty, too long or has spaces is ignored.
    pub fn with_learner(learner: impl Into<String>) -> Progress {
        let mut p = Progress::new();
        p.adopt_learner(learner);
        p
    }

    /// The anonymous learner id used as the xAPI actor when no display name is set.
    pub fn learner(&self) -> Option<&str> {
        self.learner.as_deref()
    }

    /// Sets the learner id if the record has none (a record migrated from schema 1 or imported
    /// without one). Returns whether it was set.
    pub fn adopt_learner(&mut self, learner: impl Into<String>) -> bool {
        let learner = learner.into();
        if self.learner.is_none() && valid_learner(&learner) {
            self.learner = Some(learner);
            true
        } else {
            false
        }
    }

    /// Appends an event after checking it. Returns `Ok(false)` if the very same event is already
    /// there (a retried write), and an error if its id is taken by a different event.
    ///
    /// ```
    /// use portal::progress::{Event, EventError, Payload, Progress};
    /// let mut p = Progress::new();
    /// let open = Event::new("t-1", 1_764_000_000_000, Payload::Opened { item: "case:a".parse().unwrap() });
    /// assert_eq!(p.record(open.clone()), Ok(true));
    /// assert_eq!(p.record(open), Ok(false));
    /// let clash = Event::new("t-1", 1_764_000_000_001, Payload::Read { item: "case:a".parse().unwrap() });
    /// assert_eq!(p.record(clash), Err(EventError::DuplicateId("t-1".into())));
    /// ```
    pub fn record(&mut self, event: Event) -> Result<bool, EventError> {
        event.validate()?;
        let event = event.normalized();
        match self.events.get(&event.id) {
            Some(existing) if *existing == event => Ok(false),
            Some(_) => Err(EventError::DuplicateId(event.id)),
            None => {
                self.events.insert(event.id.clone(), event);
                Ok(true)
            }
        }
    }

    /// Inserts an already validated, normalized event, resolving an id clash deterministically.
    pub(crate) fn insert(&mut self, event: Event) -> Inserted {
        match self.events.get(&event.id) {
            None => {
                self.events.insert(event.id.clone(), event);
                Inserted::New
            }
            Some(existing) if *existing == event => Inserted::AlreadyThere,
            Some(existing) => {
                if event.wins_over(existing) {
                    self.events.insert(event.id.clone(), event);
                }
                Inserted::Conflict
            }
        }
    }

    /// The next free id for `writer`: `writer-N` with N one more than the highest N already used
    /// by that writer. Use one writer id per tab (e.g. random per page load), not per device:
    /// two tabs sharing a writer id could pick the same N.
    ///
    /// ```
    /// let p = portal::progress::Progress::new();
    /// assert_eq!(p.next_event_id("a1b2"), "a1b2-1");
    /// ```
    pub fn next_event_id(&self, writer: &str) -> String {
        let prefix = format!("{writer}-");
        let highest = self
            .events
            .range(prefix.clone()..)
            .take_while(|(id, _)| id.starts_with(&prefix))
            .filter_map(|(id, _)| id[prefix.len()..].parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        format!("{prefix}{}", highest.saturating_add(1))
    }

    /// All events in replay order: by replay time ([`Event::replay_at`]: the date, or the clock
    /// a device set to put the event after everything it already had). Events of one
    /// millisecond are ordered by writer and then by the writer's counter as a number, so
    /// `tab-10` follows `tab-9` (a tick and an untick made in one millisecond must replay in the
    /// order they were made).
    pub fn events(&self) -> Vec<&Event> {
        in_replay_order(self.events.values().collect())
    }

    /// The events of `self.merge(other)` in replay order, without building the merged record:
    /// for a preview, which must not copy two large records to look at their union.
    pub(crate) fn merged_events<'a>(&'a self, other: &'a Progress) -> Vec<&'a Event> {
        let mut events: Vec<&Event> = self
            .events
            .values()
            .filter(|e| match other.events.get(&e.id) {
                // The same rule as `insert`: on a clash, the winner stays.
                Some(theirs) => theirs == *e || !theirs.wins_over(e),
                None => true,
            })
            .collect();
        events.extend(
            other
                .events
                .values()
                .filter(|e| match self.events.get(&e.id) {
                    Some(ours) => ours != *e && e.wins_over(ours),
                    None => true,
                }),
        );
        in_replay_order(events)
    }

    /// Every event, in no particular order: for counting.
    pub(crate) fn unordered(&self) -> impl Iterator<Item = &Event> {
        self.events.values()
    }

    /// The latest replay time in the log, if any.
    pub fn latest_replay_at(&self) -> Option<u64> {
        self.events.values().map(Event::replay_at).max()
    }

    /// Records what the learner just did, at `now` by the device's clock, under the next id of
    /// `writer` (see [`Progress::next_event_id`]).
    ///
    /// The event replays after every event already in the log, whatever their dates: if the log
    /// holds an event dated later than `now` (another device's clock was ahead, or an old import
    /// brought one), the new event gets a replay clock one millisecond past the latest one, like
    /// a Lamport clock. Its date stays `now`, so the timeline and the days counted are right, and
    /// a name set or a step unticked now always takes effect.
    ///
    /// ```
    /// use portal::progress::{Event, Payload, Progress};
    /// let mut p = Progress::new();
    /// let far = 253_402_300_799_999; // 9999-12-31
    /// p.record(Event::new("old-1", far, Payload::DisplayNameSet { name: "钉住".into() })).unwrap();
    /// p.append("tab", 1_764_000_000_000, Payload::DisplayNameSet { name: "张三".into() }).unwrap();
    /// assert_eq!(p.display_name(), Some("张三"));
    /// assert_eq!(p.event("tab-1").unwrap().at, 1_764_000_000_000);
    /// ```
    pub fn append(&mut self, writer: &str, now: u64, payload: Payload) -> Result<(), EventError> {
        let id = self.next_event_id(writer);
        let mut event = Event::new(id, now, payload);
        if let Some(latest) = self.latest_replay_at() {
            if latest >= now {
                event.clock = Some(latest.saturating_add(1));
            }
        }
        self.record(event).map(|_| ())
    }

    /// Takes out the events that claim a time after `limit` (see [`Event::latest_time`]) and
    /// returns them, oldest first.
    pub(crate) fn take_later_than(&mut self, limit: u64) -> Vec<Event> {
        let late: Vec<String> = self
            .events
            .values()
            .filter(|e| e.latest_time() > limit)
            .map(|e| e.id.clone())
            .collect();
        let mut out: Vec<Event> = late
            .iter()
            .filter_map(|id| self.events.remove(id))
            .collect();
        out.sort_by(|a, b| (a.latest_time(), &a.id).cmp(&(b.latest_time(), &b.id)));
        out
    }

    /// Removes and returns every event whose id `other` uses for a different event: an import
    /// may add to the device's record, never replace what is in it (event ids are in every
    /// exported file, so a crafted file could otherwise overwrite chosen records).
    pub(crate) fn take_clashing_with(&mut self, other: &Progress) -> Vec<Event> {
        let clashing: Vec<String> = self
            .events
            .values()
            .filter(|e| other.events.get(&e.id).is_some_and(|o| o != *e))
            .map(|e| e.id.clone())
            .collect();
        clashing
            .iter()
            .filter_map(|id| self.events.remove(id))
            .collect()
    }

    /// The event with this id.
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.get(id)
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The union of two records: every event of either, by event id. Where both hold different
    /// events under one id (which only a buggy writer or an edited file produces) one is kept by a
    /// fixed rule, so merging is commutative, associative and idempotent. The learner id is the
    /// smaller of the two, so devices converge on one id after exchanging records.
    ///
    /// "The later event of the same item wins" is not done here by dropping events: the state
    /// rules read the latest tick of each step, so both ticks stay in the log.
    ///
    /// ```
    /// use portal::progress::{Event, Payload, Progress};
    /// let ev = |id: &str, at| Event::new(id, at, Payload::Opened { item: "case:a".parse().unwrap() });
    /// let mut a = Progress::new();
    /// a.record(ev("a-1", 1_764_000_000_000)).unwrap();
    /// let mut b = Progress::new();
    /// b.record(ev("b-1", 1_764_000_000_500)).unwrap();
    /// assert_eq!(a.merge(&b), b.merge(&a));
    /// assert_eq!(a.merge(&b).len(), 2);
    /// assert_eq!(a.merge(&a), a);
    /// ```
    pub fn merge(&self, other: &Progress) -> Progress {
        let mut out = self.clone();
        out.absorb(other);
        out
    }

    /// Adds `other`'s events to `self`; returns how many events were new and how many clashed.
    pub(crate) fn absorb(&mut self, other: &Progress) -> (usize, usize) {
        self.learner = match (self.learner.take(), &other.learner) {
            (Some(a), Some(b)) => Some(a.min(b.clone())),
            (a, b) => a.or_else(|| b.clone()),
        };
        let (mut new, mut conflicts) = (0, 0);
        for e in other.events.values() {
            match self.insert(e.clone()) {
                Inserted::New => new += 1,
                Inserted::Conflict => conflicts += 1,
                Inserted::AlreadyThere => {}
            }
        }
        (new, conflicts)
    }

    fn facts(&self) -> (Vec<&Event>, Facts<'_>) {
        let events = self.events();
        let facts = Facts::new(&events);
        (events, facts)
    }

    /// The display name set by the learner, if any (the latest setting wins).
    pub fn display_name(&self) -> Option<&str> {
        self.facts().1.display_name()
    }

    /// One item's state and the times behind it.
    pub fn status(&self, catalog: &dyn Catalog, item: &Ref) -> ItemStatus {
        self.facts().1.status(catalog, item)
    }

    /// One item's state: for list marks.
    pub fn state(&self, catalog: &dyn Catalog, item: &Ref) -> ItemState {
        self.status(catalog, item).state
    }

    /// Every catalog item's status in catalog order, then items that have events but are not in
    /// the catalog (content removed or not yet on this device), in reference order.
    pub fn statuses(&self, catalog: &dyn Catalog) -> Vec<ItemStatus> {
        statuses(&self.facts().1, catalog)
    }

    /// Whether each of a workflow's `steps` steps is ticked now, for the checklist.
    pub fn ticked_steps(&self, workflow: &Ref, steps: usize) -> Vec<bool> {
        self.facts().1.ticks(&plain(workflow), steps)
    }

    /// Every quiz attempt at a module, oldest first.
    pub fn attempts(&self, module: &Ref) -> Vec<&QuizAttempt> {
        self.facts().1.attempts(&plain(module))
    }

    /// The best score of any attempt at the module's quiz.
    pub fn best_score(&self, module: &Ref) -> Option<u8> {
        self.attempts(module).iter().map(|a| a.score).max()
    }

    /// Whether any attempt at the module's quiz passed.
    pub fn quiz_passed(&self, module: &Ref) -> bool {
        self.attempts(module).iter().any(|a| a.passed)
    }

    /// The questions the latest attempt got wrong (or left unanswered), to offer them again.
    ///
    /// ```
    /// use portal::progress::{Answers, Event, Payload, Progress, QuizAttempt};
    /// let module: portal::content::Ref = "module:m".parse().unwrap();
    /// let attempt = |wrong: &[&str], at| QuizAttempt {
    ///     module: module.clone(), answers: Answers::new(),
    ///     incorrect: wrong.iter().map(|s| s.to_string()).collect(),
    ///     score: 50, passed: false, started: at, finished: at,
    /// };
    /// let mut p = Progress::new();
    /// p.record(Event::new("t-1", 1_764_000_000_000, Payload::QuizAttempt(attempt(&["q1", "q2"], 1_764_000_000_000)))).unwrap();
    /// p.record(Event::new("t-2", 1_764_000_100_000, Payload::QuizAttempt(attempt(&["q2"], 1_764_000_100_000)))).unwrap();
    /// assert_eq!(p.wrong_questions(&module), vec!["q2".to_string()]);
    /// ```
    pub fn wrong_questions(&self, module: &Ref) -> Vec<String> {
        self.attempts(module)
            .last()
            .map(|a| a.incorrect.clone())
            .unwrap_or_default()
    }

    /// A module's progress: items done of total, its quiz, and what "继续学习" should open.
    /// `None` if the catalog does not know the module.
    pub fn module_progress(&self, catalog: &dyn Catalog, module: &Ref) -> Option<ModuleProgress> {
        self.facts().1.module_progress(catalog, module)
    }

    /// Every catalog module's progress, in catalog order.
    pub fn modules(&self, catalog: &dyn Catalog) -> Vec<ModuleProgress> {
        let (_, facts) = self.facts();
        catalog
            .items()
            .iter()
            .filter(|r| r.kind == crate::content::Kind::Module)
            .filter_map(|r| facts.module_progress(catalog, r))
            .collect()
    }

    /// "Continue where you left off": the catalog item that is not completed and whose latest
    /// event is the latest in replay order (not by date: a future date must not pin it).
    pub fn resume(&self, catalog: &dyn Catalog) -> Option<ItemStatus> {
        let (_, facts) = self.facts();
        facts
            .touched()
            .filter(|r| catalog.contains(r))
            .map(|r| facts.status(catalog, &r))
            .filter(|s| s.state != ItemState::Completed)
            .max_by_key(|s| facts.recency(&s.item))
    }

    /// The totals of the learning record; days are counted in the learner's time zone
    /// (`utc_offset_minutes` ahead of UTC, 480 for China).
    pub fn totals(&self, catalog: &dyn Catalog, utc_offset_minutes: i32) -> Totals {
        let (events, facts) = self.facts();
        state::totals(&events, &facts, catalog, utc_offset_minutes)
    }

    /// Changes of item states and quiz attempts, oldest first, for the activity timeline.
    pub fn timeline(&self, catalog: &dyn Catalog, utc_offset_minutes: i32) -> Vec<Activity> {
        state::timeline(&self.events(), catalog, utc_offset_minutes)
    }

    /// The record in the current storage format (compact JSON).
    pub fn to_json(&self) -> Result<String, FormatError> {
        storage_format::encode(self)
    }

    /// Reads a stored record of any supported schema; see [`storage_format::decode`].
    pub fn from_json(text: &str) -> Result<DecodedRecord, FormatError> {
        storage_format::decode(text)
    }
}

/// Events in replay order: by replay time ([`Event::replay_at`]), then writer, then the
/// writer's counter as a number; see [`Progress::events`].
fn in_replay_order(mut events: Vec<&Event>) -> Vec<&Event> {
    fn order(e: &Event) -> (u64, &str, u64, &str) {
        match e.id.rsplit_once('-').map(|(w, n)| (w, n.parse::<u64>())) {
            Some((writer, Ok(n))) => (e.replay_at(), writer, n, &e.id),
            _ => (e.replay_at(), &e.id, 0, &e.id),
        }
    }
    // Keys are worked out once per event, not once per comparison.
    events.sort_by_cached_key(|e| order(e));
    events
}

/// Every catalog item's status in catalog order, then the other items with events.
pub(crate) fn statuses(facts: &Facts<'_>, catalog: &dyn Catalog) -> Vec<ItemStatus> {
    let mut out: Vec<ItemStatus> = catalog
        .items()
        .iter()
        .map(|r| facts.status(catalog, r))
        .collect();
    out.extend(
        facts
            .touched()
            .filter(|r| !catalog.contains(r))
            .map(|r| facts.status(catalog, &r)),
    );
    out
}

#[cfg(test)]
mod tests;
