//! The only code that touches localStorage: the learning record, its backups when stored data
//! cannot be read, and small preferences.

use crate::progress::{storage_format::SCHEMA, Progress};

/// Where the learning record is kept.
pub const RECORD_KEY: &str = "dangjian.record";
/// Prefix of the keys that keep unreadable stored records.
pub const BACKUP_PREFIX: &str = "dangjian.record.backup.";

/// Why the record could not be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("浏览器不允许本站保存数据（可能处于无痕模式或已禁用存储），学习记录只在本页有效，请导出备份")]
    Unavailable,
    #[error("浏览器存储空间已满，最新的学习记录未能保存。请导出学习记录，再清理浏览器数据")]
    Quota,
    #[error("学习记录无法保存：{0}")]
    Other(String),
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A random hex id, for the anonymous learner id and the per-tab writer id.
pub fn random_id(len: usize) -> String {
    (0..len)
        .map(|_| {
            let n = (js_sys::Math::random() * 16.0) as u32;
            char::from_digit(n.min(15), 16).unwrap_or('0')
        })
        .collect()
}

/// Milliseconds since the epoch, now.
pub fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Minutes to add to UTC for local time (China: +480).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// The record as loaded, and what the learner must be told about it.
pub struct Loaded {
    pub progress: Progress,
    pub notice: Option<String>,
}

/// Loads the record. Unreadable data is kept under a backup key and the learner is told; the app
/// starts with a fresh record instead of failing.
pub fn load() -> Loaded {
    let Some(store) = local() else {
        return Loaded {
            progress: Progress::with_learner(random_id(16)),
            notice: Some(StorageError::Unavailable.to_string()),
        };
    };
    let raw = match store.get_item(RECORD_KEY) {
        Ok(Some(raw)) => raw,
        _ => {
            return Loaded {
                progress: Progress::with_learner(random_id(16)),
                notice: None,
            }
        }
    };
    match Progress::from_json(&raw) {
        Ok(decoded) => {
            let clean = decoded.is_clean();
            let mut progress = decoded.progress;
            progress.adopt_learner(random_id(16));
            let mut notice = None;
            if !clean {
                let key = backup(&store, &raw);
                notice = Some(format!(
                    "本机学习记录中有 {} 条记录无法读取，已跳过；原始数据已另存为备份（{key}），可在“学习档案”页下载。",
                    decoded.skipped + decoded.conflicts
                ));
            }
            if decoded.schema < SCHEMA || !clean {
                let _ = save(&progress);
            }
            Loaded { progress, notice }
        }
        Err(e) => {
            let key = backup(&store, &raw);
            let _ = store.remove_item(RECORD_KEY);
            Loaded {
                progress: Progress::with_learner(random_id(16)),
                notice: Some(format!(
                    "本机保存的学习记录无法读取（{e}）。原始数据已另存为备份（{key}），可在“学习档案”页下载；现在从空白记录开始。"
                )),
            }
        }
    }
}

fn backup(store: &web_sys::Storage, raw: &str) -> String {
    let key = format!("{BACKUP_PREFIX}{}", now());
    let _ = store.set_item(&key, raw);
    key
}

/// Saves the record.
pub fn save(progress: &Progress) -> Result<(), StorageError> {
    let store = local().ok_or(StorageError::Unavailable)?;
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

/// The backups of unreadable records: (key, raw text).
pub fn backups() -> Vec<(String, String)> {
    let Some(store) = local() else {
        return Vec::new();
    };
    let n = store.length().unwrap_or(0);
    let mut out: Vec<(String, String)> = (0..n)
        .filter_map(|i| store.key(i).ok().flatten())
        .filter(|k| k.starts_with(BACKUP_PREFIX))
        .filter_map(|k| store.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect();
    out.sort();
    out
}

/// Reads a small preference.
pub fn preference(key: &str) -> Option<String> {
    local()?
        .get_item(&format!("dangjian.pref.{key}"))
        .ok()
        .flatten()
}

/// Writes a small preference (failures only lose the preference).
pub fn set_preference(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(&format!("dangjian.pref.{key}"), value);
    }
}

/// Worker's accepted assignments: a JSON list of assignment codes.
pub const TASKS_KEY: &str = "dangjian.tasks";
/// Trainer's assignments and receipts (the roster JSON).
pub const ROSTER_KEY: &str = "dangjian.trainer";

/// Reads a stored document.
pub fn load_text(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Keeps an unreadable stored document under a backup key; returns that key.
pub fn keep_backup(key: &str, raw: &str) -> Option<String> {
    let store = local()?;
    let backup_key = format!("{key}.backup.{}", now());
    store.set_item(&backup_key, raw).ok()?;
    Some(backup_key)
}

/// Writes a stored document.
pub fn save_text(key: &str, value: &str) -> Result<(), StorageError> {
    let store = local().ok_or(StorageError::Unavailable)?;
    store.set_item(key, value).map_err(set_error)
}
