//! What the build may publish from `content/` besides the rendered bodies: image files of the
//! types the site needs, read from real files only.
//!
//! Everything the build copies becomes a same-origin file that the service worker precaches, so
//! the rule is an allow-list: PNG, JPEG, WebP and GIF whose first bytes say so. SVG is refused (it
//! can carry script and is a page of its own when opened), and so is every other type (`.html`,
//! `.js`, …). A symbolic link is never followed: `img/x.png -> /proc/self/environ` would copy the
//! build machine's environment into the site, and a link to a folder could copy the whole disk.
//! The checker reports each refused file; [`publishable`] keeps the build to the same rule even
//! when the checker is bypassed.

use std::fs;
use std::io::Read;
use std::path::Path;

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

/// Checks one entry under a kind's folder (not an item's `.md` at its top); messages name it by
/// its file name (the diagnostic gives its path). `Ok(true)` for a real image file the build publishes; `Ok(false)` for what
/// is left out silently (hidden files such as `.gitkeep`, folders, which are looked into).
pub fn publishable(path: &Path) -> Result<bool, AssetProblem> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = name.as_str();
    // Never follows a link: the link itself is what is looked at.
    let meta = fs::symlink_metadata(path).map_err(|e| AssetProblem::Unreadable {
        name: shown.to_string(),
        error: e.to_string(),
    })?;
    if meta.file_type().is_symlink() {
        return Err(AssetProblem::Symlink(shown.to_string()));
    }
    if name.starts_with('.') || meta.is_dir() {
        return Ok(false);
    }
    if !meta.is_file() {
        return Err(AssetProblem::NotAnImage(shown.to_string()));
    }
    let Some(kind) = image_type(&name) else {
        if name.to_ascii_lowercase().ends_with(".svg") {
            return Err(AssetProblem::Svg(shown.to_string()));
        }
        return Err(AssetProblem::NotAnImage(shown.to_string()));
    };
    let mut head = [0u8; 12];
    let read = fs::File::open(path)
        .and_then(|f| {
            let mut n = 0;
            let mut f = f.take(head.len() as u64);
            loop {
                match f.read(&mut head[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            Ok(n)
        })
        .map_err(|e| AssetProblem::Unreadable {
            name: shown.to_string(),
            error: e.to_string(),
        })?;
    if !starts_as(kind, &head[..read]) {
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

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("portal-assets-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn only_real_images_of_the_listed_types_are_published() {
        let dir = temp("types");
        fs::write(dir.join("a.png"), b"\x89PNG\r\n\x1a\n....").unwrap();
        fs::write(dir.join("b.JPG"), [0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
        fs::write(dir.join("c.gif"), b"GIF89a..").unwrap();
        fs::write(dir.join("d.webp"), b"RIFF\x10\0\0\0WEBPVP8 ").unwrap();
        fs::write(dir.join("e.png"), b"<html><script>alert(1)</script>").unwrap();
        fs::write(dir.join("f.svg"), b"<svg onload=alert(1)/>").unwrap();
        fs::write(dir.join("g.html"), b"<script>alert(1)</script>").unwrap();
        fs::write(dir.join(".gitkeep"), b"").unwrap();
        let ok = |n: &str| publishable(&dir.join(n));
        assert_eq!(ok("a.png"), Ok(true));
        assert_eq!(ok("b.JPG"), Ok(true));
        assert_eq!(ok("c.gif"), Ok(true));
        assert_eq!(ok("d.webp"), Ok(true));
        assert_eq!(
            ok("e.png"),
            Err(AssetProblem::WrongContent {
                name: "e.png".into(),
                kind: "PNG"
            })
        );
        assert_eq!(ok("f.svg"), Err(AssetProblem::Svg("f.svg".into())));
        assert_eq!(ok("g.html"), Err(AssetProblem::NotAnImage("g.html".into())));
        assert_eq!(ok(".gitkeep"), Ok(false));
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
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
