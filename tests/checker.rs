//! The checker against fixture directories: each `tests/fixtures/<kind>/` is a small content tree
//! with one kind of mistake, and `expected.txt` holds the exact messages it must produce.
//! The real `content/` must check clean.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use portal::check::{check, write_site, Severity};
use portal::content::{Details, Kind, Manifest};

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
        let result = check(&dir);
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
    assert!(checked_fixtures >= 15, "only {checked_fixtures} fixtures");
}

#[test]
fn the_valid_fixture_is_clean_and_builds_a_site() {
    let dir = Path::new("tests/fixtures/valid");
    let result = check(dir);
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
    assert!(out.join("content/cases/img/dot.svg").is_file());
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
    let result = check(Path::new("content"));
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
