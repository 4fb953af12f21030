//! The site writer: from a checked content folder it writes the build, that is what the app
//! fetches under `content/` (the manifest, rendered bodies, images, the search index and its
//! tables), every route's prerendered page, other bundles (the trainer's) and, last, the service
//! worker.
//!
//! Native only: it reads and writes the file system. The checking itself is [`crate::check`].

pub mod load;
pub mod offline;
pub mod prerender;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::SITE_NAME;
pub use crate::check::Checked;
use crate::content::rendered::RenderedBody;
use crate::content::{markdown, Kind};
use crate::search::index::{ROOT_FILE, SEARCH_DIR};
use crate::search::normalize::{tables_file, TABLES_FILE};
pub use load::check_folder;

/// A separately built app bundle (Trunk's output for another HTML entry, such as the trainer's
/// `trainer.html`) that owns one route: its files go into the site under the route's folder,
/// and that route's page is written from the bundle's own shell.
#[derive(Clone, Debug)]
pub struct Bundle {
    /// The route without slashes, which is also the folder: `trainer`.
    pub route: String,
    /// Trunk's output for the bundle, with its `index.html`.
    pub dir: PathBuf,
}

impl Bundle {
    /// Reads `ROUTE=DIR`, as `content build --bundle` takes it.
    pub fn parse(arg: &str) -> Option<Bundle> {
        let (route, dir) = arg.split_once('=')?;
        let ok = !route.is_empty()
            && route
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        (ok && !dir.is_empty()).then(|| Bundle {
            route: route.to_string(),
            dir: PathBuf::from(dir),
        })
    }
}

/// Writes what the app fetches under `out/content/`: the manifest, each body (front matter
/// removed) and the files next to them (images). Call only on a check without errors.
pub fn write_site(
    root: &Path,
    checked: &Checked,
    out: &Path,
) -> std::io::Result<BTreeMap<String, u64>> {
    write_site_with(root, checked, out, &[])
}

/// [`write_site`], with `bundles` copied into the site and their routes' pages written from
/// their own shells. Every page still carries one policy (CSP), which allows the inline scripts
/// of every shell. The service worker does not precache a bundle's files: readers never
/// download them; the worker keeps what a bundle's page fetched once it has been opened.
pub fn write_site_with(
    root: &Path,
    checked: &Checked,
    out: &Path,
    bundles: &[Bundle],
) -> std::io::Result<BTreeMap<String, u64>> {
    let mut written = BTreeMap::new();
    let mut bundle_shells = Vec::new();
    for bundle in bundles {
        let shell = fs::read_to_string(bundle.dir.join("index.html")).map_err(|e| {
            std::io::Error::other(format!(
                "{}：读不到程序包的 index.html（{e}）；请用 bash scripts/build.sh 构建",
                bundle.dir.display()
            ))
        })?;
        copy_bundle(
            &bundle.dir,
            &out.join(&bundle.route),
            &mut written,
            &bundle.route,
        )?;
        bundle_shells.push((bundle.route.clone(), shell));
    }
    let base = out.join("content");
    fs::create_dir_all(&base)?;
    let manifest = checked.manifest();
    let manifest_json = serde_json::to_string(&manifest).map_err(std::io::Error::other)?;
    fs::write(base.join("manifest.json"), &manifest_json)?;
    written.insert(
        "content/manifest.json".to_string(),
        manifest_json.len() as u64,
    );
    // Each body is rendered once: the app fetches it, and the static pages show the same one.
    let mut bodies = HashMap::new();
    for p in &checked.items {
        let Some(item) = &p.item else { continue };
        // What the app fetches: the body rendered here, so the browser needs no markdown parser
        // (and the markdown itself is not published).
        let rendered = RenderedBody::render(item.kind(), &p.body);
        let json = serde_json::to_string(&rendered).map_err(std::io::Error::other)?;
        let dest = out.join(&item.body);
        fs::create_dir_all(dest.parent().unwrap_or(&base))?;
        fs::write(&dest, &json)?;
        written.insert(item.body.clone(), json.len() as u64);
        bodies.insert((item.kind(), item.id.clone()), Arc::new(rendered));
    }
    for kind in Kind::ALL {
        copy_assets(
            &root.join(kind.folder()),
            &base.join(kind.folder()),
            &mut written,
            &format!("content/{}", kind.folder()),
        )?;
    }
    let index = search_index(checked);
    fs::create_dir_all(base.join(SEARCH_DIR))?;
    for (name, bytes) in &index.files {
        fs::write(base.join(SEARCH_DIR).join(name), bytes)?;
        written.insert(format!("content/{SEARCH_DIR}/{name}"), bytes.len() as u64);
    }
    // The normaliser's tables, fetched with the index (the app does not compile them in).
    let tables_path = format!("content/{SEARCH_DIR}/{TABLES_FILE}");
    let tables = tables_file();
    fs::write(out.join(&tables_path), &tables)?;
    written.insert(tables_path.clone(), tables.len() as u64);
    if let Ok(shell) = fs::read_to_string(out.join("index.html")) {
        let pages = prerender::Pages::from_rendered(manifest, bodies);
        write_route_pages(&shell, &bundle_shells, &pages, checked, out, &mut written)?;
    }
    // Last, so the worker lists every file written above.
    let root = format!("content/{SEARCH_DIR}/{ROOT_FILE}");
    let apart: Vec<&str> = bundles.iter().map(|b| b.route.as_str()).collect();
    let sw = offline::write_service_worker(
        out,
        &["content/manifest.json", &root, &tables_path],
        &apart,
    )?;
    written.insert(offline::SW_FILE.to_string(), sw.bytes);
    Ok(written)
}

/// Builds the search index of all valid items: title, tags and headings as boosted fields,
/// summary and body text as the body, pinyin keys of title, tags and headings.
pub fn search_index(checked: &Checked) -> crate::search::index::Built {
    use crate::search::pinyin::keys;
    use crate::search::{DocInput, Field, IndexBuilder};
    let manifest = checked.manifest();
    let mut builder = IndexBuilder::default();
    for p in &checked.items {
        let Some(item) = &p.item else { continue };
        let tag_labels = manifest.tag_labels(item);
        let headings: Vec<String> = p.scan.headings.iter().map(|h| h.text.clone()).collect();
        let mut pinyin = keys(&item.title, true);
        for phrase in tag_labels.iter().chain(&headings) {
            pinyin.extend(keys(phrase, false));
        }
        let body = markdown::plain_text(&p.body);
        builder.add(DocInput {
            key: item.reference().to_string(),
            title: item.title.clone(),
            kind: item.kind().key().to_string(),
            tags: item.tags.clone(),
            region: item
                .region()
                .map(|r| r.province.clone())
                .unwrap_or_default(),
            parts: vec![
                (Field::Title, item.title.clone()),
                (Field::Heading, tag_labels.join(" ")),
                (Field::Heading, headings.join("\n")),
                (Field::Body, item.summary.clone()),
                (Field::Body, body),
            ],
            pinyin,
        });
    }
    builder.build()
}

/// Escapes text for an HTML text node or a quoted attribute.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The app shell with a page's own title (`页面 · 智慧党建学习平台`, as the app sets it) and
/// description, so a shared link shows them.
pub fn page_html(shell: &str, title: &str, description: &str) -> String {
    let mut html = shell.replacen(
        &format!("<title>{SITE_NAME}</title>"),
        &format!("<title>{}</title>", escape_html(title)),
        1,
    );
    if let Some(start) = html.find("<meta name=\"description\" content=\"") {
        let value_start = start + "<meta name=\"description\" content=\"".len();
        if let Some(len) = html[value_start..].find('"') {
            html.replace_range(value_start..value_start + len, &escape_html(description));
        }
    }
    html
}

/// `html` with every `<link …>` tag for which `replace` gives a replacement replaced by it; the
/// others are kept as they are.
fn rewrite_links(html: &str, mut replace: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<link") {
        let Some(len) = rest[at..].find('>') else {
            break;
        };
        let tag = &rest[at..at + len + 1];
        out.push_str(&rest[..at]);
        match replace(tag) {
            Some(new) => out.push_str(&new),
            None => out.push_str(tag),
        }
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The shell with its own stylesheets (`<link rel="stylesheet" href="/….css">` of files in the
/// build) written into `<style>` elements, and the build paths of the sheets it took in. The
/// prerendered page can then paint as soon as its HTML has arrived, without another round trip on
/// a slow link; the CSS is 6 kB gzipped. A sheet that is missing, large, or could end the
/// `<style>` element early stays a link.
pub fn inline_stylesheets(shell: &str, out: &Path) -> (String, Vec<String>) {
    let mut inlined = Vec::new();
    let html = rewrite_links(shell, |tag| {
        let href = tag
            .split("href=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .filter(|h| {
                tag.contains("rel=\"stylesheet\"") && h.starts_with('/') && h.ends_with(".css")
            })?;
        let css = Some(href)
            .filter(|h| !h.contains(".."))
            .and_then(|h| fs::read_to_string(out.join(h.trim_start_matches('/'))).ok())
            .filter(|css| {
                css.len() <= 128 * 1024 && !css.to_ascii_lowercase().contains("</style")
            })?;
        inlined.push(href.trim_start_matches('/').to_string());
        Some(format!("<style>{css}</style>"))
    });
    (html, inlined)
}

/// Writes `route/index.html` for every route (lists, items, the comparison and the app's own
/// pages) and `404.html`, so that deep links work on any static host and each page has its own
/// title and description.
fn write_route_pages(
    shell: &str,
    bundle_shells: &[(String, String)],
    prerender: &prerender::Pages,
    checked: &Checked,
    out: &Path,
    written: &mut BTreeMap<String, u64>,
) -> std::io::Result<()> {
    // Trunk's `<link rel="preload">` of the WASM stays: with the stylesheets inlined, nothing the
    // first paint needs shares the link with it, and the app is ready about 0.3 s sooner on the
    // slow profile than when the WASM waits for the module script (benches/load/README.md).
    let (shell, mut inlined) = inline_stylesheets(&prerender::strip(shell), out);
    let mut others = Vec::new();
    for (route, bundle_shell) in bundle_shells {
        let (html, sheets) = inline_stylesheets(&prerender::strip(bundle_shell), out);
        inlined.extend(sheets);
        others.push((route.as_str(), html));
    }
    // One policy for every page, allowing the inline scripts of every shell.
    let mut all: Vec<&str> = vec![&shell];
    all.extend(others.iter().map(|(_, html)| html.as_str()));
    let policy = prerender::policy_of_shells(&all);
    let shell = prerender::with_policy(&shell, &policy);
    let others: HashMap<&str, String> = others
        .into_iter()
        .map(|(route, html)| (route, prerender::with_policy(&html, &policy)))
        .collect();
    // Each route with its description; its title is the one the app gives the page.
    let mut pages: Vec<(String, String)> = Kind::ALL
        .into_iter()
        .map(|k| (k.folder().to_string(), format!("{}列表", k.label())))
        .collect();
    pages.push((
        "communities/compare".into(),
        "选择 2 至 4 个社区，逐项对比数据。".into(),
    ));
    pages.extend(
        prerender::APP_PAGES
            .iter()
            .map(|p| (p.route.to_string(), p.description.to_string())),
    );
    for p in &checked.items {
        if let Some(item) = &p.item {
            pages.push((
                item.route().trim_start_matches('/').to_string(),
                item.summary.clone(),
            ));
        }
    }
    for (route, description) in pages {
        let own = others.get(route.as_str()).unwrap_or(&shell);
        let html = match prerender.page(&route) {
            Some(page) => page.insert_into(&page_html(own, &page.title, &description)),
            None => page_html(own, SITE_NAME, &description),
        };
        let dir = out.join(&route);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("index.html"), &html)?;
        written.insert(format!("{route}/index.html"), html.len() as u64);
    }
    let not_found = page_html(&shell, &format!("页面不存在 · {SITE_NAME}"), "");
    fs::write(out.join("404.html"), &not_found)?;
    written.insert("404.html".into(), not_found.len() as u64);
    let home = prerender.insert(&shell, "");
    fs::write(out.join("index.html"), &home)?;
    written.insert("index.html".into(), home.len() as u64);
    // Every page now carries these sheets itself and none links them: a copy in the build would
    // only be precached and downloaded for nothing.
    for path in inlined {
        fs::remove_file(out.join(path))?;
    }
    Ok(())
}

/// Copies a bundle's files (Trunk's output) into the site under `to`, except its `index.html`,
/// which becomes the route's page. Only regular files: a link is never followed.
fn copy_bundle(
    from: &Path,
    to: &Path,
    written: &mut BTreeMap<String, u64>,
    shown: &str,
) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type()?;
        if name.starts_with('.') || (shown.find('/').is_none() && name == "index.html") {
            continue;
        }
        if file_type.is_dir() {
            copy_bundle(
                &entry.path(),
                &to.join(&name),
                written,
                &format!("{shown}/{name}"),
            )?;
        } else if file_type.is_file() {
            let n = fs::copy(entry.path(), to.join(&name))?;
            written.insert(format!("{shown}/{name}"), n);
        }
    }
    Ok(())
}

/// Copies the images under a kind's folder into the site: only what [`load::publishable`]
/// allows (real PNG, JPEG, WebP or GIF files), never through a symbolic link and never anything
/// else, even when the checker was not run.
fn copy_assets(
    from: &Path,
    to: &Path,
    written: &mut BTreeMap<String, u64>,
    shown: &str,
) -> std::io::Result<()> {
    if !load::is_real_dir(from) {
        return Ok(());
    }
    let Ok(entries) = fs::read_dir(from) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // `file_type` of a directory entry does not follow a link.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() && !name.starts_with('.') {
            copy_assets(&path, &to.join(&name), written, &format!("{shown}/{name}"))?;
        } else if file_type.is_file() && load::publishable(&path) == Ok(true) {
            fs::create_dir_all(to)?;
            let n = fs::copy(&path, to.join(&name))?;
            written.insert(format!("{shown}/{name}"), n);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_stylesheets_are_inlined_and_others_stay_links() {
        let out = std::env::temp_dir().join(format!("portal-inline-{}", std::process::id()));
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("main-1.css"), "body{color:red}").unwrap();
        fs::write(out.join("evil.css"), "a{}</style><script>x</script>").unwrap();
        let shell = concat!(
            r#"<head><link rel="stylesheet" href="/main-1.css" integrity="sha384-x"/>"#,
            r#"<link rel="stylesheet" href="/evil.css"/><link rel="stylesheet" href="/missing.css"/>"#,
            r#"<link rel="stylesheet" href="/../secret.css"/><link rel="manifest" href="/m.webmanifest" /></head>"#
        );
        let (html, inlined) = inline_stylesheets(shell, &out);
        assert_eq!(inlined, ["main-1.css"]);
        assert!(html.contains("<style>body{color:red}</style>"), "{html}");
        assert!(!html.contains("main-1.css"), "{html}");
        assert!(html.contains(r#"href="/evil.css""#), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains(r#"href="/missing.css""#), "{html}");
        assert!(html.contains(r#"href="/../secret.css""#), "{html}");
        assert!(
            html.contains(r#"<link rel="manifest" href="/m.webmanifest" />"#),
            "{html}"
        );
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn page_html_sets_escaped_title_and_description() {
        let shell = "<head><meta name=\"description\" content=\"默认\" /><title>智慧党建学习平台</title></head>";
        let html = page_html(shell, "盘锦<案例> · 智慧党建学习平台", "摘要\"引号\"");
        assert!(
            html.contains("<title>盘锦&lt;案例&gt; · 智慧党建学习平台</title>"),
            "{html}"
        );
        assert!(html.contains("content=\"摘要&quot;引号&quot;\""), "{html}");
    }
}
