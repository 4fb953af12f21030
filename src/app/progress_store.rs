//! The learning record in the app: one signal every page derives from, written through
//! [`ProgressStore::append`], saved after every change and merged with what other tabs write.
//!
//! Every failure on the way is shown to the learner (in `save_error`, which the app shell
//! displays on every page): an event the rules refuse, a save that fails, a record that must stay
//! read-only. Nothing is dropped silently.

use leptos::ev;
use leptos::prelude::*;

use super::browser;
use super::storage::{self, StorageError};
use crate::progress::storage_format::{read_stored, ReadOnly, Stored};
use crate::progress::{Payload, Progress};

#[derive(Clone, Copy)]
pub struct ProgressStore {
    pub record: RwSignal<Progress>,
    /// Told once: stored data could not be read (and was backed up).
    pub notice: RwSignal<Option<String>>,
    /// The last action or save failed (a refused event, quota, private mode, read-only record).
    pub save_error: RwSignal<Option<String>>,
    /// Why the record is shown but not saved, if it is (see [`ReadOnly`]).
    pub read_only: RwSignal<Option<ReadOnly>>,
    writer: StoredValue<String>,
}

impl ProgressStore {
    /// Loads the record and starts listening to other tabs.
    pub fn start() -> Self {
        let loaded = storage::load();
        let store = ProgressStore {
            record: RwSignal::new(loaded.progress),
            notice: RwSignal::new(loaded.notice),
            save_error: RwSignal::new(loaded.read_only.as_ref().map(ToString::to_string)),
            read_only: RwSignal::new(loaded.read_only),
            writer: StoredValue::new(browser::random_id(8)),
        };
        if !browser::LIVE {
            // A static page has no other tabs to listen to.
            return store;
        }
        // Another tab saved: merge its record into ours (union of events, nothing dropped), and
        // write back if ours had events it lacked.
        let handle = window_event_listener(ev::storage, move |e| {
            if e.key().as_deref() != Some(storage::RECORD_KEY) {
                return;
            }
            let Some(value) = e.new_value() else { return };
            store.absorb_stored(&value);
        });
        std::mem::forget(handle);
        store
    }

    /// Takes in what another tab stored.
    fn absorb_stored(self, value: &str) {
        match read_stored(value) {
            Stored::Clean(decoded) | Stored::Partial(decoded) => {
                if self.read_only.get_untracked().is_some() {
                    // Ours is not the record to merge into: the stored one stays as it is.
                    return;
                }
                let theirs = decoded.progress;
                let mut ours_had_more = false;
                self.record.update(|p| {
                    let merged = p.merge(&theirs);
                    ours_had_more = merged.len() > theirs.len();
                    *p = merged;
                });
                if ours_had_more {
                    self.save();
                }
            }
            // A newer version of the platform wrote it (the learner updated another tab): show
            // that record and stop writing, or the next save would erase what it added.
            Stored::Newer { found, shown } => {
                self.record.set(shown);
                self.hold(ReadOnly::NewerVersion { found });
            }
            Stored::Unreadable(e) => self.notice.set(Some(format!(
                "另一个标签页保存的学习记录无法读取（{e}），本页的学习记录未改变。"
            ))),
        }
    }

    /// Stops saving, and says why.
    fn hold(self, why: ReadOnly) {
        self.save_error.set(Some(why.to_string()));
        self.read_only.set(Some(why));
    }

    fn save(self) {
        let result = self.record.with_untracked(storage::save);
        match result {
            Ok(()) => self.save_error.set(None),
            Err(StorageError::ReadOnly(why)) => self.hold(why),
            Err(e) => self.save_error.set(Some(e.to_string())),
        }
    }

    /// Appends an event now and saves ([`Progress::append`] and a save). If the event cannot
    /// be recorded, or the record is read-only, the learner is told why.
    pub fn append(self, payload: Payload) {
        if !browser::LIVE {
            // A static page (rendered natively) shows an empty record: nothing is learned there.
            return;
        }
        if let Some(why) = self.read_only.get_untracked() {
            self.save_error
                .set(Some(format!("这次的学习进度没有保存：{why}")));
            return;
        }
        let at = browser::now();
        let writer = self.writer.get_value();
        // `None`: the record's signal is gone (the app is being torn down), so nothing was
        // appended; that is said, never saved and cleared as if it had been.
        match self.record.try_update(|p| p.append(&writer, at, payload)) {
            Some(Ok(())) => self.save(),
            Some(Err(e)) => self.save_error.set(Some(format!("这次操作没有记下：{e}"))),
            None => self.save_error.set(Some(
                "这次操作没有记下：学习记录已不可用，请刷新页面后再做一次。".to_string(),
            )),
        }
    }

    /// Replaces the record by a merged one (import) and saves. Refused while the record is
    /// read-only.
    pub fn replace(self, progress: Progress) -> Result<(), ReadOnly> {
        if let Some(why) = self.read_only.get_untracked() {
            return Err(why);
        }
        self.record.set(progress);
        self.save();
        match self.read_only.get_untracked() {
            Some(why) => Err(why),
            None => Ok(()),
        }
    }

    /// Lets the record be saved again after the learner deleted an unreadable stored record
    /// that could not be backed up (they downloaded it first).
    pub fn release(self) {
        if self.read_only.get_untracked() == Some(ReadOnly::NotBackedUp) {
            self.read_only.set(None);
            self.save_error.set(None);
            self.save();
        }
    }
}

pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}
