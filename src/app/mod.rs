//! The browser shell: the router, the layout and the shared data every page reads.
//!
//! Pages live in `pages/` (one route each), reusable pieces in `components/`. Fetching is in
//! `fetch`; the core (`crate::content`) does all parsing.

pub mod assignments;
pub mod browser;
pub mod components;
pub mod fetch;
pub mod pages;
pub mod progress_store;
#[cfg(not(target_arch = "wasm32"))]
pub mod render;
pub mod search_state;
pub mod storage;
pub mod takeover;

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::content::rendered::RenderedBody;
use crate::content::{Kind, Manifest};
use components::{apply_saved, DisplaySettings, SearchBox};
use fetch::{FetchError, Loaded};
use pages::{
    AssignmentPage, ComparePage, ElsewherePage, HomePage, ItemPage, ListPage, NotFoundPage,
    RecordPage, SearchPage, TasksPage, TrainerPage,
};
use progress_store::ProgressStore;
use search_state::SearchState;

/// The content of one site, handed to the native render of `App` in context: the site writer
/// (`crate::site`) renders every route's static page from it, with no fetching.
pub struct StaticContent {
    pub manifest: Arc<Manifest>,
    /// Each item's rendered body, by kind and id.
    pub bodies: HashMap<(Kind, String), Arc<RenderedBody>>,
}

/// The content every page reads, provided as context: fetched in the browser, or the
/// [`StaticContent`] the native render was given.
#[derive(Clone, Copy)]
pub struct Site {
    pub manifest: Loaded<Arc<Manifest>>,
    given: Option<StoredValue<Arc<StaticContent>>>,
}

impl Site {
    /// The body of the item `id` of `kind` (the route's `:id`). In the browser it is fetched at
    /// once, beside the manifest, not after it; once the manifest is known, an id it does not
    /// list is not fetched at all.
    pub fn body(self, kind: Kind, id: Memo<String>) -> Loaded<Arc<RenderedBody>> {
        if let Some(given) = self.given {
            let id = id.get_untracked();
            let path = kind.rendered_path(&id);
            return Loaded::given(given.with_value(|c| {
                c.bodies
                    .get(&(kind, id))
                    .cloned()
                    .ok_or(FetchError::Status { path, status: 404 })
            }));
        }
        let manifest = self.manifest;
        Loaded::Fetched(LocalResource::new(move || {
            let id = id.get();
            let unknown = manifest
                .get_untracked()
                .is_some_and(|m| m.is_ok_and(|m| m.item(kind, &id).is_none()));
            let path = kind.rendered_path(&id);
            async move {
                if unknown {
                    return Err(FetchError::Status { path, status: 404 });
                }
                let text = fetch::text(&path).await?;
                RenderedBody::from_json(&text)
                    .map(Arc::new)
                    .map_err(|e| FetchError::Parse(format!("{path}：{e}")))
            }
        }))
    }
}

pub fn use_site() -> Site {
    expect_context::<Site>()
}

/// Sets the document title: `页面 · 智慧党建学习平台`.
pub fn set_title(page: &str) {
    let title = if page.is_empty() {
        SITE_NAME.to_string()
    } else {
        format!("{page} · {SITE_NAME}")
    };
    browser::set_document_title(&title);
}

pub const SITE_NAME: &str = "智慧党建学习平台";

/// The contexts every page of either bundle reads: the manifest, search, the learning record and
/// the assignments. Returns the learning record for the layout's notices.
fn provide_shared() -> ProgressStore {
    apply_saved();
    let given = use_context::<Arc<StaticContent>>();
    let manifest = match &given {
        Some(content) => Loaded::given(Ok(content.manifest.clone())),
        None => Loaded::Fetched(LocalResource::new(fetch::manifest)),
    };
    provide_context(Site {
        manifest,
        given: given.map(StoredValue::new),
    });
    provide_context(SearchState::new());
    let progress = ProgressStore::start();
    provide_context(progress);
    provide_context(assignments::Assignments::load());
    progress
}

/// The reader's app: every route a worker uses. The trainer's page (培训管理) is another bundle
/// (`TrainerApp`), so readers never download its code; its route here hands over to it.
#[component]
pub fn App() -> impl IntoView {
    let progress = provide_shared();
    view! {
        <Router>
            <Layout progress>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/search") view=SearchPage />
                    <Route path=path!("/record") view=RecordPage />
                    <Route path=path!("/tasks") view=TasksPage />
                    <Route path=path!("/assignment") view=AssignmentPage />
                    <Route path=path!("/trainer") view=ElsewherePage />
                    <Route path=path!("/cases") view=|| view! { <ListPage kind=Kind::Case /> } />
                    <Route
                        path=path!("/workflows")
                        view=|| view! { <ListPage kind=Kind::Workflow /> }
                    />
                    <Route
                        path=path!("/communities")
                        view=|| view! { <ListPage kind=Kind::Community /> }
                    />
                    <Route path=path!("/modules") view=|| view! { <ListPage kind=Kind::Module /> } />
                    <Route path=path!("/communities/compare") view=ComparePage />
                    <Route path=path!("/cases/:id") view=|| view! { <ItemPage kind=Kind::Case /> } />
                    <Route
                        path=path!("/workflows/:id")
                        view=|| view! { <ItemPage kind=Kind::Workflow /> }
                    />
                    <Route
                        path=path!("/communities/:id")
                        view=|| view! { <ItemPage kind=Kind::Community /> }
                    />
                    <Route
                        path=path!("/modules/:id")
                        view=|| view! { <ItemPage kind=Kind::Module /> }
                    />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The trainer's app (培训管理), its own bundle (`trainer.html`, served under `/trainer/`): the
/// same layout, and one route. Every other address belongs to the reader's bundle.
#[component]
pub fn TrainerApp() -> impl IntoView {
    let progress = provide_shared();
    view! {
        <Router>
            <Layout progress>
                <Routes fallback=|| view! { <ElsewherePage /> }>
                    <Route path=path!("/trainer") view=TrainerPage />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The header, the main landmark with the learning record's notices, and the footer, around the
/// routes of either bundle.
#[component]
fn Layout(progress: ProgressStore, children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"跳到正文"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" exact=true attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"党"</span>
                    <span class="brand__name">{SITE_NAME}</span>
                </A>
                <nav class="site-nav" aria-label="主导航">
                    {Kind::ALL
                        .into_iter()
                        .map(|k| {
                            view! { <A href=crate::content::routes::list(k)>{k.label()}</A> }
                        })
                        .collect_view()}
                    <A href="/tasks">"我的任务"</A>
                    <A href="/record">"学习档案"</A>
                    <A href="/trainer">"培训管理"</A>
                </nav>
                <SearchBox />
                <DisplaySettings />
            </div>
        </header>
        <main id="main" class="site-main" tabindex="-1">
            {move || progress.notice.get().map(|n| view! {
                <div class="notice notice--warn" role="alert">
                    <p>{n}</p>
                    <button type="button" class="button button--ghost" on:click=move |_| progress.notice.set(None)>"知道了"</button>
                </div>
            })}
            {move || progress.save_error.get().map(|e| view! { <div class="load-error" role="alert"><p>{e}</p></div> })}
            {children()}
        </main>
        <footer class="site-footer">
            <p>"智慧党建学习平台 · 从“面对面”到“键对键”"</p>
            <p class="site-footer__note">"学习记录只保存在本机浏览器中。内容均注明出处；标注“示例”的社区为说明用的虚构示例。"</p>
        </footer>
    }
}
