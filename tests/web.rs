//! DOM tests of components in headless Chromium (wasm-bindgen-test with chromedriver).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use portal::app::components::{FactBox, MarkdownView};
use portal::content::Figure;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.dyn_into().unwrap()
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
fn markdown_view_never_creates_script_or_event_handlers() {
    let root = container();
    let md = "# 标题\n\n<script>window.__pwned = 1</script>\n\n<img src=x onerror=\"window.__pwned=2\">\n\n[盘锦](case:panjin-2018)\n";
    // The same path as the app: the content tool renders the body, the view inserts it.
    let body = portal::content::rendered::RenderedBody::render(portal::content::Kind::Case, md);
    leptos::mount::mount_to(root.clone(), move || {
        view! { <MarkdownView html=body.html.clone() /> }
    })
    .forget();
    assert_eq!(root.query_selector_all("script").unwrap().length(), 0);
    assert_eq!(root.query_selector_all("img").unwrap().length(), 0);
    assert!(root.text_content().unwrap().contains("<script>"));
    let h1 = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(h1.id(), "标题");
    let link = root.query_selector("a").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").unwrap(), "/cases/panjin-2018");
}

#[wasm_bindgen_test]
fn fact_box_shows_values_with_units() {
    let root = container();
    let figures = vec![
        Figure {
            label: "党员".into(),
            value: 72258.0,
            unit: "名".into(),
            note: None,
        },
        Figure {
            label: "活动场所平均面积".into(),
            value: 508.4,
            unit: "平方米".into(),
            note: Some("党组织活动场所".into()),
        },
    ];
    leptos::mount::mount_to(root.clone(), move || {
        view! { <FactBox title="关键数据" figures=figures.clone() /> }
    })
    .forget();
    let numbers: Vec<String> = (0..2)
        .map(|i| {
            root.query_selector_all(".fact__number")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, ["72258", "508.4"]);
    assert!(root.text_content().unwrap().contains("平方米"));
    assert_eq!(
        root.query_selector("section")
            .unwrap()
            .unwrap()
            .get_attribute("aria-label")
            .unwrap(),
        "关键数据"
    );
}
