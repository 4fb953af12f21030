//! Reading a content folder from disk for the checker ([`crate::check::check`], which does no
//! file I/O of its own): the walk, what each entry is (never following a link) and the files'
//! contents.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::check::assets::{self, AssetProblem};
use crate::check::tree::{ContentTree, Entry, EntryKind, FileContents, HEAD_BYTES};
use crate::check::{check, Checked, MAX_FILE_BYTES};

/// Reads and checks the content folder `root`.
pub fn check_folder(root: &Path) -> Checked {
    check(&content_tree(root))
}

/// Every entry under `root`: each folder's entries in name order, a folder before what is in it.
/// Links are listed, not followed; hidden folders (`.git`) are listed, not entered. A file is
/// read whole when it has at most [`MAX_FILE_BYTES`] bytes, else only its first [`HEAD_BYTES`]
/// (enough to tell an image's type; the checker refuses such an item unread).
pub fn content_tree(root: &Path) -> ContentTree {
    fn walk(dir: &Path, prefix: &str, entries: &mut Vec<Entry>) {
        let Ok(read) = fs::read_dir(dir) else {
            return;
        };
        let mut found: Vec<_> = read.flatten().map(|e| e.path()).collect();
        found.sort();
        for path in found {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Ok(kind) = entry_kind(&path) else {
                continue;
            };
            let inside = format!("{prefix}{name}");
            let enter = kind == EntryKind::Folder && !name.starts_with('.');
            entries.push(Entry {
                path: inside.clone(),
                kind,
            });
            if enter {
                walk(&path, &format!("{inside}/"), entries);
            }
        }
    }
    let mut entries = Vec::new();
    walk(root, "", &mut entries);
    ContentTree {
        root: root.to_string_lossy().into_owned(),
        is_folder: root.is_dir(),
        entries,
    }
}

/// What the entry at `path` is, looked at without following a link, with a file's contents.
pub fn entry_kind(path: &Path) -> std::io::Result<EntryKind> {
    let meta = fs::symlink_metadata(path)?;
    let file_type = meta.file_type();
    Ok(if file_type.is_symlink() {
        EntryKind::Symlink
    } else if file_type.is_dir() {
        EntryKind::Folder
    } else if file_type.is_file() {
        EntryKind::File(read_file(path, meta.len()))
    } else {
        EntryKind::Special
    })
}

/// A regular file of `size` bytes: whole up to [`MAX_FILE_BYTES`], else its first bytes.
fn read_file(path: &Path, size: u64) -> FileContents {
    let bytes = if size <= MAX_FILE_BYTES {
        fs::read(path)
    } else {
        fs::File::open(path).and_then(|f| {
            let mut head = Vec::with_capacity(HEAD_BYTES);
            f.take(HEAD_BYTES as u64).read_to_end(&mut head)?;
            Ok(head)
        })
    };
    FileContents {
        size,
        bytes: bytes.map_err(|e| e.to_string()),
    }
}

/// Whether the build may publish the file at `path` under a kind's folder
/// ([`assets::publishable`], with the file looked at on disk).
pub fn publishable(path: &Path) -> Result<bool, AssetProblem> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = entry_kind(path).map_err(|e| AssetProblem::Unreadable {
        name: name.clone(),
        error: e.to_string(),
    })?;
    assets::publishable(&name, &kind)
}

/// A folder that is not a symbolic link to one.
pub fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("portal-load-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_tree_lists_every_entry_in_order_and_reads_files() {
        let dir = temp("tree");
        fs::create_dir_all(dir.join("cases/img")).unwrap();
        fs::create_dir_all(dir.join(".git/objects")).unwrap();
        fs::write(dir.join("tags.yaml"), "- id: a\n").unwrap();
        fs::write(dir.join("cases/b.md"), "---\n").unwrap();
        fs::write(dir.join("cases/img/a.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        let big = vec![b'G'; MAX_FILE_BYTES as usize + 1];
        fs::write(dir.join("cases/img/big.gif"), &big).unwrap();
        let tree = content_tree(&dir);
        let paths: Vec<&str> = tree.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                ".git",
                "cases",
                "cases/b.md",
                "cases/img",
                "cases/img/a.png",
                "cases/img/big.gif",
                "tags.yaml"
            ]
        );
        assert!(tree.is_folder);
        assert_eq!(
            tree.get("tags.yaml").unwrap().kind,
            EntryKind::File(FileContents::whole(b"- id: a\n".to_vec()))
        );
        let EntryKind::File(head) = &tree.get("cases/img/big.gif").unwrap().kind else {
            panic!("a file");
        };
        assert_eq!(head.size, MAX_FILE_BYTES + 1);
        assert_eq!(head.bytes.as_deref(), Ok(&big[..HEAD_BYTES]));
        assert!(!content_tree(&dir.join("missing")).is_folder);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_real_images_on_disk_are_published() {
        let dir = temp("types");
        fs::write(dir.join("a.png"), b"\x89PNG\r\n\x1a\n....").unwrap();
        fs::write(dir.join("e.png"), b"<html><script>alert(1)</script>").unwrap();
        fs::write(dir.join(".gitkeep"), b"").unwrap();
        assert_eq!(publishable(&dir.join("a.png")), Ok(true));
        assert!(matches!(
            publishable(&dir.join("e.png")),
            Err(AssetProblem::WrongContent { .. })
        ));
        assert_eq!(publishable(&dir.join(".gitkeep")), Ok(false));
        assert!(matches!(
            publishable(&dir.join("missing.png")),
            Err(AssetProblem::Unreadable { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_refused_whatever_they_point_to() {
        let dir = temp("links");
        fs::write(dir.join("real.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        std::os::unix::fs::symlink(dir.join("real.png"), dir.join("x.png")).unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", dir.join("env.png")).unwrap();
        std::os::unix::fs::symlink("/", dir.join("root")).unwrap();
        for n in ["x.png", "env.png", "root"] {
            assert_eq!(
                publishable(&dir.join(n)),
                Err(AssetProblem::Symlink(n.into()))
            );
            assert_eq!(entry_kind(&dir.join(n)).unwrap(), EntryKind::Symlink);
        }
        // A link is listed, never entered.
        let tree = content_tree(&dir);
        assert!(tree.entries.iter().all(|e| !e.path.starts_with("root/")));
        fs::remove_dir_all(&dir).unwrap();
    }
}
