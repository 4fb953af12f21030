//! The prerendered route pages the build writes (issue 7, load budget): every item page carries
//! its heading and article in its own `index.html`, once, before the app's script runs.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use portal::content::markdown;
use portal::site::{check_folder, write_site};

const SHELL: &str = "<!doctype html>\n<html lang=\"zh-CN\">\n  <head>\n    <meta name=\"description\" content=\"x\" />\n    <title>智慧党建学习平台</title>\n  </head>\n  <body>\n    <noscript>本平台需要启用 JavaScript 才能使用。</noscript>\n  </body>\n</html>\n";

/// Builds the site of a content folder into a fresh temporary folder.
fn build(content: &str, name: &str) -> PathBuf {
    let checked = check_folder(Path::new(content));
    assert_eq!(checked.errors(), 0, "{:?}", checked.diagnostics);
    let out = std::env::temp_dir().join(format!("portal-prerender-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), SHELL).unwrap();
    write_site(Path::new(content), &checked, &out).unwrap();
    out
}

/// A page as written, without Leptos's empty `<!>` placeholders (comments a reader never sees),
/// so assertions can name the markup a browser shows.
fn read(out: &Path, page: &str) -> String {
    fs::read_to_string(out.join(page))
        .unwrap_or_else(|e| panic!("{page}: {e}"))
        .replace("<!>", "")
}

#[test]
fn the_fixture_pages_carry_their_content_once_even_when_built_twice() {
    let out = build("tests/fixtures/valid", "fixture");
    let case = read(&out, "cases/a/index.html");
    assert!(case.contains("<title>示例案例 · 智慧党建学习平台</title>"));
    assert!(case.contains("<h1>示例案例</h1>"), "{case}");
    assert!(case.contains("<p>正文。</p>"), "{case}");
    assert!(
        case.contains("<img src=\"/content/cases/img/dot.png\""),
        "{case}"
    );
    assert_eq!(case.matches("id=\"prerender\"").count(), 1);
    // Before the noscript line and everything else in the body.
    assert!(case.find("id=\"prerender\"").unwrap() < case.find("<noscript>").unwrap());

    let home = read(&out, "index.html");
    assert!(home.contains("data-route=\"/\""), "{home}");
    assert!(home.contains("<a href=\"/cases/a\">示例案例</a>"), "{home}");
    assert!(read(&out, "workflows/index.html").contains("<a href=\"/workflows/wf\">"));
    assert!(
        !read(&out, "404.html").contains("id=\"prerender\""),
        "404.html is served for any address, so it has no page of its own"
    );

    // The tool run again on the same build (whose index.html now holds the home page).
    let checked = check_folder(Path::new("tests/fixtures/valid"));
    write_site(Path::new("tests/fixtures/valid"), &checked, &out).unwrap();
    // Exactly one page block where there was one, none in 404.html: a second run neither
    // doubles nor drops it.
    for (page, blocks) in [
        ("index.html", 1),
        ("cases/a/index.html", 1),
        ("404.html", 0),
    ] {
        let html = read(&out, page);
        assert_eq!(
            html.matches("id=\"prerender\"").count(),
            blocks,
            "{page}: {html}"
        );
        assert_eq!(html.matches("<!--prerender-->").count(), blocks, "{page}");
    }
    assert_eq!(read(&out, "cases/a/index.html"), case);
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn every_real_item_page_shows_its_heading_and_article() {
    let out = build("content", "content");
    let checked = check_folder(Path::new("content"));
    let mut pages = 0;
    for p in &checked.items {
        let item = p.item.as_ref().unwrap();
        let page = format!("{}/index.html", item.route().trim_start_matches('/'));
        let html = read(&out, &page);
        assert_eq!(html.matches("<h1").count(), 1, "{page}: one heading");
        assert_eq!(html.matches("<main").count(), 1, "{page}");
        assert!(html.contains("<article class=\"doc"), "{page}");
        // The article's first plain paragraph, as the app's renderer writes it.
        let rendered = markdown::render(&p.body, &item.kind().asset_base());
        let first = rendered
            .lines()
            .filter_map(|l| l.strip_prefix("<p>")?.strip_suffix("</p>"))
            .find(|t| !t.contains('<'))
            .unwrap_or_else(|| panic!("{page}: no plain paragraph"));
        assert!(html.contains(&format!("<p>{first}</p>")), "{page}: {first}");
        // The page's own title, as a shared link in WeChat shows it.
        let title = item.title.replace('&', "&amp;").replace('<', "&lt;");
        assert!(
            html.contains(&format!("<title>{title} · 智慧党建学习平台</title>")),
            "{page}: title"
        );
        pages += 1;
    }
    assert!(pages >= 19, "{pages} item pages");
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn the_app_pages_have_their_own_page_with_title_heading_and_a_loading_line() {
    let out = build("tests/fixtures/valid", "app-pages");
    for (route, title, description, loading) in [
        (
            "search",
            "搜索",
            "支持简体、繁体和拼音",
            "正在加载搜索索引…",
        ),
        ("tasks", "我的任务", "完成回执", "正在加载…"),
        ("record", "学习档案", "可导出备份", "正在加载…"),
        ("assignment", "学习任务", "截止日期", "正在加载…"),
        ("trainer", "培训管理", "二维码", "正在加载…"),
    ] {
        let page = format!("{route}/index.html");
        let html = read(&out, &page);
        assert!(
            html.contains(&format!("<title>{title} · 智慧党建学习平台</title>")),
            "{page}: {html}"
        );
        let meta = html
            .split("<meta name=\"description\" content=\"")
            .nth(1)
            .and_then(|m| m.split('"').next())
            .unwrap_or_else(|| panic!("{page}: no description"));
        assert!(meta.contains(description), "{page}: {meta}");
        assert!(html.contains(&format!("data-route=\"/{route}\"")), "{page}");
        assert_eq!(html.matches("<h1").count(), 1, "{page}");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{page}");
        assert!(
            html.contains(&format!(
                "<p aria-live=\"polite\" class=\"loading\">{loading}</p>"
            )),
            "{page}"
        );
        // Valid for every query: the search words and the assignment's code come after the path.
        assert!(!html.contains("data-query="), "{page}");
    }
    // The header marks the section of the pages that have one in the navigation.
    assert!(read(&out, "record/index.html").contains("<a href=\"/record\" aria-current=\"page\">"));
    assert!(!read(&out, "assignment/index.html").contains("aria-current=\"page\">"));
    assert!(read(&out, "trainer/index.html").contains("<p>为社区工作者布置学习模块"));
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn the_stylesheets_every_page_carries_are_not_left_in_the_build_and_the_wasm_preload_stays() {
    let out = std::env::temp_dir().join(format!("portal-prerender-css-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    let shell = SHELL.replace(
        "<title>",
        "<link rel=\"stylesheet\" href=\"/main-1a2b.css\" /><link rel=\"stylesheet\" href=\"/gone.css\" /><link rel=\"preload\" href=\"/p-1a2b_bg.wasm\" as=\"fetch\" type=\"application/wasm\" /><title>",
    );
    fs::write(out.join("index.html"), shell).unwrap();
    fs::write(out.join("main-1a2b.css"), "h1{color:#b3261e}").unwrap();
    let checked = check_folder(Path::new("tests/fixtures/valid"));
    write_site(Path::new("tests/fixtures/valid"), &checked, &out).unwrap();
    for page in [
        "index.html",
        "cases/a/index.html",
        "record/index.html",
        "404.html",
    ] {
        let html = read(&out, page);
        assert!(html.contains("<style>h1{color:#b3261e}</style>"), "{page}");
        assert!(!html.contains("main-1a2b.css"), "{page}");
        // A sheet that is not in the build stays a link: the host may have it.
        assert!(html.contains("href=\"/gone.css\""), "{page}");
        // The WASM's download starts with the page, not once the module script has run.
        assert!(
            html.contains("<link rel=\"preload\" href=\"/p-1a2b_bg.wasm\""),
            "{page}"
        );
    }
    // Nothing links it any more, so the service worker does not precache it either.
    assert!(!out.join("main-1a2b.css").exists());
    assert!(!read(&out, "sw.js").contains("main-1a2b.css"));
    fs::remove_dir_all(&out).unwrap();
}

/// Every `*.html` under `dir`.
fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn every_page_carries_one_strict_policy_that_allows_exactly_its_inline_scripts() {
    use portal::site::prerender::csp;
    let out = std::env::temp_dir().join(format!("portal-prerender-csp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    // The shell as Trunk writes it: a charset first, the loader as an inline module script.
    let trunk = "<script type=\"module\">\nimport init, * as bindings from '/portal-1a2b.js';\nimport { start } from '/loader.js';\nstart(init, bindings, '/portal-1a2b_bg.wasm');\n</script>";
    let shell = SHELL
        .replace("<head>", "<head>\n    <meta charset=\"utf-8\" />")
        .replace("</head>", &format!("{trunk}</head>"));
    fs::write(out.join("index.html"), &shell).unwrap();
    let checked = check_folder(Path::new("tests/fixtures/valid"));
    write_site(Path::new("tests/fixtures/valid"), &checked, &out).unwrap();
    // Twice: the second run replaces the policy instead of adding one.
    write_site(Path::new("tests/fixtures/valid"), &checked, &out).unwrap();

    let mut files = Vec::new();
    html_files(&out, &mut files);
    assert!(files.len() > 10, "{files:?}");
    let policy = csp::policy_of(&read(&out, "index.html")).expect("index.html has a policy");
    let mut scripts = std::collections::BTreeSet::new();
    for file in &files {
        let html = fs::read_to_string(file).unwrap();
        let page = file.display();
        assert_eq!(
            html.matches("http-equiv=\"Content-Security-Policy\"")
                .count(),
            1,
            "{page}"
        );
        assert_eq!(
            csp::policy_of(&html).as_deref(),
            Some(policy.as_str()),
            "{page}"
        );
        assert!(
            html.contains("<meta name=\"referrer\" content=\"strict-origin-when-cross-origin\">"),
            "{page}"
        );
        // In the head, after the charset and before anything that loads or runs.
        let at = html.find("Content-Security-Policy").unwrap();
        assert!(html.find("<meta charset").unwrap() < at, "{page}");
        for later in ["<script", "<link", "<style", "<title"] {
            assert!(html.find(later).is_none_or(|i| i > at), "{page}: {later}");
        }
        for text in csp::inline_scripts(&html) {
            assert!(policy.contains(&csp::script_hash(text)), "{page}: {text}");
            scripts.insert(text.to_string());
        }
    }
    // Trunk's loader and the prerender's script, the same text on every page: two hashes.
    assert_eq!(scripts.len(), 2, "{scripts:?}");
    assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
    assert!(policy.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
    let script_src = policy
        .split("; ")
        .find(|d| d.starts_with("script-src "))
        .unwrap();
    assert!(!script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"));

    // The header lines agree with the pages and add frame-ancestors.
    let headers = csp::server_headers_of_build(&out).unwrap();
    assert!(headers.contains(&format!("\"{policy}; frame-ancestors 'none'\" always;")));
    // A page without the policy is refused, not papered over.
    fs::write(out.join("extra.html"), "<html><head></head></html>").unwrap();
    assert!(csp::server_headers_of_build(&out).is_err());
    fs::remove_dir_all(&out).unwrap();
}

/// The trainer's bundle (`content build --bundle trainer=DIR`): its files go under `trainer/`,
/// the `/trainer` page is written from its own shell, every page carries one policy that allows
/// both loaders, and the service worker precaches none of it.
#[test]
fn another_bundle_gets_its_route_its_files_and_the_one_policy() {
    use portal::site::prerender::csp;
    use portal::site::{write_site_with, Bundle};
    let loader = |name: &str| {
        format!("<script type=\"module\">\nimport init from '{name}';\n</script></head>")
    };
    let content = Path::new("tests/fixtures/valid");
    let checked = check_folder(content);
    let root = std::env::temp_dir().join(format!("portal-bundle-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let (out, bundle) = (root.join("dist"), root.join("bundle"));
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&bundle).unwrap();
    fs::write(
        out.join("index.html"),
        SHELL.replace("</head>", &loader("/portal-1.js")),
    )
    .unwrap();
    let trainer_shell = SHELL.replace(
        "</head>",
        &format!(
            "<link rel=\"stylesheet\" href=\"/trainer/main-2.css\">{}",
            loader("/trainer/trainer-2.js")
        ),
    );
    fs::write(bundle.join("index.html"), &trainer_shell).unwrap();
    fs::write(bundle.join("trainer-2.js"), "export default 1;").unwrap();
    fs::write(bundle.join("trainer-2_bg.wasm"), "\0asm").unwrap();
    fs::write(bundle.join("main-2.css"), "h1{color:red}").unwrap();
    let bundles = [Bundle::parse(&format!("trainer={}", bundle.display())).unwrap()];
    let written = write_site_with(content, &checked, &out, &bundles).unwrap();
    assert!(
        written.contains_key("trainer/trainer-2_bg.wasm"),
        "{written:?}"
    );

    let trainer = read(&out, "trainer/index.html");
    assert!(
        trainer.contains("import init from '/trainer/trainer-2.js';"),
        "{trainer}"
    );
    assert!(trainer.contains("data-route=\"/trainer\""), "{trainer}");
    assert!(
        trainer.contains("<style>h1{color:red}</style>"),
        "{trainer}"
    );
    assert!(
        !out.join("trainer/main-2.css").exists(),
        "an inlined sheet is not published"
    );
    let record = read(&out, "record/index.html");
    assert!(
        record.contains("import init from '/portal-1.js';"),
        "{record}"
    );
    assert!(!record.contains("trainer-2.js"), "{record}");
    // One policy on every page, allowing both loaders and the prerender's script.
    let policy = csp::policy_of(&trainer).unwrap();
    assert_eq!(csp::policy_of(&record).as_deref(), Some(policy.as_str()));
    assert_eq!(policy.matches("'sha256-").count(), 3, "{policy}");
    assert!(csp::server_headers_of_build(&out).is_ok());
    // Readers never download the trainer's files: the worker does not precache them.
    let sw = read(&out, "sw.js");
    let precache = &sw[sw.find("const PRECACHE").unwrap()..sw.find("const REQUIRED").unwrap()];
    assert!(precache.contains("\"/record/index.html\""), "{precache}");
    assert!(!precache.contains("/trainer"), "{precache}");
    assert!(sw.contains("const APART = [\"/trainer\"];"));
    // A missing bundle stops the build with a message, rather than publishing a page without it.
    let missing = [Bundle::parse("trainer=/nonexistent/bundle").unwrap()];
    let err = write_site_with(content, &checked, &out, &missing).unwrap_err();
    assert!(err.to_string().contains("scripts/build.sh"), "{err}");
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_bundle_argument_names_a_route_and_a_folder() {
    use portal::site::Bundle;
    let b = Bundle::parse("trainer=target/bundles/trainer").unwrap();
    assert_eq!(
        (b.route.as_str(), b.dir.as_path()),
        ("trainer", Path::new("target/bundles/trainer"))
    );
    for bad in [
        "trainer",
        "=dir",
        "trainer=",
        "../x=dir",
        "Trainer=dir",
        "a/b=dir",
    ] {
        assert!(Bundle::parse(bad).is_none(), "{bad}");
    }
}
