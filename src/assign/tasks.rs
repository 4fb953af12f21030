//! The worker's accepted assignments (我的任务) as kept on their device: a JSON list of
//! assignment codes, newest first.
//!
//! A code this app cannot read (written by a newer version of the app in another tab or after a
//! rollback, or damaged) is kept as it was, in its place, so saving the list never drops it:
//! the newer app reads it again.

use super::codec::{decode_assignment, encode_assignment, CodeKind, DecodeError};
use super::model::{check_not_ahead, Assignment, Refusal};

/// Why the stored list could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TasksError {
    #[error("本机保存的任务列表无法读取：{0}")]
    Malformed(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    Task(Assignment),
    /// A code that does not decode here, and why.
    Kept(String, DecodeError),
}

/// The accepted assignments, and the stored codes this version cannot read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskList {
    entries: Vec<Entry>,
}

impl TaskList {
    pub fn new() -> TaskList {
        TaskList::default()
    }

    /// Reads the stored list; a code that does not decode is kept as it is (see
    /// [`TaskList::unreadable`]).
    ///
    /// ```
    /// use portal::assign::{DecodeError, TaskList};
    /// let list = TaskList::from_json(r#"["DJA2AAAA"]"#).unwrap();
    /// assert!(list.tasks().is_empty());
    /// assert!(matches!(list.unreadable()[..], [DecodeError::UnsupportedVersion { version: 2, .. }]));
    /// // Saving keeps the newer app's task.
    /// assert_eq!(list.to_json(), r#"["DJA2AAAA"]"#);
    /// assert!(TaskList::from_json("{").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<TaskList, TasksError> {
        let codes: Vec<String> =
            serde_json::from_str(text).map_err(|e| TasksError::Malformed(e.to_string()))?;
        let entries = codes
            .into_iter()
            .map(|code| match decode_assignment(&code) {
                Ok(a) => Entry::Task(a),
                Err(e) => Entry::Kept(code, e),
            })
            .collect();
        Ok(TaskList { entries })
    }

    /// The list as stored: each task's code, and each unreadable code as it was read.
    pub fn to_json(&self) -> String {
        let codes: Vec<String> = self
            .entries
            .iter()
            .filter_map(|e| match e {
                // A task got here through `accept` or the decoder, so it encodes; if a future
                // limit ever refused it, dropping it is still better than a list that cannot
                // be saved.
                Entry::Task(a) => encode_assignment(a).ok(),
                Entry::Kept(code, _) => Some(code.clone()),
            })
            .collect();
        serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into())
    }

    /// The tasks this version can read, newest first.
    pub fn tasks(&self) -> Vec<Assignment> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Task(a) => Some(a.clone()),
                Entry::Kept(..) => None,
            })
            .collect()
    }

    /// Why each kept code cannot be read here.
    pub fn unreadable(&self) -> Vec<&DecodeError> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Kept(_, why) => Some(why),
                Entry::Task(_) => None,
            })
            .collect()
    }

    /// Whether an assignment of this id was accepted.
    pub fn contains(&self, id: &str) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e, Entry::Task(a) if a.id == id))
    }

    /// Whether `assignment` may be accepted at `now`: it must validate and be dated no more
    /// than a day ahead of this device's clock.
    pub fn check(assignment: &Assignment, now: u64) -> Result<(), Refusal> {
        assignment.validate()?;
        check_not_ahead(CodeKind::Assignment, assignment.created, now)
    }

    /// Accepts an assignment at `now` (see [`TaskList::check`]), first in the list, replacing
    /// an accepted one of the same id.
    ///
    /// ```
    /// use portal::assign::{Assignment, Refusal, TaskList};
    /// let now = 1_795_809_600_000;
    /// let a = Assignment { id: "k3Vq9xZa".into(), title: "入门".into(), trainer: "王老师".into(),
    ///     note: String::new(), due: "2026-12-04".parse().unwrap(), created: now,
    ///     items: vec!["case:panjin-2018".parse().unwrap()] };
    /// let mut list = TaskList::new();
    /// let ahead = Assignment { created: now + 2 * 86_400_000, ..a.clone() };
    /// assert!(matches!(list.accept(ahead, now), Err(Refusal::Ahead { .. })));
    /// assert_eq!(list.accept(a.clone(), now), Ok(()));
    /// assert!(list.contains("k3Vq9xZa"));
    /// ```
    pub fn accept(&mut self, assignment: Assignment, now: u64) -> Result<(), Refusal> {
        TaskList::check(&assignment, now)?;
        self.remove(&assignment.id);
        self.entries.insert(0, Entry::Task(assignment));
        Ok(())
    }

    /// Removes an accepted assignment; returns it if it was there.
    pub fn remove(&mut self, id: &str) -> Option<Assignment> {
        let at = self
            .entries
            .iter()
            .position(|e| matches!(e, Entry::Task(a) if a.id == id))?;
        match self.entries.remove(at) {
            Entry::Task(a) => Some(a),
            Entry::Kept(..) => None,
        }
    }
}
