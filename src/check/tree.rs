//! The content folder as the checker reads it: a list of entries with their contents, handed
//! over by the caller. The checker does no file I/O of its own, so it can run wherever the files
//! are: the content tool walks the disk (`crate::site::load`); an editor in the browser could hold
//! them in memory.

/// How many first bytes of a file tell its image type (WebP's `RIFF....WEBP` is the longest).
pub const HEAD_BYTES: usize = 12;

/// A content folder and everything in it.
#[derive(Clone, Debug, Default)]
pub struct ContentTree {
    /// The folder as the editor named it (`content`): diagnostics name files under it
    /// (`content/cases/x.md`).
    pub root: String,
    /// Whether the folder exists; when it does not, the checker says so.
    pub is_folder: bool,
    /// Every entry under the folder, in any order, each folder's own entry included. Symbolic
    /// links are listed as links and never followed; a hidden folder (`.git`) is listed but what is
    /// inside it may be left out (the checker ignores it).
    pub entries: Vec<Entry>,
}

/// One file, folder or link in the content folder.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The path inside the content folder, with `/` between names: `cases/img/a.png`.
    pub path: String,
    pub kind: EntryKind,
}

/// What an entry is, as seen without following links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Folder,
    /// A symbolic link (to anything): never read, never published.
    Symlink,
    /// Neither a file, a folder nor a link: a FIFO, a socket, a device.
    Special,
    File(FileContents),
}

/// A regular file's size and what was read of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileContents {
    pub size: u64,
    /// The whole file when it has at most [`super::MAX_FILE_BYTES`] bytes, else at least its first
    /// [`HEAD_BYTES`]; or why it could not be read.
    pub bytes: Result<Vec<u8>, String>,
}

impl FileContents {
    /// A file read whole.
    pub fn whole(bytes: impl Into<Vec<u8>>) -> FileContents {
        let bytes = bytes.into();
        FileContents {
            size: bytes.len() as u64,
            bytes: Ok(bytes),
        }
    }
}

impl Entry {
    /// A regular file read whole: `Entry::file("cases/a.md", "---\n…")`.
    pub fn file(path: &str, bytes: impl Into<Vec<u8>>) -> Entry {
        Entry {
            path: path.to_string(),
            kind: EntryKind::File(FileContents::whole(bytes)),
        }
    }

    /// A folder: `Entry::folder("cases")`.
    pub fn folder(path: &str) -> Entry {
        Entry {
            path: path.to_string(),
            kind: EntryKind::Folder,
        }
    }

    /// The last name of the path: `a.png` for `cases/img/a.png`.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or_default()
    }

    /// The path's names, from the content folder down.
    pub fn depth(&self) -> usize {
        self.path.split('/').count()
    }
}

impl ContentTree {
    /// A tree of the given entries under a folder named `root`.
    pub fn new(root: &str, entries: Vec<Entry>) -> ContentTree {
        ContentTree {
            root: root.to_string(),
            is_folder: true,
            entries,
        }
    }

    /// The entry at `path`, if there is one.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// A path inside the folder as diagnostics show it, the way the editor would type it:
    /// `content/cases/x.md`.
    ///
    /// ```
    /// use portal::check::tree::ContentTree;
    /// assert_eq!(ContentTree::new("content", vec![]).shown("cases/x.md"), "content/cases/x.md");
    /// assert_eq!(ContentTree::new("content/", vec![]).shown("tags.yaml"), "content/tags.yaml");
    /// assert_eq!(ContentTree::new("", vec![]).shown("tags.yaml"), "tags.yaml");
    /// ```
    pub fn shown(&self, path: &str) -> String {
        let joined = if self.root.is_empty() {
            path.to_string()
        } else if self.root.ends_with('/') {
            format!("{}{path}", self.root)
        } else {
            format!("{}/{path}", self.root)
        };
        joined.replace('\\', "/")
    }
}

/// The extension of a file name as `std::path::Path::extension` reads it (`None` for `.md`).
pub fn extension(name: &str) -> Option<&str> {
    match name.rsplit_once('.') {
        Some((before, after)) if !before.is_empty() => Some(after),
        _ => None,
    }
}

/// The name without its extension, as `std::path::Path::file_stem` reads it.
pub fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((before, _)) if !before.is_empty() => before,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn extension_and_stem_read_names_as_std_path_does() {
        for name in [
            "a.md", ".md", "..md", "a.b.md", "a", "a.", ".gitkeep", "x.PNG",
        ] {
            let path = Path::new(name);
            assert_eq!(
                extension(name),
                path.extension().and_then(|e| e.to_str()),
                "{name}"
            );
            assert_eq!(
                Some(stem(name)),
                path.file_stem().and_then(|e| e.to_str()),
                "{name}"
            );
        }
    }

    #[test]
    fn entries_know_their_name_and_depth() {
        let e = Entry::file("cases/img/a.png", b"x".to_vec());
        assert_eq!((e.name(), e.depth()), ("a.png", 3));
        assert_eq!(Entry::folder("cases").name(), "cases");
    }
}
