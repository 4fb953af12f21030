//! The worker's accepted assignments and the trainer's roster, as signals backed by storage.
//!
//! The rules (what may be accepted, what a receipt does to the roster) are the core's
//! (`crate::assign::TaskList`, `crate::assign::Roster::intake`); this only loads, saves and
//! reports.

use leptos::prelude::*;

use super::storage::{self, StorageError};
use crate::assign::{Assignment, Refusal, Roster, TaskList};

/// Accepted assignments (我的任务) and the trainer's roster, provided as context.
#[derive(Clone, Copy)]
pub struct Assignments {
    list: RwSignal<TaskList>,
    /// The accepted assignments this version can read, newest first.
    pub tasks: Memo<Vec<Assignment>>,
    /// Loaded on the first visit to the trainer's page ([`Assignments::load_roster`]): a big
    /// roster should not slow every other page.
    pub roster: RwSignal<Roster>,
    roster_loaded: StoredValue<bool>,
    /// What went wrong reading or writing them, for the pages to show.
    pub problem: RwSignal<Option<String>>,
}

impl Assignments {
    pub fn load() -> Self {
        let mut problems = Vec::new();
        let list = match storage::load_text(storage::TASKS_KEY) {
            None => TaskList::new(),
            Some(raw) => match TaskList::from_json(&raw) {
                Ok(list) => {
                    let unreadable = list.unreadable();
                    if let Some(first) = unreadable.first() {
                        problems.push(format!(
                            "有 {} 项已接受的任务本页无法显示（{first}），已原样保留，不会删除",
                            unreadable.len()
                        ));
                    }
                    list
                }
                Err(e) => {
                    let key = storage::keep_backup(storage::TASKS_KEY, &raw).unwrap_or_default();
                    problems.push(format!("{e}，原始数据已另存为 {key}"));
                    TaskList::new()
                }
            },
        };
        let list = RwSignal::new(list);
        Assignments {
            list,
            tasks: Memo::new(move |_| list.with(TaskList::tasks)),
            roster: RwSignal::new(Roster::new()),
            roster_loaded: StoredValue::new(false),
            problem: RwSignal::new((!problems.is_empty()).then(|| problems.join("；"))),
        }
    }

    /// Reads the stored roster once. Entries that cannot be read, or that the caps refuse (a
    /// roster saved by an older version may be too big to draw), are left out; the stored text
    /// is then kept under a backup key first, so nothing is lost.
    pub fn load_roster(self) {
        if self.roster_loaded.get_value() {
            return;
        }
        self.roster_loaded.set_value(true);
        let Some(raw) = storage::load_text(storage::ROSTER_KEY) else {
            return;
        };
        match Roster::read_json(&raw) {
            Ok(loaded) => {
                if let Some(first) = loaded.left_out.first() {
                    let key = storage::keep_backup(storage::ROSTER_KEY, &raw).unwrap_or_default();
                    self.add_problem(format!(
                        "本机保存的培训记录中有 {} 条未载入（{first}），原始数据已另存为 {key}",
                        loaded.left_out.len()
                    ));
                }
                self.roster.set(loaded.roster);
            }
            Err(e) => {
                let key = storage::keep_backup(storage::ROSTER_KEY, &raw).unwrap_or_default();
                self.add_problem(format!(
                    "本机保存的回执表无法读取（{e}），原始数据已另存为 {key}"
                ));
            }
        }
    }

    fn add_problem(self, text: String) {
        self.problem.update(|p| {
            *p = Some(match p.take() {
                Some(old) => format!("{old}；{text}"),
                None => text,
            })
        });
    }

    fn report(self, result: Result<(), StorageError>) {
        if let Err(e) = result {
            self.problem.set(Some(e.to_string()));
        }
    }

    /// Whether an assignment of this id was accepted.
    pub fn has_task(self, id: &str) -> bool {
        self.list.with(|l| l.contains(id))
    }

    /// Accepts an assignment at `now` (replacing an older copy with the same id), or says why not.
    pub fn accept(self, assignment: Assignment, now: u64) -> Result<(), Refusal> {
        self.list
            .try_update(|l| l.accept(assignment, now))
            .unwrap_or(Ok(()))?;
        self.save_tasks();
        Ok(())
    }

    pub fn remove_task(self, id: &str) {
        self.list.update(|l| {
            l.remove(id);
        });
        self.save_tasks();
    }

    fn save_tasks(self) {
        let json = self.list.with_untracked(TaskList::to_json);
        self.report(storage::save_text(storage::TASKS_KEY, &json));
    }

    /// Changes the roster and saves it.
    pub fn update_roster<T>(self, f: impl FnOnce(&mut Roster) -> T) -> Option<T> {
        let out = self.roster.try_update(f);
        let json = self.roster.with_untracked(Roster::to_json);
        match json {
            Ok(json) => self.report(storage::save_text(storage::ROSTER_KEY, &json)),
            Err(e) => self.problem.set(Some(e.to_string())),
        }
        out
    }
}

pub fn use_assignments() -> Assignments {
    expect_context::<Assignments>()
}

/// Takes the fragment (`#a=…`, `#r=…`) out of the address bar and out of this history entry
/// (`history.replaceState`), so a code read once does not stay behind to be shared or reopened.
/// The router is not told: the page keeps what it read.
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&format!("{path}{search}")));
    }
}
