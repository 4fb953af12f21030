//! The checker against fixture directories: each `tests/fixtures/<kind>/` is a small content tree
//! with one kind of mistake, and `expected.txt` holds the exact messages it must produce.
//! The real `content/` must check clean.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use portal::check::Severity;
use portal::content::{Details, Kind, Manifest};
use portal::site::{check_folder, write_site};

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = fs::read_dir("tests/fixtures")
        .expect("tests/fixtures exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_fixture_gives_exactly_its_expected_messages() {
    let mut checked_fixtures = 0;
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name == "valid" {
            continue;
        }
        let expected = fs::read_to_string(dir.join("expected.txt"))
            .unwrap_or_else(|_| panic!("{name}: expected.txt is missing"));
        let result = check_folder(&dir);
        let prefix = format!("{}/", dir.display());
        let actual: Vec<String> = result
            .diagnostics
            .iter()
            .map(|d| d.to_string().replace(&prefix, ""))
            .collect();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(actual, expected, "fixture {name}");
        assert!(result.errors() > 0, "fixture {name} must fail the check");
        checked_fixtures += 1;
    }
    assert!(checked_fixtures >= 23, "only {checked_fixtures} fixtures");
}

#[test]
fn the_valid_fixture_is_clean_and_builds_a_site() {
    let dir = Path::new("tests/fixtures/valid");
    let result = check_folder(dir);
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let out = std::env::temp_dir().join(format!("portal-site-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    fs::write(
        out.join("index.html"),
        "<meta name=\"description\" content=\"x\" /><title>智慧党建学习平台</title>",
    )
    .unwrap();
    write_site(dir, &result, &out).unwrap();
    let manifest =
        Manifest::from_json(&fs::read_to_string(out.join("content/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest.items.len(), 3);
    let module = manifest.item(Kind::Module, "m").unwrap();
    assert!(matches!(&module.details, Details::Module(m) if m.questions == 1 && m.pass_mark == 80));
    let wf = manifest.item(Kind::Workflow, "wf").unwrap();
    assert!(matches!(&wf.details, Details::Workflow(w) if w.steps == 2));
    // The body as the app fetches it, rendered; the markdown itself is not published.
    let case = manifest.item(Kind::Case, "a").unwrap();
    assert_eq!(case.body, "content/cases/a.json");
    let body = fs::read_to_string(out.join(&case.body)).unwrap();
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    let html = body["html"].as_str().unwrap();
    assert!(
        html.starts_with("<h1 id=\"背景\">背景</h1>\n<p>正文。</p>"),
        "front matter is stripped: {html}"
    );
    assert!(!out.join("content/cases/a.md").exists());
    assert!(out.join("content/cases/img/dot.png").is_file());
    assert!(
        html.contains("<img src=\"/content/cases/img/dot.png\" alt=\"示意图\">"),
        "{html}"
    );
    let page = fs::read_to_string(out.join("cases/a/index.html")).unwrap();
    assert!(
        page.contains("<title>示例案例 · 智慧党建学习平台</title>"),
        "{page}"
    );
    assert!(out.join("404.html").is_file());
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn the_real_content_checks_clean_and_has_the_corpus() {
    let result = check_folder(Path::new("content"));
    let problems: Vec<String> = result.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        result
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{problems:#?}"
    );
    let manifest = result.manifest();
    let count = |k| manifest.items_of(k).count();
    assert!(count(Kind::Case) >= 6, "cases: {}", count(Kind::Case));
    assert!(count(Kind::Workflow) >= 6);
    assert!(count(Kind::Community) >= 4);
    assert!(count(Kind::Module) >= 3);
    for m in manifest.items_of(Kind::Module) {
        let Details::Module(module) = &m.details else {
            unreachable!()
        };
        assert!(
            module.questions >= 5,
            "{} has {} questions",
            m.id,
            module.questions
        );
    }
    let panjin = manifest
        .item(Kind::Case, "panjin-2018")
        .expect("Panjin case");
    let Details::Case(case) = &panjin.details else {
        unreachable!()
    };
    assert!(case
        .figures
        .iter()
        .any(|f| f.label.contains("党员") && f.value == 72258.0));
    assert!(!panjin.sources.is_empty());
}

/// A copy of the valid fixture in a temporary folder, to add what cannot be committed.
fn scratch_copy(name: &str) -> std::path::PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("portal-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy(Path::new("tests/fixtures/valid"), &dir.join("content"));
    dir
}

/// The review's payloads: links to the build machine's environment and to `/`, and pages,
/// scripts and SVG beside the images. The checker names each, and the build publishes none of
/// them even when it is run on a check with errors.
#[cfg(unix)]
#[test]
fn links_and_non_images_are_reported_and_never_published() {
    use std::os::unix::fs::symlink;
    let dir = scratch_copy("bypass");
    let content = dir.join("content");
    let img = content.join("cases/img");
    symlink("/proc/self/environ", img.join("x.png")).unwrap();
    symlink("/", img.join("root")).unwrap();
    symlink("/", content.join("communities")).unwrap();
    symlink("/etc/passwd", content.join("cases/passwd.md")).unwrap();
    fs::write(img.join("page.html"), "<script>alert(1)</script>").unwrap();
    fs::write(img.join("a.svg"), "<svg onload=\"alert(1)\"/>").unwrap();
    fs::write(img.join("x.js"), "alert(1)").unwrap();
    fs::write(img.join("fake.png"), "<html><script>alert(1)</script>").unwrap();
    let result = check_folder(&content);
    let prefix = format!("{}/", content.display());
    let actual: Vec<String> = result
        .diagnostics
        .iter()
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect();
    assert_eq!(
        actual,
        [
            "cases/img/a.svg:1:1: 错误: 不能使用 SVG 图片“a.svg”（SVG 可以携带脚本）：请导出为 PNG (file)",
            "cases/img/fake.png:1:1: 错误: 文件“fake.png”的内容不是 PNG 图片：请用图片软件重新导出 (file)",
            "cases/img/page.html:1:1: 错误: 文件“page.html”不会发布：栏目文件夹中只能放 Markdown 文件和图片（png、jpg、jpeg、webp、gif） (file)",
            "cases/img/root:1:1: 错误: “root”是符号链接，不会读取也不会发布：请放入文件本身 (file)",
            "cases/img/x.js:1:1: 错误: 文件“x.js”不会发布：栏目文件夹中只能放 Markdown 文件和图片（png、jpg、jpeg、webp、gif） (file)",
            "cases/img/x.png:1:1: 错误: “x.png”是符号链接，不会读取也不会发布：请放入文件本身 (file)",
            "cases/passwd.md:1:1: 错误: “passwd.md”是符号链接，不会读取也不会发布：请放入文件本身 (file)",
            "communities:1:1: 错误: “communities”是符号链接，不会读取也不会发布：请放入文件本身 (file)",
        ]
    );
    // The symlinked item is not read at all.
    assert_eq!(result.items.len(), 3);
    let out = dir.join("dist");
    fs::create_dir_all(&out).unwrap();
    let written = write_site(&content, &result, &out).unwrap();
    let published: Vec<&String> = written
        .keys()
        .filter(|k| k.starts_with("content/cases/") && !k.ends_with(".json"))
        .collect();
    assert_eq!(published, ["content/cases/img/dot.png"]);
    assert!(!out.join("content/communities").exists());
    for name in ["x.png", "root", "page.html", "a.svg", "x.js", "fake.png"] {
        assert!(
            fs::symlink_metadata(out.join("content/cases/img").join(name)).is_err(),
            "{name} was published"
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}
