//! Offline support: the service worker `sw.js` that the content tool writes into the build, last,
//! once every other file is in place.
//!
//! The worker precaches every file of the build, listed by walking the output directory (so new
//! files such as a sharded search index are picked up without a change here), under a version
//! derived from all the files' contents: any change to the build changes `sw.js`'s bytes, which is
//! what makes browsers install the new worker and the page offer "新版本可用，点击刷新". When the
//! build outgrows [`PRECACHE_BUDGET_BYTES`], only the shell and the files named as essential are
//! precached; pages and bodies are then kept as they are visited.
//!
//! The worker's logic is `sw.js` next to this file; the browser side (registration and the update
//! banner) is `public/sw-register.js`.

use std::fs;
use std::io;
use std::path::Path;

/// The service worker's file name at the root of the build (its scope is the whole site).
pub const SW_FILE: &str = "sw.js";

/// Above this many bytes in total the worker no longer precaches everything (today's build is
/// about 2.2 MB). Phones in the WeChat browser have room for this, and a first visit on a slow
/// link should not download much more than the pages it shows.
pub const PRECACHE_BUDGET_BYTES: u64 = 8 * 1024 * 1024;

/// The worker's logic; the generated header defines `VERSION`, `COMPLETE`, `PRECACHE` and
/// `REQUIRED` for it.
const LOGIC: &str = include_str!("sw.js");

/// One file of the build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildFile {
    /// Path relative to the build root, with `/` separators: `content/manifest.json`.
    pub path: String,
    pub bytes: u64,
}

/// What the worker precaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Precache {
    /// Site-absolute URLs, percent-encoded as a browser would request them: `/content/manifest.json`.
    pub urls: Vec<String>,
    /// Total size of the precached files.
    pub bytes: u64,
    /// Whether every file of the build is precached (within the budget).
    pub complete: bool,
    /// The URLs the worker cannot do without: the shell and the essential files, what it
    /// precaches over the budget. When one of them cannot be fetched the new worker is not
    /// installed (the page retries and says so); any other file that fails is left to be
    /// fetched later, so one missing file never holds back a new version.
    pub required: Vec<String>,
}

/// What [`write_service_worker`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceWorker {
    pub version: String,
    pub precache: Precache,
    /// Size of `sw.js` itself.
    pub bytes: u64,
}

/// Lists every file under `out`, sorted by path, leaving out what the worker never fetches: itself,
/// `404.html` (a host's answer for unknown paths; offline, the shell renders the not-found page)
/// and hidden files.
pub fn build_files(out: &Path) -> io::Result<Vec<BuildFile>> {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<BuildFile>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = format!("{prefix}{name}");
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&entry.path(), &format!("{path}/"), files)?;
            } else if path != SW_FILE && path != "404.html" {
                files.push(BuildFile {
                    path,
                    bytes: entry.metadata()?.len(),
                });
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(out, "", &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Whether a file is content rather than shell: content bodies, assets and the search files
/// under `content/`, and every route's own `index.html` (the root one is the shell).
fn is_content(path: &str) -> bool {
    path.starts_with("content/") || path.ends_with("/index.html")
}

/// Chooses what to precache: everything when it fits in `budget`; otherwise the shell (the root
/// `index.html`, the app's JS, WASM and CSS, the web app manifest, icons and any other non-content
/// file) and the `essential` paths (the content manifest and the search index's root file).
///
/// ```
/// use portal::site::offline::{plan, BuildFile};
/// let files = [
///     BuildFile { path: "index.html".into(), bytes: 500 },
///     BuildFile { path: "content/cases/a.json".into(), bytes: 2_000 },
/// ];
/// let all = plan(&files, &[], 10_000);
/// assert_eq!(all.urls, ["/index.html", "/content/cases/a.json"]);
/// let shell = plan(&files, &[], 1_000);
/// assert_eq!((shell.urls.len(), shell.complete), (1, false));
/// ```
pub fn plan(files: &[BuildFile], essential: &[&str], budget: u64) -> Precache {
    let total: u64 = files.iter().map(|f| f.bytes).sum();
    let complete = total <= budget;
    let is_required = |f: &&BuildFile| !is_content(&f.path) || essential.contains(&f.path.as_str());
    let chosen: Vec<&BuildFile> = files
        .iter()
        .filter(|f| complete || is_required(f))
        .collect();
    Precache {
        urls: chosen.iter().map(|f| url_of(&f.path)).collect(),
        bytes: chosen.iter().map(|f| f.bytes).sum(),
        complete,
        required: files
            .iter()
            .filter(is_required)
            .map(|f| url_of(&f.path))
            .collect(),
    }
}

/// The URL a browser requests for a file path: `/` + the path, with the bytes a URL parser
/// percent-encodes in a path encoded the same way, so the worker's cache keys match its requests.
fn url_of(path: &str) -> String {
    let mut url = String::with_capacity(path.len() + 1);
    url.push('/');
    for &b in path.as_bytes() {
        let keep = b > 0x20
            && b < 0x7f
            && !matches!(
                b,
                b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'%'
            );
        if keep {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The build's version: a 64-bit FNV-1a hash of every file's path and contents, and of the
/// worker's own logic, as 16 hex digits. It only has to tell deploys apart, not resist forgery,
/// and it needs no dependency; any changed byte gives a new version and so a new `sw.js`.
#[derive(Clone, Debug, Default)]
pub struct Version(crate::hash::Fnv);

impl Version {
    /// Adds one file; the length prefixes keep `("ab", "c")` apart from `("a", "bc")`.
    pub fn add(&mut self, path: &str, contents: &[u8]) {
        self.0.write(&(path.len() as u64).to_le_bytes());
        self.0.write(path.as_bytes());
        self.0.write(&(contents.len() as u64).to_le_bytes());
        self.0.write(contents);
    }

    pub fn finish(&self) -> String {
        format!("{:016x}", self.0.finish())
    }
}

/// The version of the files under `out` (read one at a time), given the worker's logic.
fn version_of(out: &Path, files: &[BuildFile], logic: &str) -> io::Result<String> {
    let mut version = Version::default();
    version.add(SW_FILE, logic.as_bytes());
    for f in files {
        version.add(&f.path, &fs::read(out.join(&f.path))?);
    }
    Ok(version.finish())
}

/// `js` without its comment lines (`// …`, `/** … */`, ` * …`) and blank lines: every reader's
/// first visit fetches `sw.js`, and its comments are for this repository's readers. Only whole
/// lines go, so no code changes; the worker's source (`sw.js` here) keeps no code on a comment's
/// line.
pub fn without_comment_lines(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    for line in js.lines() {
        let t = line.trim_start();
        if in_block {
            in_block = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The text of `sw.js`: the generated constants, then the worker's logic.
pub fn render(version: &str, precache: &Precache, apart: &[&str]) -> String {
    let apart: Vec<String> = apart.iter().map(|r| format!("/{r}")).collect();
    let apart = serde_json::Value::from(apart);
    // `{:#}` is serde_json's pretty form: one URL a line.
    let urls = format!("{:#}", serde_json::Value::from(precache.urls.clone()));
    let required = serde_json::Value::from(precache.required.clone());
    format!(
        "// Written by the content tool (src/site/offline.rs); do not edit.\n\
         // {} files, {} bytes precached{}.\n\
         const VERSION = \"{version}\";\n\
         const COMPLETE = {};\n\
         const PRECACHE = {urls};\n\
         const REQUIRED = {required};\n\
         const APART = {apart};\n{}",
        precache.urls.len(),
        precache.bytes,
        if precache.complete {
            ""
        } else {
            " (over the budget: the shell only; pages are kept as visited)"
        },
        precache.complete,
        without_comment_lines(LOGIC),
    )
}

/// Writes `sw.js` into `out`, precaching the files already there. Call it after every other file
/// of the build is written. `essential` names files (relative to `out`) to precache even over the
/// budget: the content manifest and the search index's root. `apart` names the routes of other
/// bundles (`trainer`): their folders are neither precached nor part of the version (readers
/// never download them), and the worker answers their pages from the network first.
pub fn write_service_worker(
    out: &Path,
    essential: &[&str],
    apart: &[&str],
) -> io::Result<ServiceWorker> {
    let files: Vec<BuildFile> = build_files(out)?
        .into_iter()
        .filter(|f| !apart.iter().any(|r| f.path.starts_with(&format!("{r}/"))))
        .collect();
    let precache = plan(&files, essential, PRECACHE_BUDGET_BYTES);
    let version = version_of(out, &files, LOGIC)?;
    let text = render(&version, &precache, apart);
    fs::write(out.join(SW_FILE), &text)?;
    Ok(ServiceWorker {
        version,
        precache,
        bytes: text.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(path: &str, bytes: u64) -> BuildFile {
        BuildFile {
            path: path.into(),
            bytes,
        }
    }

    /// A build like today's, with a sharded search index as it may soon be.
    fn build() -> Vec<BuildFile> {
        vec![
            file("cases/index.html", 2_000),
            file("cases/panjin-2018/index.html", 2_000),
            file("content/cases/panjin-2018.json", 9_000),
            file("content/cases/panjin-2018/map.png", 50_000),
            file("content/manifest.json", 30_000),
            file("content/search/fold.txt", 55_000),
            file("content/search/index.bin", 3_000),
            file("content/search/p0-0a1b2c3d.bin", 90_000),
            file("icons/icon.svg", 1_000),
            file("index.html", 2_000),
            file("manifest.webmanifest", 500),
            file("portal-d7c8f518a1d177c1.js", 60_000),
            file("portal-d7c8f518a1d177c1_bg.wasm", 1_500_000),
            file("sw-register.js", 3_000),
        ]
    }

    fn urls(p: &Precache) -> Vec<&str> {
        p.urls.iter().map(String::as_str).collect()
    }

    #[test]
    fn within_the_budget_everything_is_precached() {
        let files = build();
        let p = plan(&files, &[], PRECACHE_BUDGET_BYTES);
        assert!(p.complete);
        assert_eq!(p.urls.len(), files.len());
        assert_eq!(p.bytes, files.iter().map(|f| f.bytes).sum::<u64>());
        assert!(p
            .urls
            .contains(&"/cases/panjin-2018/index.html".to_string()));
        assert!(p
            .urls
            .contains(&"/content/search/p0-0a1b2c3d.bin".to_string()));
        // Within it, pages, bodies and search shards are precached but not required.
        assert!(p
            .required
            .contains(&"/portal-d7c8f518a1d177c1_bg.wasm".to_string()));
        assert!(p.required.contains(&"/index.html".to_string()));
        assert!(!p
            .required
            .iter()
            .any(|u| u.ends_with("/index.html") && u != "/index.html"));
        assert!(!p.required.iter().any(|u| u.starts_with("/content/")));
    }

    #[test]
    fn over_the_budget_only_the_shell_and_essentials_are_precached() {
        let p = plan(
            &build(),
            &[
                "content/manifest.json",
                "content/search/index.bin",
                "content/search/fold.txt",
            ],
            1_000_000,
        );
        assert!(!p.complete);
        assert_eq!(
            urls(&p),
            [
                "/content/manifest.json",
                "/content/search/fold.txt",
                "/content/search/index.bin",
                "/icons/icon.svg",
                "/index.html",
                "/manifest.webmanifest",
                "/portal-d7c8f518a1d177c1.js",
                "/portal-d7c8f518a1d177c1_bg.wasm",
                "/sw-register.js",
            ]
        );
        assert_eq!(
            p.bytes,
            30_000 + 55_000 + 3_000 + 1_000 + 2_000 + 500 + 60_000 + 1_500_000 + 3_000
        );
        // Over the budget, what is precached is exactly what is required.
        assert_eq!(p.required, p.urls);
    }

    #[test]
    fn the_budget_is_inclusive() {
        let files = build();
        let total: u64 = files.iter().map(|f| f.bytes).sum();
        assert!(plan(&files, &[], total).complete);
        assert!(!plan(&files, &[], total - 1).complete);
    }

    #[test]
    fn urls_are_encoded_as_a_browser_requests_them() {
        assert_eq!(url_of("index.html"), "/index.html");
        assert_eq!(
            url_of("content/cases/图 1.png"),
            "/content/cases/%E5%9B%BE%201.png"
        );
        assert_eq!(url_of("a#b?c%d.txt"), "/a%23b%3Fc%25d.txt");
        assert_eq!(url_of("it's(1).png"), "/it's(1).png");
    }

    #[test]
    fn the_version_changes_with_any_byte_or_name() {
        let version = |files: &[(&str, &[u8])]| {
            let mut v = Version::default();
            for (path, contents) in files {
                v.add(path, contents);
            }
            v.finish()
        };
        let base = version(&[("index.html", b"<html>"), ("a.md", b"text")]);
        assert_eq!(base.len(), 16);
        assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            base,
            version(&[("index.html", b"<html>"), ("a.md", b"text")])
        );
        assert_ne!(
            base,
            version(&[("index.html", b"<html>"), ("a.md", b"texT")])
        );
        assert_ne!(
            base,
            version(&[("index.html", b"<html>"), ("b.md", b"text")])
        );
        assert_ne!(
            base,
            version(&[("index.html", b"<html>"), ("a.md", b"text"), ("c", b"")])
        );
        assert_ne!(version(&[("ab", b"c")]), version(&[("a", b"bc")]));
    }

    #[test]
    fn render_defines_what_the_logic_uses() {
        let p = plan(&build(), &[], PRECACHE_BUDGET_BYTES);
        let text = render("0123456789abcdef", &p, &["trainer"]);
        assert!(text.contains("const VERSION = \"0123456789abcdef\";\n"));
        assert!(text.contains("const APART = [\"/trainer\"];\n"));
        assert!(text.contains("const COMPLETE = true;\n"));
        assert!(text.contains("\"/content/manifest.json\""));
        assert!(text.ends_with(&without_comment_lines(LOGIC)));
        let logic = &text[text.find("const APART").unwrap()..];
        assert!(!logic.contains("\n//") && !logic.contains("/**"), "{logic}");
        assert!(text.contains("const REQUIRED = [\"/icons/icon.svg\",\"/index.html\","));
        for name in ["VERSION", "COMPLETE", "PRECACHE", "REQUIRED", "APART"] {
            assert!(LOGIC.contains(name), "the logic uses {name}");
        }
    }

    #[test]
    fn only_whole_comment_lines_go() {
        let js = "// a\nconst A = 1; // kept\n\n/** one */\n/** two\n * more\n */\n  const url = 'http://x';\nlet b = `\n`;\n";
        assert_eq!(
            without_comment_lines(js),
            "const A = 1; // kept\n  const url = 'http://x';\nlet b = `\n`;\n"
        );
    }

    /// A fresh directory under the system's temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!(
                "portal-offline-{name}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, path: &str, text: &str) {
            let file = self.0.join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, text).unwrap();
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_worker_lists_the_build_and_changes_with_it() {
        let dir = TempDir::new("write");
        dir.write("index.html", "<html>");
        dir.write("portal-d7c8f518a1d177c1_bg.wasm", "wasm");
        dir.write("content/manifest.json", "{}");
        dir.write("cases/panjin-2018/index.html", "<html>盘锦");
        dir.write("404.html", "<html>");
        dir.write(".DS_Store", "");
        let first = write_service_worker(&dir.0, &[], &[]).unwrap();
        assert_eq!(
            urls(&first.precache),
            [
                "/cases/panjin-2018/index.html",
                "/content/manifest.json",
                "/index.html",
                "/portal-d7c8f518a1d177c1_bg.wasm",
            ]
        );
        let text = fs::read_to_string(dir.0.join(SW_FILE)).unwrap();
        assert_eq!(text.len() as u64, first.bytes);
        assert!(text.contains(&format!("const VERSION = \"{}\";", first.version)));

        // Writing again over an unchanged build gives the same worker: it does not list itself.
        assert_eq!(write_service_worker(&dir.0, &[], &[]).unwrap(), first);
        assert_eq!(fs::read_to_string(dir.0.join(SW_FILE)).unwrap(), text);

        // Any changed file is a new deploy.
        dir.write("content/manifest.json", "{ }");
        let second = write_service_worker(&dir.0, &[], &[]).unwrap();
        assert_ne!(second.version, first.version);
        assert_eq!(second.precache.urls, first.precache.urls);
    }

    #[test]
    fn another_bundles_files_are_neither_precached_nor_versioned() {
        let dir = TempDir::new("apart");
        dir.write("index.html", "<html>");
        dir.write("content/manifest.json", "{}");
        dir.write("trainer/index.html", "<html>培训管理");
        dir.write("trainer/trainer-d7c8f518a1d177c1_bg.wasm", "wasm");
        dir.write("trainers-guide/index.html", "<html>");
        let first = write_service_worker(&dir.0, &[], &["trainer"]).unwrap();
        assert_eq!(
            urls(&first.precache),
            [
                "/content/manifest.json",
                "/index.html",
                "/trainers-guide/index.html"
            ]
        );
        let text = fs::read_to_string(dir.0.join(SW_FILE)).unwrap();
        assert!(text.contains("const APART = [\"/trainer\"];"));
        // A change in the trainer's bundle alone is no new version for readers.
        dir.write("trainer/trainer-d7c8f518a1d177c1_bg.wasm", "wasm 2");
        assert_eq!(
            write_service_worker(&dir.0, &[], &["trainer"])
                .unwrap()
                .version,
            first.version
        );
    }
}
