//! Backups of stored documents that could not be read (the learning record, the task list, the
//! roster): how they are named, when a new one is needed, and what a download is called.
//!
//! A backup is kept once per distinct content. Its key is `<original key>.backup.<hash>.<time>`
//! (the hash of the content, then when it was made), and before writing one the shell asks
//! [`plan_backup`] whether a backup with the same content is already there: a document that stays
//! unreadable is not copied again on every page load, which would fill the storage quota with
//! copies and in the end push out the learner's real data.
//!
//! Keys written by earlier versions (`<original key>.backup.<time>`) are still recognised, listed
//! and compared by content.

use super::datetime::LocalDate;

/// What separates the original key from the rest of a backup's key.
pub const BACKUP_INFIX: &str = ".backup.";

/// A 64-bit FNV-1a hash of the content: stable across builds and platforms (unlike `std`'s
/// hasher), tiny in WASM, and enough to name backups; equal hashes are compared by content.
///
/// ```
/// use portal::progress::backup::content_hash;
/// assert_eq!(content_hash(""), 0xcbf2_9ce4_8422_2325);
/// assert_ne!(content_hash("a"), content_hash("b"));
/// ```
pub fn content_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The key for a new backup of `raw`, which was stored under `original`, made at `now`.
///
/// ```
/// use portal::progress::backup::backup_key;
/// assert_eq!(backup_key("dangjian.tasks", "", 1_764_000_000_000), "dangjian.tasks.backup.cbf29ce484222325.1764000000000");
/// ```
pub fn backup_key(original: &str, raw: &str, now: u64) -> String {
    format!("{original}{BACKUP_INFIX}{:016x}.{now}", content_hash(raw))
}

/// A backup's key, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupName<'a> {
    /// The key of the document it copies.
    pub original: &'a str,
    /// The hash of its content, if the key carries one (earlier versions' keys do not).
    pub hash: Option<u64>,
    /// When it was made, in milliseconds since the epoch.
    pub made_at: Option<u64>,
}

/// Reads a key as a backup's key of one of `originals`; `None` for any other key (the
/// originals themselves, preferences, keys of other sites' code).
///
/// ```
/// use portal::progress::backup::parse_backup_key;
/// let b = parse_backup_key("dangjian.record.backup.00000000000000ff.1764000000000", &["dangjian.record"]).unwrap();
/// assert_eq!((b.original, b.hash, b.made_at), ("dangjian.record", Some(255), Some(1_764_000_000_000)));
/// assert!(parse_backup_key("dangjian.record", &["dangjian.record"]).is_none());
/// ```
pub fn parse_backup_key<'a>(key: &str, originals: &[&'a str]) -> Option<BackupName<'a>> {
    originals.iter().find_map(|&original| {
        let rest = key.strip_prefix(original)?.strip_prefix(BACKUP_INFIX)?;
        let number = |s: &str, radix| {
            (!s.is_empty() && s.len() <= 20)
                .then(|| u64::from_str_radix(s, radix).ok())
                .flatten()
        };
        match rest.split_once('.') {
            Some((hash, time)) if hash.len() == 16 => Some(BackupName {
                original,
                hash: Some(number(hash, 16)?),
                made_at: Some(number(time, 10)?),
            }),
            Some(_) => None,
            // An earlier version's key: the time only.
            None => Some(BackupName {
                original,
                hash: None,
                made_at: Some(number(rest, 10)?),
            }),
        }
    })
}

/// Whether a backup is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupPlan {
    /// A backup with this very content is already kept under this key: write nothing.
    AlreadyKept(String),
    /// Write the content under this new key.
    Write(String),
}

/// Decides whether `raw`, stored under `original`, needs a new backup, given the backups that
/// are already there as (key, content). Content is compared in full, so neither a hash
/// collision nor an earlier version's key without a hash can make a backup be skipped wrongly.
///
/// ```
/// use portal::progress::backup::{plan_backup, BackupPlan};
/// let first = plan_backup("k", "bad", 1_764_000_000_000, &[]);
/// let BackupPlan::Write(key) = first else { panic!() };
/// let again = plan_backup("k", "bad", 1_764_000_100_000, &[(key.clone(), "bad".into())]);
/// assert_eq!(again, BackupPlan::AlreadyKept(key));
/// ```
pub fn plan_backup(
    original: &str,
    raw: &str,
    now: u64,
    existing: &[(String, String)],
) -> BackupPlan {
    let same = existing
        .iter()
        .find(|(key, content)| content == raw && parse_backup_key(key, &[original]).is_some());
    match same {
        Some((key, _)) => BackupPlan::AlreadyKept(key.clone()),
        None => BackupPlan::Write(backup_key(original, raw, now)),
    }
}

/// The file name a backup downloads as: what it is a copy of, the day it was made (in the
/// learner's time zone) and the start of its hash, `学习记录备份-2026-11-28-1a2b3c4d.json`.
///
/// ```
/// use portal::progress::backup::{download_name, parse_backup_key};
/// let name = parse_backup_key("dangjian.record.backup.1a2b3c4d5e6f7081.1795809600000", &["dangjian.record"]).unwrap();
/// assert_eq!(download_name("学习记录", &name, "{}", 480), "学习记录备份-2026-11-28-1a2b3c4d.json");
/// ```
pub fn download_name(
    label: &str,
    name: &BackupName<'_>,
    raw: &str,
    utc_offset_minutes: i32,
) -> String {
    let day = name
        .made_at
        .map(|t| format!("-{}", LocalDate::from_millis(t, utc_offset_minutes)))
        .unwrap_or_default();
    let hash = name.hash.unwrap_or_else(|| content_hash(raw));
    format!("{label}备份{day}-{:08x}.json", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_795_809_600_000;

    #[test]
    fn the_same_content_is_kept_once_whatever_the_time() {
        let existing: Vec<(String, String)> = Vec::new();
        let BackupPlan::Write(first) = plan_backup("dangjian.tasks", "[1,", T, &existing) else {
            panic!("a first backup is written");
        };
        let existing = vec![(first.clone(), "[1,".to_string())];
        for later in [T + 1, T + 86_400_000, T + 1_000_000_000] {
            assert_eq!(
                plan_backup("dangjian.tasks", "[1,", later, &existing),
                BackupPlan::AlreadyKept(first.clone())
            );
        }
        // Other content, or the same content of another document, is a new backup.
        assert!(matches!(
            plan_backup("dangjian.tasks", "[2,", T, &existing),
            BackupPlan::Write(_)
        ));
        assert!(matches!(
            plan_backup("dangjian.trainer", "[1,", T, &existing),
            BackupPlan::Write(_)
        ));
    }

    #[test]
    fn backups_of_earlier_versions_count_as_kept() {
        let existing = vec![(
            "dangjian.record.backup.1764000000000".to_string(),
            "{oops".to_string(),
        )];
        assert_eq!(
            plan_backup("dangjian.record", "{oops", T, &existing),
            BackupPlan::AlreadyKept("dangjian.record.backup.1764000000000".into())
        );
    }

    #[test]
    fn keys_round_trip_and_other_keys_are_not_backups() {
        let originals = ["dangjian.record", "dangjian.tasks", "dangjian.trainer"];
        let key = backup_key("dangjian.trainer", "{x", T);
        let name = parse_backup_key(&key, &originals).unwrap();
        assert_eq!(name.original, "dangjian.trainer");
        assert_eq!(name.hash, Some(content_hash("{x")));
        assert_eq!(name.made_at, Some(T));
        for other in [
            "dangjian.record",
            "dangjian.pref.theme",
            "dangjian.record.backup.",
            "dangjian.record.backup.abc",
            "dangjian.record.backup.zz.1",
            "dangjian.record.backup.00000000000000zz.1",
            "dangjian.record.backup.0000000000000000.x",
            "dangjian.recordx.backup.1",
            "other.backup.1",
        ] {
            assert_eq!(parse_backup_key(other, &originals), None, "{other}");
        }
    }

    #[test]
    fn hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(content_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(content_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn download_names_without_a_hash_in_the_key_use_the_content() {
        let old =
            parse_backup_key("dangjian.record.backup.1795809600000", &["dangjian.record"]).unwrap();
        let name = download_name("学习记录", &old, "{oops", 480);
        assert!(name.starts_with("学习记录备份-2026-11-28-"), "{name}");
        assert_eq!(
            name,
            format!(
                "学习记录备份-2026-11-28-{:08x}.json",
                content_hash("{oops") >> 32
            )
        );
    }
}
