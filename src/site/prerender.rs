//! Prerendered pages: the content tool writes each page's markup into its route's `index.html`,
//! so a cold visit on a slow phone shows the heading and the article before the WASM has loaded
//! (issue 7, load budget), and a visitor without JavaScript can still read it.
//!
//! The markup mirrors what the app renders (the same elements and CSS classes, in the state of an
//! empty learning record), so nothing moves when the app takes over (`crate::app::takeover` in
//! the browser: the app mounts out of sight and replaces `#prerender` once its page has content).
//! Controls that need the app are rendered disabled; links are plain links to real routes. Every
//! text is escaped here, and bodies are the very [`RenderedBody`] the app fetches (the core's safe
//! markdown renderer, run by the content tool), so raw HTML in content comes out as text.

pub mod csp;

use std::collections::HashMap;

use super::{escape_html as esc, Checked};
use crate::content::quiz::QuestionKind;
use crate::content::rendered::RenderedBody;
use crate::content::{Details, Figure, Item, Kind, Manifest, Source};
use crate::progress::{ItemState, Next, Progress};

/// The site's name, as the app's header shows it.
pub const SITE_NAME: &str = "智慧党建学习平台";
/// The id of the element that holds the prerendered page; the app replaces it.
pub const CONTAINER_ID: &str = "prerender";

/// Everything this module writes into a page lies between these two comments, so a page can be
/// prerendered again (the content tool run twice on one build) without doubling it.
const START: &str = "<!--prerender-->";
const END: &str = "<!--/prerender-->";

/// One of the app's own pages (see [`APP_PAGES`]).
pub struct AppPage {
    /// The route without its leading `/`.
    pub route: &'static str,
    pub title: &'static str,
    /// The page's meta description, shown when a link to it is shared.
    pub description: &'static str,
    /// The paragraph the app shows under the heading, or `""`.
    pub lead: &'static str,
}

/// The app's own pages, whose content lives on this device (the learning record, the tasks, the
/// trainer's assignments) or in the address (a search, an assignment link). Their prerender is
/// the frame: the header, the heading, the lead and a loading line. A link to one shared in WeChat
/// then has its real title, it opens on any static host, and its heading shows before the WASM.
pub const APP_PAGES: [AppPage; 5] = [
    AppPage {
        route: "search",
        title: "搜索",
        description: "搜索案例、规范工作、典型社区和学习模块，支持简体、繁体和拼音。",
        lead: "",
    },
    AppPage {
        route: "tasks",
        title: "我的任务",
        description: "培训组织者布置给你的学习任务：每项内容的进度、剩余天数和完成回执。",
        lead: "",
    },
    AppPage {
        route: "record",
        title: "学习档案",
        description: "保存在本机的学习记录：已学内容、自测成绩和学习时间线，可导出备份。",
        lead: "",
    },
    AppPage {
        route: "assignment",
        title: "学习任务",
        description: "培训组织者发来的学习任务：查看要学的内容和截止日期，接受后列入“我的任务”。",
        lead: "",
    },
    AppPage {
        route: "trainer",
        title: "培训管理",
        description: "为社区工作者布置学习模块或单篇内容，发出链接或二维码，收回执后查看完成情况。",
        lead: "为社区工作者布置学习模块或单篇内容，发出链接或二维码；收回执后在下表查看完成情况。数据只保存在本机。",
    },
];

/// The prerendered pages of one content tree.
pub struct Pages {
    manifest: Manifest,
    bodies: HashMap<(Kind, String), String>,
}

/// A page's markup and the address it is valid for.
struct Page {
    /// The route with its leading `/`, compared with `location.pathname`.
    route: String,
    /// The page depends on its query string (list filters, compared communities): with one, the
    /// prerender would show the wrong thing, so it is hidden until the app has mounted.
    query_matters: bool,
    main: String,
}

impl Pages {
    /// The pages of the valid items of a check.
    pub fn new(checked: &Checked) -> Pages {
        let bodies = checked
            .items
            .iter()
            .filter_map(|p| {
                let item = p.item.as_ref()?;
                Some(((p.kind, item.id.clone()), p.body.clone()))
            })
            .collect();
        Pages::from_parts(checked.manifest(), bodies)
    }

    /// The pages of a manifest and the bodies of its items (front matter removed).
    pub fn from_parts(manifest: Manifest, bodies: HashMap<(Kind, String), String>) -> Pages {
        Pages { manifest, bodies }
    }

    /// `html` (a page of the app shell) with the prerender of `route` (`""` for home, `cases`,
    /// `cases/panjin-2018`, `communities/compare`) at the start of its body. Any earlier
    /// prerender is removed first; a route without one gets none.
    pub fn insert(&self, html: &str, route: &str) -> String {
        let html = strip(html);
        match self.page(route) {
            Some(page) => insert_block(&html, &page.block()),
            None => html,
        }
    }

    /// The markup inside `<main>` for a route, if the route has a prerender.
    pub fn main(&self, route: &str) -> Option<String> {
        self.page(route).map(|p| p.main)
    }

    fn page(&self, route: &str) -> Option<Page> {
        let route = route.trim_matches('/');
        let (main, query_matters) = if route.is_empty() {
            (self.home(), false)
        } else if let Some(page) = APP_PAGES.iter().find(|p| p.route == route) {
            // The frame is the same whatever the query (the search, the assignment's code).
            (app_frame(page.title, page.lead), false)
        } else if route == "communities/compare" {
            (self.compare(), true)
        } else {
            match route.split_once('/') {
                None => (self.list(Kind::from_folder(route)?), true),
                Some((folder, id)) => {
                    let kind = Kind::from_folder(folder)?;
                    let item = self.manifest.item(kind, id)?;
                    let body = self.bodies.get(&(kind, id.to_string()));
                    (self.item(item, body.map_or("", String::as_str)), false)
                }
            }
        };
        Some(Page {
            route: format!("/{route}"),
            query_matters,
            main,
        })
    }

    /// The front page (`HomePage`): what the portal offers, the modules and the newest cases.
    fn home(&self) -> String {
        let m = &self.manifest;
        let mut out = format!(
            "<section class=\"hero\"><h1>{}</h1><p class=\"hero__lead\">{}</p></section>",
            esc(SITE_NAME),
            esc("从“面对面”到“键对键”：学习各地城市基层党建的经验，对照规范把工作做细，看看身边的典型社区。")
        );
        out.push_str("<nav class=\"sections\" aria-label=\"内容分类\">");
        for k in Kind::ALL {
            let blurb = match k {
                Kind::Case => "各地破解难题的做法、数据与出处",
                Kind::Workflow => "逐步对照、逐项打勾的工作规范",
                Kind::Community => "典型社区的概况与数据对比",
                Kind::Module => "按主题编排的课程与自测题",
            };
            out.push_str(&format!(
                "<a href=\"/{}\" class=\"section-card\"><span class=\"section-card__title\">{}</span><span class=\"section-card__count\">{} 篇</span><span class=\"section-card__blurb\">{}</span></a>",
                k.folder(),
                esc(k.label()),
                m.items_of(k).count(),
                esc(blurb)
            ));
        }
        out.push_str("</nav>");
        out.push_str("<section aria-labelledby=\"modules-heading\"><h2 id=\"modules-heading\">学习模块</h2><div class=\"card-grid\">");
        for item in m.items_of(Kind::Module) {
            out.push_str(&self.card(item));
        }
        out.push_str("</div></section>");
        out.push_str("<section aria-labelledby=\"cases-heading\"><h2 id=\"cases-heading\">他山之石</h2><div class=\"card-grid\">");
        let mut cases: Vec<&Item> = m.items_of(Kind::Case).collect();
        cases.sort_by(|a, b| b.practice_date().cmp(a.practice_date()));
        for item in cases.into_iter().take(4) {
            out.push_str(&self.card(item));
        }
        out.push_str("</div><p class=\"more\"><a href=\"/cases\">查看全部案例</a></p></section>");
        out
    }

    /// A list page (`ListPage`) without filters: the tag chips, the region choice and every item.
    fn list(&self, kind: Kind) -> String {
        let m = &self.manifest;
        let items: Vec<&Item> = m.items_of(kind).collect();
        let tags = m.tags_of(kind);
        let regions = m.regions_of(kind);
        let base = format!("/{}", kind.folder());

        let mut out = format!("<h1>{}</h1>", esc(kind.label()));
        out.push_str("<div class=\"filters\" role=\"group\" aria-label=\"筛选\"><ul class=\"chips\" aria-label=\"按标签筛选\">");
        out.push_str(&format!(
            "<li><a href=\"{base}\" class=\"chip\" aria-current=\"true\">全部</a></li>"
        ));
        for t in &tags {
            out.push_str(&format!(
                "<li><a href=\"{}\" class=\"chip\">{}</a></li>",
                esc(&format!("{base}?tag={}", encode_uri_component(t))),
                esc(m.tag_label(t))
            ));
        }
        out.push_str("</ul>");
        if !regions.is_empty() {
            out.push_str("<label class=\"select\"><span>地区</span><select disabled><option value=\"\">全部地区</option>");
            for r in &regions {
                let r = esc(r);
                out.push_str(&format!("<option value=\"{r}\">{r}</option>"));
            }
            out.push_str("</select></label>");
        }
        if kind == Kind::Community {
            out.push_str(
                "<a href=\"/communities/compare\" class=\"button button--ghost\">对比社区数据</a>",
            );
        }
        out.push_str("</div>");
        let mut shown = items;
        if kind == Kind::Case {
            shown.sort_by_key(|i| std::cmp::Reverse((i.practice_date(), i.id.as_str())));
        }
        if shown.is_empty() {
            out.push_str(&format!(
                "<p class=\"empty\">没有符合条件的内容。<a href=\"{base}\">清除筛选</a></p>"
            ));
        } else {
            out.push_str(&format!(
                "<p class=\"result-count\" aria-live=\"polite\">共 {} 篇</p><div class=\"card-grid\">",
                shown.len()
            ));
            for item in shown {
                out.push_str(&self.card(item));
            }
            out.push_str("</div>");
        }
        out
    }

    /// Facts as the app shows them: one `<span>` each (a span never breaks), joined with " · ".
    fn meta_spans(parts: &[String]) -> String {
        parts
            .iter()
            .map(|p| format!("<span>{}</span>", esc(p)))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// One item in a list (`ItemCard`), not started.
    fn card(&self, item: &Item) -> String {
        let kind = item.kind();
        let meta = Self::meta_spans(&item.card_meta());
        format!(
            "<article class=\"card\"><p class=\"card__kind\"><span class=\"badge badge--{}\">{}</span>{}</p><h3 class=\"card__title\"><a href=\"{}\">{}</a></h3><p class=\"card__summary\">{}</p><p class=\"card__meta\">{}</p>{}</article>",
            kind.key(),
            esc(kind.noun()),
            if item.is_sample() { "<span class=\"badge badge--sample\">示例</span>" } else { "" },
            esc(&item.route()),
            esc(&item.title),
            esc(&item.summary),
            meta,
            tag_list(&self.manifest.tag_labels(item))
        )
    }

    /// The comparison page (`ComparePage`) with nothing chosen yet.
    fn compare(&self) -> String {
        let mut out = String::from(
            "<p class=\"breadcrumb\"><a href=\"/communities\" aria-current=\"page\">身边典型</a></p><h1>社区数据对比</h1><p>选择 2 至 4 个社区，按同名指标逐项对比。</p><fieldset class=\"picker\"><legend>选择社区</legend><ul>",
        );
        for item in self.manifest.items_of(Kind::Community) {
            out.push_str(&format!(
                "<li><label class=\"check\"><input type=\"checkbox\" disabled><span>{}</span>{}</label></li>",
                esc(&item.title),
                if item.is_sample() { "<span class=\"badge badge--sample\">示例</span>" } else { "" }
            ));
        }
        out.push_str("</ul></fieldset><p class=\"empty\">请至少选择 2 个社区。</p>");
        out
    }

    /// An item's page (`ItemView`): header, fact box or outline, the body as its kind shows it,
    /// and the sources.
    fn item(&self, item: &Item, body: &str) -> String {
        let kind = item.kind();
        let meta = Self::meta_spans(&item.header_meta());
        let sample = item.is_sample();
        let mut out = format!("<article class=\"doc doc--{}\">", kind.key());
        out.push_str(&format!(
            "<header class=\"doc-header\"><p class=\"breadcrumb\"><a href=\"/{}\" aria-current=\"page\">{}</a></p><h1>{}{}</h1><p class=\"doc-meta\">{}<span class=\"doc-meta__updated\">更新于 {}</span></p><p class=\"doc-summary\">{}</p>{}",
            kind.folder(),
            esc(kind.label()),
            esc(&item.title),
            if sample { " <span class=\"badge badge--sample\">示例</span>" } else { "" },
            meta,
            esc(&item.updated),
            esc(&item.summary),
            tag_list(&self.manifest.tag_labels(item)),
        ));
        // Hidden by the page's script where the browser cannot speak, as the app omits it there.
        out.push_str("<div class=\"read-aloud no-print\" role=\"group\" aria-label=\"朗读\"><button type=\"button\" class=\"button button--ghost\" disabled>朗读全文</button></div></header>");
        match &item.details {
            Details::Case(c) if !c.figures.is_empty() => {
                out.push_str(&fact_box("关键数据", &c.figures));
            }
            Details::Community(c) => {
                if sample {
                    out.push_str("<p class=\"notice\" role=\"note\">这是一个说明用的示例社区，不是真实地点，数据为虚构，仅供参考和对比练习。</p>");
                }
                out.push_str(&fact_box("社区数据", &c.facts));
                out.push_str(&format!(
                    "<p><a href=\"{}\" class=\"button button--ghost\">与其他社区对比</a></p>",
                    esc(&format!("/communities/compare?ids={}", item.id))
                ));
            }
            Details::Module(m) => out.push_str(&self.module_outline(item, m)),
            _ => {}
        }
        let pass_mark = match &item.details {
            Details::Module(m) => m.pass_mark,
            _ => 80,
        };
        out.push_str(&render_body(kind, body, pass_mark));
        // The app's read marker takes the same 1 px; it is the app's alone (reaching it records
        // the item as read), so the prerender's spacer does not carry its class.
        out.push_str("<div style=\"height:1px\"></div><p class=\"read-done\" role=\"status\"></p>");
        let heading = if kind == Kind::Workflow {
            "依据"
        } else {
            "资料来源"
        };
        out.push_str(&source_list(&item.sources, heading));
        out.push_str("</article>");
        out
    }

    /// A module's progress (of an empty record), goals and items (`ModuleOutline`).
    fn module_outline(&self, item: &Item, module: &crate::content::Module) -> String {
        let mut out = String::from("<section class=\"module-outline\">");
        if let Some(p) = Progress::new().module_progress(&self.manifest, &item.reference()) {
            let percent = p.percent();
            out.push_str(&format!(
                "<div class=\"module-progress\"><p>已完成 {} / {} 项内容{}</p><progress max=\"100\" value=\"{percent}\" aria-label=\"模块学习进度\">{percent}%</progress>",
                p.completed,
                p.total,
                if p.quiz.passed { "，自测已通过" } else { "" }
            ));
            match &p.next {
                Next::Item(r) => out.push_str(&format!(
                    "<a href=\"{}\" class=\"button\">继续学习</a>",
                    esc(&r.href())
                )),
                Next::Quiz => out.push_str("<a href=\"#quiz\" class=\"button\">去做自测题</a>"),
                Next::Done => {
                    out.push_str("<p class=\"module-progress__done\">本模块已全部完成</p>")
                }
            }
            out.push_str("</div>");
        }
        out.push_str("<h2>学习目标</h2><ul class=\"goals\">");
        for g in &module.goals {
            out.push_str(&format!("<li>{}</li>", esc(g)));
        }
        out.push_str("</ul><h2 id=\"module-items\">学习内容</h2><ol class=\"module-items\" aria-labelledby=\"module-items\">");
        for r in &module.items {
            let title = self
                .manifest
                .resolve(r)
                .map_or_else(|| r.to_string(), |i| i.title.clone());
            out.push_str(&format!(
                "<li><span class=\"badge badge--{}\">{}</span> <a href=\"{}\">{}</a> <span class=\"state state--none\">{}</span></li>",
                r.kind.key(),
                esc(r.kind.noun()),
                esc(&r.href()),
                esc(&title),
                esc(ItemState::NotStarted.label())
            ));
        }
        out.push_str("</ol></section>");
        out
    }
}

impl Page {
    /// What goes into the page's `<body>`: a style and a script that run before the prerender
    /// is painted, then the prerender itself (the app's header, `<main>` and footer).
    fn block(&self) -> String {
        format!(
            "{START}{}<div id=\"{CONTAINER_ID}\" data-route=\"{}\"{}>{}<main id=\"main\" class=\"site-main\" tabindex=\"-1\">{}</main>{}</div>{END}",
            head_script(&self.route, self.query_matters),
            esc(&self.route),
            if self.query_matters { " data-query=\"exact\"" } else { "" },
            site_header(&self.route),
            self.main,
            SITE_FOOTER
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
        "{STYLE}<script data-route=\"{}\"{}>{HEAD_SCRIPT}</script>",
        esc(route),
        if query_matters { " data-query" } else { "" }
    )
}

/// The text of the script [`head_script`] writes into every prerendered page.
const HEAD_SCRIPT: &str = r#"(function(d,s){
function get(k){try{return localStorage.getItem(k)}catch(e){return null}}
function pref(k){return get("dangjian.pref."+k)}
var z=pref("text-size");
d.setAttribute("style","--text-scale: "+(/^(100|115|130|150)$/.test(z)?z/100:1));
d.setAttribute("data-theme",pref("theme")||"auto");
d.setAttribute("data-contrast",pref("contrast")=="high"?"high":"normal");
if(!("speechSynthesis" in window))d.setAttribute("data-speech","none");
if(/"events":\s*\[\s*\{/.test(get("dangjian.record")||"")||/[a-z0-9]/i.test(get("dangjian.tasks")||""))d.setAttribute("data-learner","returning");
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
    scripts.push(HEAD_SCRIPT);
    scripts.sort_unstable();
    scripts.dedup();
    csp::policy(&scripts)
}

/// The app's header (`App`): brand, navigation with the current section marked, and the search
/// box and display settings, which only work once the app has mounted.
fn site_header(route: &str) -> String {
    let current = |href: &str| {
        if route == href || route.starts_with(&format!("{href}/")) {
            " aria-current=\"page\""
        } else {
            ""
        }
    };
    let mut out = format!(
        "<a class=\"skip-link\" href=\"#main\">跳到正文</a><header class=\"site-header\"><div class=\"site-header__inner\"><a href=\"/\" class=\"brand\"{}><span class=\"brand__mark\" aria-hidden=\"true\">党</span><span class=\"brand__name\">{}</span></a><nav class=\"site-nav\" aria-label=\"主导航\">",
        if route == "/" { " aria-current=\"page\"" } else { "" },
        esc(SITE_NAME)
    );
    let links = Kind::ALL
        .into_iter()
        .map(|k| (format!("/{}", k.folder()), k.label()))
        .chain([
            ("/tasks".to_string(), "我的任务"),
            ("/record".to_string(), "学习档案"),
            ("/trainer".to_string(), "培训管理"),
        ]);
    for (href, label) in links {
        out.push_str(&format!(
            "<a href=\"{href}\"{}>{}</a>",
            current(&href),
            esc(label)
        ));
    }
    out.push_str("</nav><form class=\"search-box\" role=\"search\"><label class=\"visually-hidden\" for=\"site-search\">搜索内容</label><input id=\"site-search\" type=\"search\" placeholder=\"搜索案例、流程、社区（按 / 键）\" autocomplete=\"off\" enterkeyhint=\"search\" disabled></form>");
    // `inert`: a click must not open an empty panel that the app's closed one then replaces.
    out.push_str("<details class=\"display-settings\" inert><summary>显示设置</summary></details></div></header>");
    out
}

/// An app page before the app has mounted: its heading, its lead paragraph and the loading line
/// the app itself shows while it reads the manifest (`WithManifest`).
fn app_frame(title: &str, lead: &str) -> String {
    let lead = if lead.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", esc(lead))
    };
    format!(
        "<h1>{}</h1>{lead}<p class=\"loading\" aria-live=\"polite\">正在加载…</p>",
        esc(title)
    )
}

const SITE_FOOTER: &str = "<footer class=\"site-footer\"><p>智慧党建学习平台 · 从“面对面”到“键对键”</p><p class=\"site-footer__note\">学习记录只保存在本机浏览器中。内容均注明出处；标注“示例”的社区为说明用的虚构示例。</p></footer>";

/// The body as each kind shows it (`render_body`): a workflow's steps as a checklist with no
/// ticks, a module's guide and its quiz without answers, otherwise the article.
fn render_body(kind: Kind, text: &str, pass_mark: u8) -> String {
    let body = RenderedBody::render(kind, text);
    match kind {
        Kind::Workflow => {
            let mut out = prose(&body.html);
            out.push_str("<section class=\"checklist\" aria-labelledby=\"steps-heading\"><div class=\"print-form print-only\" aria-hidden=\"true\"><p class=\"print-form__title\">工作台账</p><table class=\"print-form__fields\"><tr><th>日期</th><td></td><th>地点</th><td></td></tr><tr><th>主持人</th><td></td><th>记录人</th><td></td></tr><tr><th>参加人员</th><td colspan=\"3\"></td></tr></table></div>");
            out.push_str(&format!(
                "<div class=\"checklist__head\"><h2 id=\"steps-heading\">工作步骤</h2><button type=\"button\" class=\"button button--ghost no-print\" disabled>打印台账</button><p class=\"checklist__count\" aria-live=\"polite\">已完成 0 / {} 步</p></div><ol class=\"steps\">",
                body.steps.len()
            ));
            for (i, step) in body.steps.iter().enumerate() {
                let n = i + 1;
                out.push_str(&format!(
                    "<li class=\"step\" id=\"{}\"><div class=\"step__title\"><input type=\"checkbox\" id=\"step-{n}\" disabled><label for=\"step-{n}\"><span class=\"step__number\">第 {n} 步</span><h3>{}</h3></label></div><dl class=\"step__fields\"><div><dt>责任人</dt><dd>{}</dd></div>",
                    esc(&step.anchor),
                    esc(&step.title),
                    esc(&step.who)
                ));
                if let Some(t) = &step.time_limit {
                    out.push_str(&format!("<div><dt>时限</dt><dd>{}</dd></div>", esc(t)));
                }
                if let Some(m) = &step.materials {
                    out.push_str(&format!("<div><dt>材料</dt><dd>{}</dd></div>", esc(m)));
                }
                out.push_str("</dl>");
                out.push_str(&prose(&step.description));
                out.push_str("<p class=\"print-only step__sign\">完成情况：□ 已完成　□ 未完成　　经办人签字：__________　日期：__________</p></li>");
            }
            out.push_str("</ol><p class=\"print-only print-form__sign\">负责人签字：____________________　　审核日期：____________________</p></section>");
            out
        }
        Kind::Module => {
            let questions = &body.questions;
            let mut out = format!(
                "<section class=\"guide\" aria-label=\"学习导引\">{}</section>",
                prose(&body.html)
            );
            if !questions.is_empty() {
                out.push_str(&format!(
                    "<section class=\"quiz\" aria-labelledby=\"quiz-heading\" id=\"quiz\"><h2 id=\"quiz-heading\">自测题</h2><p class=\"quiz__intro\">共 {} 题，正确率达到 {pass_mark}% 即为通过。</p><ol class=\"quiz__list\">",
                    questions.len()
                ));
                for q in questions {
                    let id = esc(&q.id);
                    let input = if q.kind == QuestionKind::Multiple {
                        "checkbox"
                    } else {
                        "radio"
                    };
                    out.push_str(&format!(
                        "<li class=\"question\" id=\"question-{id}\"><fieldset aria-labelledby=\"{id}-text\">{}<p class=\"question__text\" id=\"{id}-text\"><span class=\"badge\">{}</span> {}</p><ul class=\"question__choices\">",
                        q.scenario.as_deref().map(|s| format!("<p class=\"question__scenario\">情景：{}</p>", esc(s))).unwrap_or_default(),
                        esc(q.kind.label()),
                        esc(&q.text)
                    ));
                    for (i, c) in q.choices.iter().enumerate() {
                        let letter = char::from(b'A' + (i % 26) as u8);
                        out.push_str(&format!(
                            "<li><label class=\"choice\" for=\"{id}-{i}\"><input type=\"{input}\" id=\"{id}-{i}\" name=\"{id}\" disabled><span>{letter}. {}</span></label></li>",
                            esc(&c.text)
                        ));
                    }
                    out.push_str("</ul></fieldset></li>");
                }
                out.push_str(
                    "</ol><button type=\"button\" class=\"button\" disabled>提交答案</button></section>",
                );
            }
            out
        }
        _ => prose(&body.html),
    }
}

/// Rendered HTML as the app inserts it (`MarkdownView`).
fn prose(html: &str) -> String {
    format!("<div class=\"prose\">{html}</div>")
}

/// Key figures or facts as a grid (`FactBox`).
fn fact_box(title: &str, figures: &[Figure]) -> String {
    let title = esc(title);
    let mut out = format!(
        "<section class=\"fact-box\" aria-label=\"{title}\"><h2 class=\"fact-box__title\">{title}</h2><dl class=\"fact-box__grid\">"
    );
    for f in figures {
        out.push_str(&format!(
            "<div class=\"fact\"><dt class=\"fact__label\">{}</dt><dd class=\"fact__value\"><span class=\"fact__number\">{}</span><span class=\"fact__unit\">{}</span></dd>",
            esc(&f.label),
            esc(&f.value_text()),
            esc(&f.unit)
        ));
        if let Some(n) = &f.note {
            out.push_str(&format!("<dd class=\"fact__note\">{}</dd>", esc(n)));
        }
        out.push_str("</div>");
    }
    out.push_str("</dl></section>");
    out
}

/// The documents a page relies on (`SourceList`); only http(s) addresses become links.
fn source_list(sources: &[Source], heading: &str) -> String {
    if sources.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<section class=\"sources\" aria-labelledby=\"sources-heading\"><h2 id=\"sources-heading\">{}</h2><ol>",
        esc(heading)
    );
    for s in sources {
        let title = esc(&format!("《{}》", s.title));
        let title = match &s.url {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{title}</a>",
                esc(url)
            ),
            _ => format!("<span>{title}</span>"),
        };
        out.push_str(&format!(
            "<li>{}：{title}，{}</li>",
            esc(&s.publisher),
            esc(&s.date)
        ));
    }
    out.push_str("</ol></section>");
    out
}

fn tag_list(labels: &[String]) -> String {
    let mut out = String::from("<ul class=\"tag-list\" aria-label=\"标签\">");
    for t in labels {
        out.push_str(&format!("<li class=\"tag\">{}</li>", esc(t)));
    }
    out.push_str("</ul>");
    out
}

/// Percent-encodes a query value as JavaScript's `encodeURIComponent` does (the app's links).
///
/// ```
/// use portal::site::prerender::encode_uri_component;
/// assert_eq!(encode_uri_component("辽宁省"), "%E8%BE%BD%E5%AE%81%E7%9C%81");
/// assert_eq!(encode_uri_component("grid-governance"), "grid-governance");
/// assert_eq!(encode_uri_component("a&b c"), "a%26b%20c");
/// ```
pub fn encode_uri_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
    use crate::content::{CaseStudy, Community, Module, Region, Tag, Workflow, MANIFEST_VERSION};

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
        assert_eq!(count(&main, "<h1"), 1, "{main}");
        assert!(main.contains("<h1>盘锦&lt;经验&gt;</h1>"), "{main}");
        assert!(
            main.contains("<p>第一段，社工编制。</p>")
                && main.contains("<p>第二段 &amp; 结语。</p>"),
            "{main}"
        );
        assert!(main.contains("<h2 id=\"背景\">背景</h2>"), "{main}");
        assert!(
            main.contains("<span class=\"fact__number\">72258</span>"),
            "{main}"
        );
        assert!(main.contains("<p class=\"doc-meta\"><span>辽宁省 盘锦市</span> · <span>2018-11-02</span><span class=\"doc-meta__updated\">更新于 2026-11-27</span></p>"), "{main}");
        assert!(main.contains("<li class=\"tag\">网格化治理</li>"), "{main}");
        // An internal reference becomes a plain link to the real route.
        assert!(
            main.contains("href=\"/workflows/wf#%E7%A1%AE%E5%AE%9A%E8%AE%AE%E9%A2%98\""),
            "{main}"
        );
        assert!(
            main.contains("<a href=\"https://example.org/a?x=1&amp;y=&quot;2&quot;\" rel=\"noopener noreferrer\" target=\"_blank\">《来源》</a>"),
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
    fn a_workflow_page_is_a_checklist_without_ticks() {
        let main = pages().main("workflows/wf").unwrap();
        assert_eq!(count(&main, "<li class=\"step\""), 2, "{main}");
        assert!(
            main.contains("<li class=\"step\" id=\"确定议题\">"),
            "{main}"
        );
        assert!(
            main.contains("<input type=\"checkbox\" id=\"step-1\" disabled>"),
            "{main}"
        );
        assert!(main.contains("<dd>会前 3 天</dd>"), "{main}");
        assert!(main.contains("已完成 0 / 2 步"), "{main}");
        assert!(main.contains("<p>流程说明。</p>"), "{main}");
        assert!(
            main.contains("<h2 id=\"sources-heading\">依据</h2>"),
            "{main}"
        );
    }

    #[test]
    fn a_module_page_has_its_outline_and_a_quiz_without_answers() {
        let main = pages().main("modules/m").unwrap();
        assert!(main.contains("已完成 0 / 2 项内容"), "{main}");
        assert!(
            main.contains("<a href=\"/cases/panjin\" class=\"button\">继续学习</a>"),
            "{main}"
        );
        assert!(main.contains("<li>了解&lt;目标&gt;</li>"), "{main}");
        assert!(
            main.contains("<a href=\"/workflows/wf\">三会一课</a>"),
            "{main}"
        );
        assert!(main.contains("三会一课多久开一次支部委员会？"), "{main}");
        assert!(main.contains("<span>A. 每月</span>"), "{main}");
        assert_eq!(count(&main, "<li class=\"question\""), 1);
        // Nothing gives the answer away before the learner submits.
        assert!(
            !main.contains("checked") && !main.contains("解析"),
            "{main}"
        );
        assert!(
            main.contains("<button type=\"button\" class=\"button\" disabled>提交答案</button>")
        );
    }

    #[test]
    fn a_sample_community_is_marked_and_links_to_the_comparison() {
        let main = pages().main("communities/hongfeng").unwrap();
        assert!(
            main.contains("<h1>红枫社区 <span class=\"badge badge--sample\">示例</span></h1>"),
            "{main}"
        );
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
        assert!(cases.starts_with("<h1>他山之石</h1>"), "{cases}");
        // Newest practice first, as the app sorts.
        let (new, old) = (
            cases.find("/cases/panjin").unwrap(),
            cases.find("/cases/older").unwrap(),
        );
        assert!(new < old, "{cases}");
        assert!(cases.contains("共 2 篇"), "{cases}");
        assert!(
            cases.contains("<a href=\"/cases?tag=grid\" class=\"chip\">网格化治理</a>"),
            "{cases}"
        );
        let home = p.main("").unwrap();
        assert!(home.contains("<h1>智慧党建学习平台</h1>"), "{home}");
        assert!(
            home.contains("<a href=\"/modules/m\">入门模块</a>"),
            "{home}"
        );
        assert!(
            home.contains("<span class=\"section-card__count\">2 篇</span>"),
            "{home}"
        );
        let compare = p.main("communities/compare").unwrap();
        assert!(compare.contains("<h1>社区数据对比</h1>") && compare.contains("红枫社区"));
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
    fn an_app_page_is_its_frame_with_the_lead_escaped() {
        let p = pages();
        let record = p.main("record").unwrap();
        assert_eq!(
            record,
            "<h1>学习档案</h1><p class=\"loading\" aria-live=\"polite\">正在加载…</p>"
        );
        assert!(p.main("trainer").unwrap().contains("</h1><p>为社区工作者"));
        assert_eq!(
            app_frame("a<b", "c&d"),
            "<h1>a&lt;b</h1><p>c&amp;d</p><p class=\"loading\" aria-live=\"polite\">正在加载…</p>"
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
            item.contains("<a href=\"/cases\" aria-current=\"page\">他山之石</a>"),
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
            home.contains("<a href=\"/\" class=\"brand\" aria-current=\"page\">"),
            "{home}"
        );
        assert!(!home.contains("<a href=\"/cases\" aria-current"), "{home}");
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
        assert_eq!(texts, [HEAD_SCRIPT]);
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
    fn query_values_are_encoded_like_encode_uri_component() {
        assert_eq!(encode_uri_component("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(encode_uri_component("A-z_0.9!~*'()"), "A-z_0.9!~*'()");
    }
}
