//! Static pages: the content tool writes each route's page into its `index.html`, so a cold
//! visit on a slow phone shows the heading and the article before the WASM has loaded (issue 7,
//! load budget), a visitor without JavaScript can still read it, and a link shared in WeChat
//! shows the page's own title.
//!
//! The page is the app's own first render: the same `App` (or `TrainerApp`) the browser runs,
//! rendered natively by Leptos for the route's address (`crate::app::render`), with the content
//! handed in rather than fetched and a device with nothing stored. So the markup is the app's
//! (nothing moves when the app takes over: `crate::app::takeover` mounts it out of sight and
//! replaces `#prerender` once its page has content), controls that need the app are disabled
//! until it has mounted, and bodies are the very [`RenderedBody`] the app fetches (the core's
//! safe markdown renderer), so raw HTML in content comes out as text.

pub mod csp;

use std::collections::HashMap;
use std::sync::Arc;

use super::escape_html as esc;
use crate::app::components::TEXT_SIZES;
use crate::app::render::{render, Bundle};
use crate::app::storage::{PREFERENCE_PREFIX, RECORD_KEY, TASKS_KEY};
use crate::app::StaticContent;
use crate::content::rendered::RenderedBody;
use crate::content::{Kind, Manifest};

pub use crate::app::takeover::CONTAINER_ID;

/// Everything this module writes into a page lies between these two comments, so a page can be
/// prerendered again (the content tool run twice on one build) without doubling it.
const START: &str = "<!--prerender-->";
const END: &str = "<!--/prerender-->";

/// One of the app's own pages, whose content lives on this device (the learning record, the
/// tasks, the trainer's assignments) or in the address (a search, an assignment link). Its
/// static page is the app's frame: the header, the heading, the lead and a loading line.
pub struct AppPage {
    /// The route without its leading `/`.
    pub route: &'static str,
    /// The page's meta description, shown when a link to it is shared.
    pub description: &'static str,
}

/// The app's own pages (see [`AppPage`]).
pub const APP_PAGES: [AppPage; 5] = [
    AppPage {
        route: "search",
        description: "搜索案例、规范工作、典型社区和学习模块，支持简体、繁体和拼音。",
    },
    AppPage {
        route: "tasks",
        description: "培训组织者布置给你的学习任务：每项内容的进度、剩余天数和完成回执。",
    },
    AppPage {
        route: "record",
        description: "保存在本机的学习记录：已学内容、自测成绩和学习时间线，可导出备份。",
    },
    AppPage {
        route: "assignment",
        description: "培训组织者发来的学习任务：查看要学的内容和截止日期，接受后列入“我的任务”。",
    },
    AppPage {
        route: "trainer",
        description: "为社区工作者布置学习模块或单篇内容，发出链接或二维码，收回执后查看完成情况。",
    },
];

/// The static pages of one content tree.
pub struct Pages {
    content: Arc<StaticContent>,
}

/// A route's static page.
pub struct Page {
    /// The route with its leading `/`, compared with `location.pathname`.
    route: String,
    /// The page depends on its query string (list filters, compared communities): with one, the
    /// static page would show the wrong thing, so it is hidden until the app has mounted.
    query_matters: bool,
    /// The document title the app set for it.
    pub title: String,
    /// The app's markup: skip link, header, `<main>`, footer.
    html: String,
}

impl Pages {
    /// The pages of a manifest and its items' bodies as the build rendered them for the app
    /// (`site::write_site_with` renders each body once, for both).
    pub fn from_rendered(
        manifest: Manifest,
        bodies: HashMap<(Kind, String), Arc<RenderedBody>>,
    ) -> Pages {
        Pages {
            content: Arc::new(StaticContent {
                manifest: Arc::new(manifest),
                bodies,
            }),
        }
    }

    /// The pages of a manifest and the bodies of its items (front matter removed), rendered here
    /// as the build renders them.
    pub fn from_parts(manifest: Manifest, bodies: HashMap<(Kind, String), String>) -> Pages {
        let bodies = bodies
            .into_iter()
            .map(|((kind, id), text)| {
                let body = Arc::new(RenderedBody::render(kind, &text));
                ((kind, id), body)
            })
            .collect();
        Pages::from_rendered(manifest, bodies)
    }

    /// `html` (a page of the app shell) with the static page of `route` (`""` for home, `cases`,
    /// `cases/panjin-2018`, `communities/compare`) at the start of its body. Any earlier one is
    /// removed first; a route without one gets none.
    pub fn insert(&self, html: &str, route: &str) -> String {
        let html = strip(html);
        match self.page(route) {
            Some(page) => insert_block(&html, &page.block()),
            None => html,
        }
    }

    /// The markup inside `<main>` for a route, if the route has a static page.
    pub fn main(&self, route: &str) -> Option<String> {
        let page = self.page(route)?;
        let start = page.html.find("<main")?;
        let open = start + page.html[start..].find('>')? + 1;
        let close = page.html.rfind("</main>")?;
        Some(page.html[open..close].to_string())
    }

    /// The static page of a route: the home page, the app's own pages, the comparison, each
    /// list and each item; `None` for any other address.
    pub fn page(&self, route: &str) -> Option<Page> {
        let route = route.trim_matches('/');
        let manifest = &self.content.manifest;
        let (bundle, query_matters) = if route.is_empty() {
            (Bundle::Reader, false)
        } else if route == "trainer" {
            (Bundle::Trainer, false)
        } else if APP_PAGES.iter().any(|p| p.route == route) {
            // The frame is the same whatever the query (the search, the assignment's code).
            (Bundle::Reader, false)
        } else if route == "communities/compare" {
            (Bundle::Reader, true)
        } else {
            match route.split_once('/') {
                None => {
                    Kind::from_folder(route)?;
                    (Bundle::Reader, true)
                }
                Some((folder, id)) => {
                    manifest.item(Kind::from_folder(folder)?, id)?;
                    (Bundle::Reader, false)
                }
            }
        };
        let route = format!("/{route}");
        let rendered = render(&self.content, bundle, &route);
        Some(Page {
            route,
            query_matters,
            title: rendered.title,
            html: rendered.html,
        })
    }
}

impl Page {
    /// `html` (a page of the app shell) with this page at the start of its body, any earlier
    /// one removed first.
    pub fn insert_into(&self, html: &str) -> String {
        insert_block(&strip(html), &self.block())
    }

    /// What goes into the page's `<body>`: a style and a script that run before the page is
    /// painted, then the app's markup in the container the app replaces.
    fn block(&self) -> String {
        format!(
            "{START}{}<div id=\"{CONTAINER_ID}\" data-route=\"{}\"{}>{}</div>{END}",
            head_script(&self.route, self.query_matters),
            esc(&self.route),
            if self.query_matters {
                " data-query=\"exact\""
            } else {
                ""
            },
            self.html,
        )
    }
}

/// Before anything is painted: the remembered text size, theme and contrast (as the app's
/// `apply_saved` sets them, so the page does not change size when the app mounts); no read-aloud
/// button where the browser cannot speak; and the prerender hidden when the address is not the
/// page it was made for (the host served this file for another route, or a filter is in the
/// query), so the wrong page never flashes. For a returning learner the front page shows only
/// its greeting: the app puts their tasks and "继续学习" above the lists, which would push a
/// prerendered list down.
///
/// The page's route and whether its query matters are attributes of the script element, not
/// part of its text: the text is the same on every page, so one hash in the pages' policy
/// ([`csp`]) allows it everywhere. A copy of this element with other attributes (injected
/// markup) could at most hide the prerender. A browser without `document.currentScript` keeps
/// the prerender shown: the app's takeover checks the address again.
fn head_script(route: &str, query_matters: bool) -> String {
    const STYLE: &str = "<style>[data-prerender=off] #prerender,\
[data-speech=none] #prerender .read-aloud,\
[data-learner=returning] #prerender .hero~*{display:none}</style>";
    format!(
        "{STYLE}<script data-route=\"{}\"{}>{}</script>",
        esc(route),
        if query_matters { " data-query" } else { "" },
        head_script_text()
    )
}

/// The text of the script [`head_script`] writes into every static page: the same on every
/// page, with the storage keys and text sizes the app itself uses ([`RECORD_KEY`],
/// [`TASKS_KEY`], [`PREFERENCE_PREFIX`], [`TEXT_SIZES`]), so the two cannot drift.
fn head_script_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let sizes: Vec<String> = TEXT_SIZES.iter().map(|(n, _)| n.to_string()).collect();
        HEAD_SCRIPT
            .replace("{prefs}", PREFERENCE_PREFIX)
            .replace("{sizes}", &sizes.join("|"))
            .replace("{record}", RECORD_KEY)
            .replace("{tasks}", TASKS_KEY)
    })
}

/// [`head_script_text`] with its keys as `{placeholders}`.
const HEAD_SCRIPT: &str = r#"(function(d,s){
function get(k){try{return localStorage.getItem(k)}catch(e){return null}}
function pref(k){return get("{prefs}"+k)}
var z=pref("text-size");
d.setAttribute("style","--text-scale: "+(/^({sizes})$/.test(z)?z/100:1));
d.setAttribute("data-theme",pref("theme")||"auto");
d.setAttribute("data-contrast",pref("contrast")=="high"?"high":"normal");
if(!("speechSynthesis" in window))d.setAttribute("data-speech","none");
if(/"events":\s*\[\s*\{/.test(get("{record}")||"")||/[a-z0-9]/i.test(get("{tasks}")||""))d.setAttribute("data-learner","returning");
var p=location.pathname.replace(/\/+$/,"")||"/";
if(s&&(p!=s.getAttribute("data-route")||s.hasAttribute("data-query")&&location.search))d.setAttribute("data-prerender","off");
function early(e){if(e.key=="/"&&!e.ctrlKey&&!e.metaKey&&!e.altKey&&!/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName||"")){e.preventDefault();d.setAttribute("data-early-key","/")}}
addEventListener("keydown",early,true);
addEventListener("TrunkApplicationStarted",function(){removeEventListener("keydown",early,true)});
})(document.documentElement,document.currentScript)"#;

/// The page shell (`index.html` as Trunk wrote it) with the pages' Content-Security-Policy
/// and referrer policy at the start of its head. The policy allows the shell's own inline
/// scripts (Trunk's loader module) and the prerender's [`HEAD_SCRIPT`] by their hashes, so it
/// holds for every page made from this shell, with or without a prerender.
pub fn with_policy(shell: &str, policy: &str) -> String {
    csp::with_policy(&csp::strip(&strip(shell)), policy)
}

/// The one policy of every page: it allows the inline scripts of each shell (the reader's and
/// each other bundle's, whose Trunk loader names its own files) and the prerender's
/// [`HEAD_SCRIPT`], by their hashes.
pub fn policy_of_shells(shells: &[&str]) -> String {
    let stripped: Vec<String> = shells.iter().map(|s| csp::strip(&strip(s))).collect();
    let mut scripts: Vec<&str> = stripped
        .iter()
        .flat_map(|s| csp::inline_scripts(s))
        .collect();
    scripts.push(head_script_text());
    scripts.sort_unstable();
    scripts.dedup();
    csp::policy(&scripts)
}

/// `html` without an earlier prerender.
pub fn strip(html: &str) -> String {
    match (html.find(START), html.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &html[..start], &html[end + END.len()..])
        }
        _ => html.to_string(),
    }
}

/// `block` right after the `<body>` tag, so it comes before anything else in the body.
fn insert_block(html: &str, block: &str) -> String {
    let Some(at) = html
        .find("<body")
        .and_then(|b| html[b..].find('>').map(|e| b + e + 1))
    else {
        return html.to_string();
    };
    format!("{}{block}{}", &html[..at], &html[at..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{
        CaseStudy, Community, Details, Figure, Item, Module, Region, Source, Tag, Workflow,
        MANIFEST_VERSION,
    };
    use scraper::{Html, Selector};

    /// The elements `selector` finds in `html` (a fragment), as the browser parses them.
    fn select(html: &str, selector: &str) -> Vec<(String, Vec<(String, String)>)> {
        let doc = Html::parse_fragment(html);
        let sel = Selector::parse(selector).expect("a valid selector");
        doc.select(&sel)
            .map(|e| {
                let text = e.text().collect::<String>();
                let attrs = e
                    .value()
                    .attrs()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                (text, attrs)
            })
            .collect()
    }

    /// The text of every element `selector` finds.
    fn texts(html: &str, selector: &str) -> Vec<String> {
        select(html, selector).into_iter().map(|(t, _)| t).collect()
    }

    /// Whether an element `selector` finds has the attribute `name` (with `value`, if given).
    fn has_attr(html: &str, selector: &str, name: &str, value: Option<&str>) -> bool {
        select(html, selector).iter().any(|(_, attrs)| {
            attrs
                .iter()
                .any(|(k, v)| k == name && value.is_none_or(|want| v == want))
        })
    }

    const SHELL: &str = "<!doctype html><html lang=\"zh-CN\"><head><title>智慧党建学习平台</title></head>\n  <body>\n    <noscript>x</noscript>\n  </body>\n</html>";

    fn item(id: &str, title: &str, details: Details) -> Item {
        let kind = match details {
            Details::Case(_) => Kind::Case,
            Details::Workflow(_) => Kind::Workflow,
            Details::Community(_) => Kind::Community,
            Details::Module(_) => Kind::Module,
        };
        Item {
            id: id.into(),
            title: title.into(),
            summary: format!("{title}的摘要"),
            tags: vec!["grid".into()],
            updated: "2026-11-27".into(),
            sources: vec![Source {
                publisher: "人民网".into(),
                title: "来源".into(),
                date: "2018-11-02".into(),
                url: Some("https://example.org/a?x=1&y=\"2\"".into()),
            }],
            body: kind.rendered_path(id),
            details,
        }
    }

    fn region() -> Region {
        Region {
            province: "辽宁省".into(),
            city: Some("盘锦市".into()),
            ..Region::default()
        }
    }

    fn figure(label: &str, value: f64) -> Figure {
        Figure {
            label: label.into(),
            value,
            unit: "名".into(),
            note: None,
        }
    }

    fn pages() -> Pages {
        let items = vec![
            item(
                "panjin",
                "盘锦<经验>",
                Details::Case(CaseStudy {
                    region: region(),
                    date: "2018-11-02".into(),
                    figures: vec![figure("党员", 72258.0)],
                }),
            ),
            item(
                "older",
                "旧案例",
                Details::Case(CaseStudy {
                    region: region(),
                    date: "2010-01-01".into(),
                    figures: vec![],
                }),
            ),
            item("wf", "三会一课", Details::Workflow(Workflow { steps: 2 })),
            item(
                "hongfeng",
                "红枫社区",
                Details::Community(Community {
                    region: region(),
                    sample: true,
                    facts: vec![figure("户数", 6800.0)],
                }),
            ),
            item(
                "m",
                "入门模块",
                Details::Module(Module {
                    items: vec![
                        "case:panjin".parse().unwrap(),
                        "workflow:wf".parse().unwrap(),
                    ],
                    minutes: 30,
                    goals: vec!["了解<目标>".into()],
                    pass_mark: 80,
                    questions: 1,
                }),
            ),
        ];
        let bodies = [
            ((Kind::Case, "panjin"), "## 背景\n\n第一段，社工编制。\n\n第二段 & 结语。\n\n<script>alert('x')</script>\n\n见[流程](workflow:wf#确定议题)。\n"),
            ((Kind::Case, "older"), "旧的正文。\n"),
            ((Kind::Workflow, "wf"), "流程说明。\n\n## 确定议题\n\n- 责任人：支部书记\n- 时限：会前 3 天\n\n征求意见。\n\n## 召开会议\n\n- 责任人：全体党员\n\n按议程进行。\n"),
            ((Kind::Community, "hongfeng"), "社区简介。\n"),
            ((Kind::Module, "m"), "学习导引。\n\n## 自测题\n\n### 三会一课多久开一次支部委员会？\n题型：单选\n- [x] 每月\n- [ ] 每年\n解析：每月一次。\n出处：[三会一课](workflow:wf)\n"),
        ]
        .into_iter()
        .map(|((k, id), body)| ((k, id.to_string()), body.to_string()))
        .collect();
        Pages::from_parts(
            Manifest {
                version: MANIFEST_VERSION,
                tags: vec![Tag {
                    id: "grid".into(),
                    label: "网格化治理".into(),
                }],
                items,
            },
            bodies,
        )
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn escape_makes_hostile_text_inert_in_text_and_attributes() {
        assert_eq!(
            esc("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
        assert_eq!(
            esc("\" onmouseover='x' a=\"&amp;"),
            "&quot; onmouseover=&#39;x&#39; a=&quot;&amp;amp;"
        );
        assert_eq!(esc("普通文字 · 72258"), "普通文字 · 72258");
    }

    #[test]
    fn a_case_page_has_its_title_figures_body_and_sources() {
        let main = pages().main("cases/panjin").unwrap();
        assert_eq!(texts(&main, "h1"), ["盘锦<经验>"], "{main}");
        assert!(main.contains("盘锦&lt;经验&gt;"), "{main}");
        assert_eq!(
            texts(&main, ".prose p")[..2],
            ["第一段，社工编制。", "第二段 & 结语。"],
            "{main}"
        );
        assert!(has_attr(&main, ".prose h2", "id", Some("背景")), "{main}");
        assert_eq!(texts(&main, ".fact__number"), ["72258"], "{main}");
        assert_eq!(
            texts(&main, ".doc-meta span"),
            ["辽宁省 盘锦市", "2018-11-02", "更新于 2026-11-27"],
            "{main}"
        );
        assert_eq!(texts(&main, ".tag"), ["网格化治理"], "{main}");
        // An internal reference becomes a plain link to the real route.
        assert!(
            main.contains("href=\"/workflows/wf#%E7%A1%AE%E5%AE%9A%E8%AE%AE%E9%A2%98\""),
            "{main}"
        );
        assert!(
            has_attr(
                &main,
                ".sources a[rel=\"noopener noreferrer\"][target=_blank]",
                "href",
                Some("https://example.org/a?x=1&y=\"2\"")
            ),
            "{main}"
        );
        assert_eq!(texts(&main, ".sources a"), ["《来源》"], "{main}");
        // Before the app runs, read-aloud is there but disabled (the head script hides it where
        // the browser cannot speak).
        assert!(
            has_attr(&main, ".read-aloud button", "disabled", None),
            "{main}"
        );
    }

    #[test]
    fn a_script_in_content_comes_out_as_text() {
        let main = pages().main("cases/panjin").unwrap();
        assert!(!main.contains("<script"), "{main}");
        assert!(main.contains("&lt;script&gt;"), "{main}");
        let html = pages().insert(SHELL, "cases/panjin");
        // The only script is the page's own one, before the container.
        assert_eq!(count(&html, "<script"), 1, "{html}");
        assert!(html.find("<script").unwrap() < html.find("id=\"prerender\"").unwrap());
    }

    #[test]
    fn a_workflow_page_is_a_checklist_without_ticks_and_with_its_boxes_disabled() {
        let main = pages().main("workflows/wf").unwrap();
        assert_eq!(select(&main, "li.step").len(), 2, "{main}");
        assert!(has_attr(&main, "li.step", "id", Some("确定议题")), "{main}");
        let boxes = select(&main, "li.step input[type=checkbox]");
        assert_eq!(boxes.len(), 2, "{main}");
        assert!(
            boxes
                .iter()
                .all(|(_, a)| a.iter().any(|(k, _)| k == "disabled")
                    && !a.iter().any(|(k, _)| k == "checked")),
            "{main}"
        );
        assert!(
            has_attr(&main, "li.step input", "id", Some("step-1")),
            "{main}"
        );
        assert!(
            texts(&main, "dd").contains(&"会前 3 天".to_string()),
            "{main}"
        );
        assert_eq!(
            texts(&main, ".checklist__count"),
            ["已完成 0 / 2 步"],
            "{main}"
        );
        assert!(
            texts(&main, ".prose p").contains(&"流程说明。".to_string()),
            "{main}"
        );
        assert_eq!(texts(&main, "#sources-heading"), ["依据"], "{main}");
        assert!(
            has_attr(&main, ".checklist__head button", "disabled", None),
            "{main}"
        );
    }

    #[test]
    fn a_module_page_has_its_outline_and_a_quiz_without_answers() {
        let main = pages().main("modules/m").unwrap();
        assert_eq!(
            texts(&main, ".module-progress p"),
            ["已完成 0 / 2 项内容"],
            "{main}"
        );
        assert!(
            has_attr(
                &main,
                ".module-progress a.button",
                "href",
                Some("/cases/panjin")
            ),
            "{main}"
        );
        assert_eq!(texts(&main, ".goals li"), ["了解<目标>"], "{main}");
        assert!(
            has_attr(&main, ".module-items a", "href", Some("/workflows/wf")),
            "{main}"
        );
        assert!(main.contains("三会一课多久开一次支部委员会？"), "{main}");
        assert!(
            texts(&main, ".choice span").contains(&"A. 每月".to_string()),
            "{main}"
        );
        assert_eq!(select(&main, "li.question").len(), 1);
        // Nothing gives the answer away before the learner submits, and nothing can be chosen
        // before the app runs.
        assert!(
            !main.contains("checked") && !main.contains("解析"),
            "{main}"
        );
        assert!(
            select(&main, ".question input")
                .iter()
                .all(|(_, a)| a.iter().any(|(k, _)| k == "disabled")),
            "{main}"
        );
        assert_eq!(
            texts(&main, ".quiz > button[disabled]"),
            ["提交答案"],
            "{main}"
        );
    }

    #[test]
    fn a_sample_community_is_marked_and_links_to_the_comparison() {
        let main = pages().main("communities/hongfeng").unwrap();
        assert_eq!(texts(&main, "h1 .badge--sample"), ["示例"], "{main}");
        assert!(main.contains("role=\"note\""), "{main}");
        assert!(
            main.contains("href=\"/communities/compare?ids=hongfeng\""),
            "{main}"
        );
    }

    #[test]
    fn lists_and_home_link_every_title() {
        let p = pages();
        let cases = p.main("cases").unwrap();
        assert_eq!(texts(&cases, "h1"), ["他山之石"], "{cases}");
        // Newest practice first, as the app sorts.
        let (new, old) = (
            cases.find("/cases/panjin").unwrap(),
            cases.find("/cases/older").unwrap(),
        );
        assert!(new < old, "{cases}");
        assert_eq!(texts(&cases, ".result-count"), ["共 2 篇"], "{cases}");
        assert!(
            has_attr(&cases, "a.chip", "href", Some("/cases?tag=grid")),
            "{cases}"
        );
        assert!(
            has_attr(&cases, ".select select", "disabled", None),
            "{cases}"
        );
        let home = p.main("").unwrap();
        assert_eq!(texts(&home, "h1"), ["智慧党建学习平台"], "{home}");
        assert!(
            has_attr(&home, ".card__title a", "href", Some("/modules/m")),
            "{home}"
        );
        assert!(
            texts(&home, ".section-card__count").contains(&"2 篇".to_string()),
            "{home}"
        );
        let compare = p.main("communities/compare").unwrap();
        assert_eq!(texts(&compare, "h1"), ["社区数据对比"]);
        assert!(compare.contains("红枫社区"));
        assert!(
            select(&compare, ".picker input")
                .iter()
                .all(|(_, a)| a.iter().any(|(k, _)| k == "disabled")),
            "{compare}"
        );
    }

    #[test]
    fn unknown_routes_have_no_prerender() {
        let p = pages();
        assert!(p.main("cases/nope").is_none());
        assert!(p.main("nope").is_none());
        assert!(p.main("nope/x").is_none());
        assert!(p.main("record/x").is_none());
        assert_eq!(p.insert(SHELL, "nope"), SHELL);
    }

    #[test]
    fn an_app_page_is_its_frame_until_the_device_can_be_read() {
        let p = pages();
        for (route, title) in [
            ("record", "学习档案"),
            ("tasks", "我的任务"),
            ("assignment", "学习任务"),
            ("trainer", "培训管理"),
        ] {
            let main = p.main(route).unwrap();
            assert_eq!(texts(&main, "h1"), [title], "{main}");
            assert_eq!(texts(&main, ".loading"), ["正在加载…"], "{route}: {main}");
            assert_eq!(
                p.page(route).unwrap().title,
                format!("{title} · 智慧党建学习平台")
            );
        }
        assert!(texts(&p.main("trainer").unwrap(), "p")[0].starts_with("为社区工作者"));
        assert_eq!(p.page("search").unwrap().title, "搜索 · 智慧党建学习平台");
        assert_eq!(p.page("").unwrap().title, "智慧党建学习平台");
        assert_eq!(
            p.page("cases/panjin").unwrap().title,
            "盘锦<经验> · 智慧党建学习平台"
        );
    }

    #[test]
    fn the_header_search_and_settings_wait_for_the_app() {
        let html = pages().insert(SHELL, "cases");
        assert!(has_attr(&html, "#site-search", "disabled", None), "{html}");
        assert!(
            has_attr(&html, "details.display-settings", "inert", None),
            "{html}"
        );
    }

    #[test]
    fn the_block_goes_first_in_the_body_once_however_often_it_is_inserted() {
        let p = pages();
        let once = p.insert(SHELL, "cases/panjin");
        let twice = p.insert(&once, "cases/panjin");
        assert_eq!(once, twice);
        assert_eq!(count(&once, "id=\"prerender\""), 1);
        assert!(once.contains("<body><!--prerender-->"), "{once}");
        assert!(once.find("id=\"prerender\"").unwrap() < once.find("<noscript>").unwrap());
        assert_eq!(strip(&once), SHELL);
        // A page of another route replaces the earlier prerender.
        let other = p.insert(&once, "workflows/wf");
        assert_eq!(count(&other, "id=\"prerender\""), 1);
        assert!(other.contains("data-route=\"/workflows/wf\""));
    }

    #[test]
    fn the_page_marks_its_route_and_whether_the_query_matters() {
        let p = pages();
        let item = p.insert(SHELL, "cases/panjin");
        assert!(
            item.contains("<script data-route=\"/cases/panjin\">(function(d,s){"),
            "{item}"
        );
        assert!(
            has_attr(
                &item,
                ".site-nav a[href=\"/cases\"]",
                "aria-current",
                Some("page")
            ),
            "{item}"
        );
        let list = p.insert(SHELL, "cases");
        assert!(
            list.contains("<script data-route=\"/cases\" data-query>(function(d,s){"),
            "{list}"
        );
        assert!(list.contains("data-query=\"exact\""));
        let home = p.insert(SHELL, "");
        assert!(home.contains("data-route=\"/\""), "{home}");
        assert!(
            has_attr(&home, "a.brand", "aria-current", Some("page")),
            "{home}"
        );
        assert!(
            !has_attr(&home, ".site-nav a[href=\"/cases\"]", "aria-current", None),
            "{home}"
        );
    }

    #[test]
    fn every_page_runs_the_same_script_text_which_the_policy_allows() {
        let p = pages();
        let shell = with_policy(SHELL, &policy_of_shells(&[SHELL]));
        let policy = csp::policy_of(&shell).expect("the shell carries a policy");
        let mut texts = Vec::new();
        for route in [
            "",
            "cases",
            "cases/panjin",
            "workflows/wf",
            "record",
            "communities/compare",
        ] {
            let html = p.insert(&shell, route);
            assert_eq!(
                csp::policy_of(&html).as_deref(),
                Some(policy.as_str()),
                "{route}"
            );
            for text in csp::inline_scripts(&html) {
                assert!(policy.contains(&csp::script_hash(text)), "{route}: {text}");
                texts.push(text.to_string());
            }
        }
        texts.dedup();
        assert_eq!(texts, [head_script_text()]);
        // The shell's own inline scripts are allowed too, and a second pass changes nothing.
        let trunk = SHELL.replace(
            "</head>",
            "<script type=\"module\">\nimport init from '/portal-1.js';\n</script></head>",
        );
        let policy = policy_of_shells(&[&trunk]);
        let secured = with_policy(&trunk, &policy);
        assert_eq!(csp::policy_of(&secured).as_deref(), Some(policy.as_str()));
        assert!(policy.contains(&csp::script_hash("\nimport init from '/portal-1.js';\n")));
        assert_eq!(policy.matches("'sha256-").count(), 2, "{policy}");
        assert_eq!(with_policy(&p.insert(&secured, "cases"), &policy), secured);
        // Another bundle's shell (the trainer's loader names its own files): one policy allows
        // both loaders, so every page of the site carries the same one.
        let trainer = SHELL.replace(
            "</head>",
            "<script type=\"module\">\nimport init from '/trainer/trainer-1.js';\n</script></head>",
        );
        let both = policy_of_shells(&[&trunk, &trainer, &trunk]);
        assert_eq!(both.matches("'sha256-").count(), 3, "{both}");
        assert!(both.contains(&csp::script_hash(
            "\nimport init from '/trainer/trainer-1.js';\n"
        )));
    }

    #[test]
    fn the_head_script_reads_the_keys_and_sizes_the_app_uses() {
        let text = head_script_text();
        for placeholder in ["{prefs}", "{sizes}", "{record}", "{tasks}"] {
            assert!(!text.contains(placeholder), "{text}");
        }
        assert!(
            text.contains(&format!("get(\"{PREFERENCE_PREFIX}\"+k)")),
            "{text}"
        );
        assert!(text.contains("/^(100|115|130|150)$/"), "{text}");
        assert!(text.contains(&format!("get(\"{RECORD_KEY}\")")), "{text}");
        assert!(text.contains(&format!("get(\"{TASKS_KEY}\")")), "{text}");
    }
}
