//! The worker's accepted assignments and the trainer's roster, as signals backed by storage.

use leptos::prelude::*;

use super::storage::{self, StorageError};
use crate::assign::{decode_assignment, encode_assignment, Assignment, Roster};

/// Accepted assignments (我的任务) and the trainer's roster, provided as context.
#[derive(Clone, Copy)]
pub struct Assignments {
    pub tasks: RwSignal<Vec<Assignment>>,
    pub roster: RwSignal<Roster>,
    /// What went wrong reading or writing them, for the pages to show.
    pub problem: RwSignal<Option<String>>,
}

impl Assignments {
    pub fn load() -> Self {
        let mut problems = Vec::new();
        let tasks = match storage::load_text(storage::TASKS_KEY) {
            None => Vec::new(),
            Some(raw) => match serde_json::from_str::<Vec<String>>(&raw) {
                Ok(codes) => codes
                    .iter()
                    .filter_map(|c| match decode_assignment(c) {
                        Ok(a) => Some(a),
                        Err(e) => {
                            problems.push(format!("一条已接受的任务无法读取（{e}），已略过"));
                            None
                        }
                    })
                    .collect(),
                Err(_) => {
                    let key = storage::keep_backup(storage::TASKS_KEY, &raw).unwrap_or_default();
                    problems.push(format!(
                        "本机保存的任务列表无法读取，原始数据已另存为 {key}"
                    ));
                    Vec::new()
                }
            },
        };
        let roster = match storage::load_text(storage::ROSTER_KEY) {
            None => Roster::new(),
            Some(raw) => Roster::from_json(&raw).unwrap_or_else(|e| {
                let key = storage::keep_backup(storage::ROSTER_KEY, &raw).unwrap_or_default();
                problems.push(format!(
                    "本机保存的回执表无法读取（{e}），原始数据已另存为 {key}"
                ));
                Roster::new()
            }),
        };
        Assignments {
            tasks: RwSignal::new(tasks),
            roster: RwSignal::new(roster),
            problem: RwSignal::new((!problems.is_empty()).then(|| problems.join("；"))),
        }
    }

    fn report(self, result: Result<(), StorageError>) {
        if let Err(e) = result {
            self.problem.set(Some(e.to_string()));
        }
    }

    /// Accepts an assignment (replacing an older copy with the same id).
    pub fn accept(self, assignment: Assignment) {
        self.tasks.update(|t| {
            t.retain(|x| x.id != assignment.id);
            t.insert(0, assignment);
        });
        self.save_tasks();
    }

    pub fn remove_task(self, id: &str) {
        self.tasks.update(|t| t.retain(|x| x.id != id));
        self.save_tasks();
    }

    fn save_tasks(self) {
        let codes: Vec<String> = self
            .tasks
            .with_untracked(|t| t.iter().filter_map(|a| encode_assignment(a).ok()).collect());
        let json = serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into());
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

/// Six random bytes for a new assignment id.
pub fn random_bytes() -> [u8; 6] {
    let mut out = [0u8; 6];
    for b in &mut out {
        *b = (js_sys::Math::random() * 256.0) as u8;
    }
    out
}

/// The site's base address for links (`https://host`).
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
