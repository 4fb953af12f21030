//! The learning record in the app: one signal every page derives from, written through
//! [`ProgressStore::record`], saved after every change and merged with what other tabs write.

use leptos::ev;
use leptos::prelude::*;

use super::storage::{self, StorageError};
use crate::progress::{Event, Payload, Progress};

#[derive(Clone, Copy)]
pub struct ProgressStore {
    pub record: RwSignal<Progress>,
    /// Told once: stored data could not be read (and was backed up).
    pub notice: RwSignal<Option<String>>,
    /// The last save failed (quota, private mode).
    pub save_error: RwSignal<Option<String>>,
    writer: StoredValue<String>,
}

impl ProgressStore {
    /// Loads the record and starts listening to other tabs.
    pub fn start() -> Self {
        let loaded = storage::load();
        let store = ProgressStore {
            record: RwSignal::new(loaded.progress),
            notice: RwSignal::new(loaded.notice),
            save_error: RwSignal::new(None),
            writer: StoredValue::new(storage::random_id(8)),
        };
        // Another tab saved: merge its record into ours (union of events, nothing dropped), and
        // write back if ours had events it lacked.
        let handle = window_event_listener(ev::storage, move |e| {
            if e.key().as_deref() != Some(storage::RECORD_KEY) {
                return;
            }
            let Some(value) = e.new_value() else { return };
            let Ok(decoded) = Progress::from_json(&value) else {
                return;
            };
            let theirs = decoded.progress;
            let mut ours_had_more = false;
            store.record.update(|p| {
                let merged = p.merge(&theirs);
                ours_had_more = merged.len() > theirs.len();
                *p = merged;
            });
            if ours_had_more {
                store.save();
            }
        });
        std::mem::forget(handle);
        store
    }

    fn save(self) {
        let result = self.record.with_untracked(storage::save);
        self.save_error
            .set(result.err().map(|e: StorageError| e.to_string()));
    }

    /// Appends an event now and saves.
    pub fn record(self, payload: Payload) {
        let at = storage::now();
        let writer = self.writer.get_value();
        let mut changed = false;
        self.record.update(|p| {
            let id = p.next_event_id(&writer);
            changed = p.record(Event::new(id, at, payload)).unwrap_or(false);
        });
        if changed {
            self.save();
        }
    }

    /// Replaces the record by a merged one (import) and saves.
    pub fn replace(self, progress: Progress) {
        self.record.set(progress);
        self.save();
    }
}

pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}
