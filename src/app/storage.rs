//! The only code that touches localStorage: the learning record, backups of stored documents
//! that cannot be read, and small preferences.
//!
//! Two promises about the learner's data hold here:
//! - a stored document is never removed or written over unless a copy of it is kept: an
//!   unreadable one is backed up first, and if the backup cannot be written (the storage quota is
//!   full) the original stays as it is and the learner is told; nothing is deleted to make room;
//! - a record written by a newer version of the platform is never written over: it is shown
//!   read-only (see [`ReadOnly`]).
//!
//! Backups are kept once per distinct content (see [`crate::progress::backup`]), listed for
//! download and deletion on the learning record page.

use crate::progress::backup::{self, parse_backup_key, plan_backup, BackupPlan};
use crate::progress::storage_format::{declared_schema, read_stored, ReadOnly, Stored};
use crate::progress::{Progress, SCHEMA};

/// Where the learning record is kept.
pub const RECORD_KEY: &str = "dangjian.record";
/// Prefix of the keys that keep unreadable stored records.
pub const BACKUP_PREFIX: &str = "dangjian.record.backup.";
/// Worker's accepted assignments: a JSON list of assignment codes.
pub const TASKS_KEY: &str = "dangjian.tasks";
/// Prefix of the keys of small display preferences (`dangjian.pref.theme`).
pub const PREFERENCE_PREFIX: &str = "dangjian.pref.";
/// Trainer's assignments and receipts (the roster JSON).
pub const ROSTER_KEY: &str = "dangjian.trainer";

/// The stored documents that are backed up when unreadable, and what the learner calls them.
pub const BACKED_UP: [(&str, &str); 3] = [
    (RECORD_KEY, "学习记录"),
    (TASKS_KEY, "任务列表"),
    (ROSTER_KEY, "回执表"),
];

/// Why something could not be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("浏览器不允许本站保存数据（可能处于无痕模式或已禁用存储），学习记录只在本页有效，请导出备份")]
    Unavailable,
    #[error("浏览器存储空间已满，最新的学习记录未能保存。请导出学习记录，再清理浏览器数据")]
    Quota,
    #[error("学习记录无法保存：{0}")]
    Other(String),
    #[error(transparent)]
    ReadOnly(#[from] ReadOnly),
    #[error("浏览器存储空间已满，无法另存备份；原始数据已原样保留，未做任何删除")]
    BackupQuota,
    #[error("“{0}”不是备份，不能在这里删除")]
    NotABackup(String),
}

fn local() -> Option<web_sys::Storage> {
    super::browser::local_storage()
}

use super::browser::{now, random_id, utc_offset_minutes};

/// The record as loaded, and what the learner must be told about it.
pub struct Loaded {
    pub progress: Progress,
    pub notice: Option<String>,
    /// Set when the record must not be written: it came from a newer version, or it could not
    /// be read nor backed up. The app then shows `progress` without saving anything.
    pub read_only: Option<ReadOnly>,
}

impl Loaded {
    fn fresh(notice: Option<String>) -> Loaded {
        Loaded {
            progress: Progress::with_learner(random_id(16)),
            notice,
            read_only: None,
        }
    }
}

/// Loads the record. Unreadable data is backed up and the learner told; the app starts with a
/// fresh record instead of failing. Nothing stored is removed unless its backup was written.
pub fn load() -> Loaded {
    if !super::browser::LIVE {
        // The static page shows the record of a device with nothing stored, and no complaint.
        return Loaded::fresh(None);
    }
    let Some(store) = local() else {
        return Loaded::fresh(Some(StorageError::Unavailable.to_string()));
    };
    let raw = match store.get_item(RECORD_KEY) {
        Ok(Some(raw)) => raw,
        _ => return Loaded::fresh(None),
    };
    match read_stored(&raw) {
        Stored::Clean(decoded) => {
            let mut progress = decoded.progress;
            progress.adopt_learner(random_id(16));
            let mut notice = None;
            if decoded.schema < SCHEMA {
                // Written back in the current schema; if that fails the old one stays readable.
                notice = save(&progress)
                    .err()
                    .map(|e| format!("学习记录已升级为新格式，但未能保存：{e}"));
            }
            Loaded {
                progress,
                notice,
                read_only: None,
            }
        }
        Stored::Partial(decoded) => {
            let left_out = decoded.skipped + decoded.conflicts;
            let mut progress = decoded.progress;
            progress.adopt_learner(random_id(16));
            match write_backup(RECORD_KEY, &raw) {
                Ok(_) => {
                    let mut notice = format!(
                        "本机学习记录中有 {left_out} 条记录无法读取，已跳过；原始数据已另存为备份，可在“学习档案”页下载。"
                    );
                    if let Err(e) = save(&progress) {
                        notice.push_str(&e.to_string());
                    }
                    Loaded {
                        progress,
                        notice: Some(notice),
                        read_only: None,
                    }
                }
                // Writing the cleaned record would lose the records left out: keep the original.
                Err(_) => Loaded {
                    progress,
                    notice: None,
                    read_only: Some(ReadOnly::NotBackedUp),
                },
            }
        }
        Stored::Newer { found, shown } => Loaded {
            progress: shown,
            notice: None,
            read_only: Some(ReadOnly::NewerVersion { found }),
        },
        Stored::Unreadable(e) => match write_backup(RECORD_KEY, &raw) {
            Ok(_) => {
                // The backup holds it now; a failure to remove only means it is written over at
                // the first save.
                let _ = store.remove_item(RECORD_KEY);
                Loaded::fresh(Some(format!(
                    "本机保存的学习记录无法读取（{e}）。原始数据已另存为备份，可在“学习档案”页下载；现在从空白记录开始。"
                )))
            }
            Err(_) => Loaded {
                read_only: Some(ReadOnly::NotBackedUp),
                ..Loaded::fresh(None)
            },
        },
    }
}

/// Keeps `raw`, the unreadable content stored under `original`, as a backup, unless a backup of
/// the same content is already kept. Returns the backup's key.
///
/// Only writes a new key: nothing is removed to make room, so a full quota leaves every stored
/// document as it was and returns [`StorageError::BackupQuota`].
pub fn write_backup(original: &str, raw: &str) -> Result<String, StorageError> {
    let store = local().ok_or(StorageError::Unavailable)?;
    let existing = stored_backups(&store, &[original]);
    match plan_backup(original, raw, now(), &existing) {
        BackupPlan::AlreadyKept(key) => Ok(key),
        BackupPlan::Write(key) => match store.set_item(&key, raw).map_err(set_error) {
            Ok(()) => Ok(key),
            Err(StorageError::Quota) => Err(StorageError::BackupQuota),
            Err(e) => Err(e),
        },
    }
}

/// Keeps an unreadable stored document under a backup key (once per distinct content); returns
/// that key, or `None` if it could not be written (see [`write_backup`] for why).
pub fn keep_backup(key: &str, raw: &str) -> Option<String> {
    write_backup(key, raw).ok()
}

/// Saves the record, unless the stored one was written by a newer version.
pub fn save(progress: &Progress) -> Result<(), StorageError> {
    let store = local().ok_or(StorageError::Unavailable)?;
    if let Ok(Some(stored)) = store.get_item(RECORD_KEY) {
        match declared_schema(&stored) {
            Some(found) if found > u64::from(SCHEMA) => {
                return Err(ReadOnly::NewerVersion { found }.into())
            }
            _ => {}
        }
    }
    let json = progress
        .to_json()
        .map_err(|e| StorageError::Other(e.to_string()))?;
    store.set_item(RECORD_KEY, &json).map_err(set_error)
}

/// What a failed `setItem` means: a full store is reported as such, not swallowed.
fn set_error(e: wasm_bindgen::JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        StorageError::Quota
    } else {
        StorageError::Other(name)
    }
}

/// The backups of the documents `originals`, as (key, content), sorted by key.
fn stored_backups(store: &web_sys::Storage, originals: &[&str]) -> Vec<(String, String)> {
    let n = store.length().unwrap_or(0);
    let mut out: Vec<(String, String)> = (0..n)
        .filter_map(|i| store.key(i).ok().flatten())
        .filter(|k| parse_backup_key(k, originals).is_some())
        .filter_map(|k| store.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect();
    out.sort();
    out
}

/// Every backup (of the record, the task list and the roster): (key, content).
pub fn backups() -> Vec<(String, String)> {
    let originals = BACKED_UP.map(|(key, _)| key);
    local()
        .map(|store| stored_backups(&store, &originals))
        .unwrap_or_default()
}

/// A backup as listed on the learning record page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub key: String,
    /// What it is a copy of: 学习记录, 任务列表, 回执表.
    pub label: &'static str,
    pub made_at: Option<u64>,
    /// The name it downloads as.
    pub file_name: String,
    pub text: String,
}

/// Every backup with what the page shows about it, newest first.
pub fn backup_list() -> Vec<Backup> {
    let originals = BACKED_UP.map(|(key, _)| key);
    let offset = utc_offset_minutes();
    let mut out: Vec<Backup> = backups()
        .into_iter()
        .filter_map(|(key, text)| {
            let name = parse_backup_key(&key, &originals)?;
            let label = BACKED_UP
                .iter()
                .find(|(k, _)| *k == name.original)
                .map_or("数据", |(_, l)| *l);
            Some(Backup {
                file_name: backup::download_name(label, &name, &text, offset),
                made_at: name.made_at,
                label,
                key,
                text,
            })
        })
        .collect();
    out.sort_by(|a, b| b.made_at.cmp(&a.made_at).then(a.key.cmp(&b.key)));
    out
}

/// Deletes one backup. Only keys that are backups can be deleted this way.
pub fn delete_backup(key: &str) -> Result<(), StorageError> {
    let originals = BACKED_UP.map(|(key, _)| key);
    if parse_backup_key(key, &originals).is_none() {
        return Err(StorageError::NotABackup(key.to_string()));
    }
    let store = local().ok_or(StorageError::Unavailable)?;
    store
        .remove_item(key)
        .map_err(|_| StorageError::Other("删除失败".into()))
}

/// Deletes the stored record, for the learner who downloaded an unreadable one that could not be
/// backed up ([`ReadOnly::NotBackedUp`]) and wants to go on with a fresh one.
pub fn delete_record() -> Result<(), StorageError> {
    let store = local().ok_or(StorageError::Unavailable)?;
    store
        .remove_item(RECORD_KEY)
        .map_err(|_| StorageError::Other("删除失败".into()))
}

/// Reads a small preference.
pub fn preference(key: &str) -> Option<String> {
    local()?
        .get_item(&format!("{PREFERENCE_PREFIX}{key}"))
        .ok()
        .flatten()
}

/// Writes a small preference (failures only lose the preference).
pub fn set_preference(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(&format!("{PREFERENCE_PREFIX}{key}"), value);
    }
}

/// Reads a stored document.
pub fn load_text(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Writes a stored document.
pub fn save_text(key: &str, value: &str) -> Result<(), StorageError> {
    let store = local().ok_or(StorageError::Unavailable)?;
    store.set_item(key, value).map_err(set_error)
}
