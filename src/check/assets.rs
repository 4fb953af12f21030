//! What the build may publish from `content/` besides the rendered bodies: image files of the
//! types the site needs, read from real files only.
//!
//! Everything the build copies becomes a same-origin file that the service worker precaches, so
//! the rule is an allow-list: PNG, JPEG, WebP and GIF whose first bytes say so. SVG is refused (it
//! can carry script and is a page of its own when opened), and so is every other type (`.html`,
//! `.js`, …). A symbolic link is never followed: `img/x.png -> /proc/self/environ` would copy the
//! build machine's environment into the site, and a link to a folder could copy the whole disk.
//! The checker reports each refused file; the build (`crate::site`) asks [`publishable`] of every
//! file it copies, so it keeps to the same rule even when the checker is bypassed.

use super::tree::EntryKind;

/// The image types a body may show, by file extension (lowercase), with the bytes such a file
/// starts with.
pub const IMAGE_TYPES: &[(&str, &str)] = &[
    ("png", "PNG"),
    ("jpg", "JPEG"),
    ("jpeg", "JPEG"),
    ("webp", "WebP"),
    ("gif", "GIF"),
];

/// The extensions of [`IMAGE_TYPES`], as editors read them in messages.
pub const IMAGE_LIST: &str = "png、jpg、jpeg、webp、gif";

/// The image type of a file name (`"PNG"` for `a.PNG`), if it is one the site publishes.
///
/// ```
/// use portal::check::assets::image_type;
/// assert_eq!(image_type("img/a.JPG"), Some("JPEG"));
/// assert_eq!(image_type("img/a.svg"), None);
/// assert_eq!(image_type("a.html"), None);
/// ```
pub fn image_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    IMAGE_TYPES.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Whether `head` (a file's first bytes) starts as a file of `kind` does.
fn starts_as(kind: &str, head: &[u8]) -> bool {
    match kind {
        "PNG" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "JPEG" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        "GIF" => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
        "WebP" => head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP",
        _ => false,
    }
}

/// Why a file under a kind's folder is not published.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssetProblem {
    #[error("“{0}”是符号链接，不会读取也不会发布：请放入文件本身")]
    Symlink(String),
    #[error("不能使用 SVG 图片“{0}”（SVG 可以携带脚本）：请导出为 PNG")]
    Svg(String),
    #[error("文件“{0}”不会发布：栏目文件夹中只能放 Markdown 文件和图片（{IMAGE_LIST}）")]
    NotAnImage(String),
    #[error("文件“{name}”的内容不是 {kind} 图片：请用图片软件重新导出")]
    WrongContent { name: String, kind: &'static str },
    #[error("无法读取文件“{name}”：{error}")]
    Unreadable { name: String, error: String },
}

/// Checks one entry under a kind's folder (not an item's `.md` at its top), named `name` and seen
/// as `kind` (links not followed); messages name it by its file name (the diagnostic gives its
/// path). `Ok(true)` for a real image file the build publishes; `Ok(false)` for what is left out
/// silently (hidden files such as `.gitkeep`, folders, which are looked into).
///
/// ```
/// use portal::check::assets::{publishable, AssetProblem};
/// use portal::check::tree::{EntryKind, FileContents};
/// let png = EntryKind::File(FileContents::whole(b"\x89PNG\r\n\x1a\n".to_vec()));
/// assert_eq!(publishable("a.png", &png), Ok(true));
/// assert_eq!(publishable("a.gif", &png), Err(AssetProblem::WrongContent { name: "a.gif".into(), kind: "GIF" }));
/// assert_eq!(publishable("a.png", &EntryKind::Symlink), Err(AssetProblem::Symlink("a.png".into())));
/// ```
pub fn publishable(name: &str, kind: &EntryKind) -> Result<bool, AssetProblem> {
    let shown = name;
    let contents = match kind {
        // Never follows a link: the link itself is what is looked at.
        EntryKind::Symlink => return Err(AssetProblem::Symlink(shown.to_string())),
        _ if name.starts_with('.') => return Ok(false),
        EntryKind::Folder => return Ok(false),
        EntryKind::Special => return Err(AssetProblem::NotAnImage(shown.to_string())),
        EntryKind::File(contents) => contents,
    };
    let Some(kind) = image_type(name) else {
        if name.to_ascii_lowercase().ends_with(".svg") {
            return Err(AssetProblem::Svg(shown.to_string()));
        }
        return Err(AssetProblem::NotAnImage(shown.to_string()));
    };
    let bytes = contents
        .bytes
        .as_ref()
        .map_err(|error| AssetProblem::Unreadable {
            name: shown.to_string(),
            error: error.clone(),
        })?;
    let head = &bytes[..bytes.len().min(super::tree::HEAD_BYTES)];
    if !starts_as(kind, head) {
        return Err(AssetProblem::WrongContent {
            name: shown.to_string(),
            kind,
        });
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tree::FileContents;

    fn file(bytes: &[u8]) -> EntryKind {
        EntryKind::File(FileContents::whole(bytes.to_vec()))
    }

    #[test]
    fn only_real_images_of_the_listed_types_are_published() {
        let ok = |n: &str, bytes: &[u8]| publishable(n, &file(bytes));
        assert_eq!(ok("a.png", b"\x89PNG\r\n\x1a\n...."), Ok(true));
        assert_eq!(ok("b.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]), Ok(true));
        assert_eq!(ok("c.gif", b"GIF89a.."), Ok(true));
        assert_eq!(ok("d.webp", b"RIFF\x10\0\0\0WEBPVP8 "), Ok(true));
        assert_eq!(
            ok("e.png", b"<html><script>alert(1)</script>"),
            Err(AssetProblem::WrongContent {
                name: "e.png".into(),
                kind: "PNG"
            })
        );
        assert_eq!(
            ok("f.svg", b"<svg onload=alert(1)/>"),
            Err(AssetProblem::Svg("f.svg".into()))
        );
        assert_eq!(
            ok("g.html", b"<script>alert(1)</script>"),
            Err(AssetProblem::NotAnImage("g.html".into()))
        );
        assert_eq!(ok(".gitkeep", b""), Ok(false));
        // Only the first bytes are looked at: a file too large to read whole still shows its type.
        let head = FileContents {
            size: 5 << 20,
            bytes: Ok(b"GIF87a".to_vec()),
        };
        assert_eq!(publishable("big.gif", &EntryKind::File(head)), Ok(true));
    }

    #[test]
    fn links_specials_and_unreadable_files_are_refused() {
        for n in ["x.png", "root", ".hidden.png"] {
            assert_eq!(
                publishable(n, &EntryKind::Symlink),
                Err(AssetProblem::Symlink(n.into()))
            );
        }
        assert_eq!(publishable("img", &EntryKind::Folder), Ok(false));
        assert_eq!(
            publishable("fifo.png", &EntryKind::Special),
            Err(AssetProblem::NotAnImage("fifo.png".into()))
        );
        let unreadable = EntryKind::File(FileContents {
            size: 3,
            bytes: Err("拒绝访问".into()),
        });
        assert_eq!(
            publishable("a.png", &unreadable),
            Err(AssetProblem::Unreadable {
                name: "a.png".into(),
                error: "拒绝访问".into()
            })
        );
    }
}
