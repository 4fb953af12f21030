//! The results page (`/search?q=…&kind=…&tag=…&region=…`): one resource per request runs the
//! search loop ([`search_state::answer`]); the rows come from the core, ready to show.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::components::WithManifest;
use crate::app::search_state::{self, use_search, IndexState, SharedIndex};
use crate::app::set_title;
use crate::content::{Kind, Manifest, Ref};
use crate::search::{Filters, Found, Request, Row};

/// The address of a search: `/search?q=…&kind=…&tag=…&region=…`.
pub fn search_href(q: &str, kind: Option<&str>, tag: Option<&str>, region: Option<&str>) -> String {
    crate::content::routes::search(q, kind, tag, region)
}

/// Search results for the query in the address, with filters; arrow keys move through the
/// results and Enter opens one.
#[component]
pub fn SearchPage() -> impl IntoView {
    let search = use_search();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let filters = Memo::new(move |_| {
        let m = query.read();
        let param = |k: &str| m.get(k).filter(|v| !v.is_empty());
        Filters {
            kind: param("kind"),
            tag: param("tag"),
            region: param("region"),
        }
    });
    search.ensure_loaded();
    let title = |q: &str| {
        if q.is_empty() {
            "搜索".to_string()
        } else {
            format!("搜索：{q}")
        }
    };
    // The title at once (the static page's, too), and again whenever the query changes.
    set_title(&title(&q.get_untracked()));
    Effect::new(move || set_title(&title(&q.get())));

    view! {
        <h1>"搜索"</h1>
        <WithManifest let:manifest>
            {move || match search.index() {
                IndexState::Loading => {
                    view! { <p class="loading" aria-live="polite">"正在加载搜索索引…"</p> }.into_any()
                }
                IndexState::Failed(message) => {
                    view! { <SearchUnavailable message on_retry=move || search.retry() /> }.into_any()
                }
                IndexState::Ready(index) => {
                    view! { <Results index manifest=manifest.clone() q filters /> }.into_any()
                }
            }}
        </WithManifest>
    }
}

/// Search failed: why, and a button that tries again.
#[component]
fn SearchUnavailable(message: String, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="load-error" role="alert">
            <p class="load-error__title">"搜索暂时不可用"</p>
            <p>{message}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>"重试"</button>
        </div>
    }
}

/// A request with what came of it.
type Answered = Arc<(Request, Result<Found, String>)>;

/// The filters and the results of the current request, once the index is there.
#[component]
fn Results(
    index: SharedIndex,
    manifest: Arc<Manifest>,
    q: Memo<String>,
    filters: Memo<Filters>,
) -> impl IntoView {
    // At first only the best results are verified (a large index fetches only their text);
    // "继续查找" asks for every candidate of this query.
    let everything_for = RwSignal::new(None::<String>);
    let request = Memo::new(move |_| {
        let (query, filters) = (q.get(), filters.get());
        if everything_for.with(|e| e.as_deref() == Some(query.as_str())) {
            Request::all(query, filters)
        } else {
            Request::first_page(query, filters)
        }
    });
    let answered = LocalResource::new(move || {
        let (index, request) = (index.clone(), request.get());
        async move {
            let result = search_state::answer(index, request.clone()).await;
            Arc::new((request, result))
        }
    });
    // What came of the request in the address; a previous request's answer is not shown.
    let current =
        move || -> Option<Answered> { answered.get().filter(|a| request.with(|r| a.0 == *r)) };
    let rows = move || -> Vec<Row> {
        current()
            .and_then(|a| a.1.as_ref().ok().map(|f| f.rows.clone()))
            .unwrap_or_default()
    };
    let selected = use_result_keys(q, rows);

    let list = move || {
        if q.with(|q| q.trim().is_empty()) {
            return view! { <p class="empty">"在上方搜索框输入关键词，支持简体、繁体和拼音（如 dangjian、djzx）。"</p> }.into_any();
        }
        let Some(a) = current() else {
            return view! { <p class="loading" aria-live="polite">"正在搜索…"</p> }.into_any();
        };
        let (request, result) = &*a;
        match result {
            Err(message) => view! {
                <SearchUnavailable message=message.clone() on_retry=move || answered.refetch() />
            }
            .into_any(),
            Ok(found) if found.is_empty() => {
                view! { <NoResults query=request.query.clone() filters=request.filters.clone() /> }
                    .into_any()
            }
            Ok(found) => {
                let query = request.query.clone();
                view! {
                    <ResultList
                        found=found.clone()
                        selected
                        on_more=move || everything_for.set(Some(query.clone()))
                    />
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="filters"><FilterBar manifest q filters /></div>
        {list}
    }
}

/// Arrow keys move the selection through `rows`, Enter opens the selected one. The selection
/// belongs to the query it was made for, so a new query starts with none.
fn use_result_keys(
    q: Memo<String>,
    rows: impl Fn() -> Vec<Row> + Clone + 'static,
) -> Signal<Option<usize>> {
    let chosen = RwSignal::new(None::<(String, usize)>);
    let selected = Signal::derive(move || {
        chosen.with(|c| {
            c.as_ref()
                .filter(|(for_query, _)| q.with(|q| q == for_query))
                .map(|&(_, i)| i)
        })
    });
    let navigate = use_navigate();
    let keys = window_event_listener(ev::keydown, move |e| {
        let rows = rows();
        let n = rows.len();
        if n == 0 {
            return;
        }
        let now = selected.get_untracked();
        let next = match e.key().as_str() {
            "ArrowDown" => now.map_or(0, |i| (i + 1).min(n - 1)),
            "ArrowUp" => now.map_or(0, |i| i.saturating_sub(1)),
            "Enter" => {
                let href = now
                    .and_then(|i| rows.get(i))
                    .and_then(|row| row.key.parse::<Ref>().ok())
                    .map(|r| r.href());
                if let Some(href) = href {
                    e.prevent_default();
                    navigate(&href, NavigateOptions::default());
                }
                return;
            }
            _ => return,
        };
        e.prevent_default();
        chosen.set(Some((q.get_untracked(), next)));
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("result-{next}")))
        {
            el.scroll_into_view_with_bool(false);
        }
    });
    // The page can be left and entered again: one listener per visit, not one more each time.
    on_cleanup(move || keys.remove());
    selected
}

/// The kind chips, and the tag and region filters in force (each removable).
#[component]
fn FilterBar(manifest: Arc<Manifest>, q: Memo<String>, filters: Memo<Filters>) -> impl IntoView {
    move || {
        let (qv, f) = (q.get(), filters.get());
        let (k, t, r) = (f.kind.as_deref(), f.tag.as_deref(), f.region.as_deref());
        let kinds = Kind::ALL.map(|x| {
            let on = k == Some(x.key());
            let href = search_href(&qv, (!on).then_some(x.key()), t, r);
            view! { <li><a href=href class="chip" aria-current=on.then_some("true")>{x.noun()}</a></li> }
        });
        let tag_chip = t.map(|t_id| {
            let label = manifest.tag_label(t_id).to_string();
            let href = search_href(&qv, k, None, r);
            view! { <li><a href=href class="chip" aria-current="true">{format!("标签：{label} ×")}</a></li> }
        });
        let region_chip = r.map(|rv| {
            let href = search_href(&qv, k, t, None);
            view! { <li><a href=href class="chip" aria-current="true">{format!("地区：{rv} ×")}</a></li> }
        });
        view! {
            <ul class="chips" aria-label="按类型筛选">{kinds.into_iter().collect_view()}{tag_chip}{region_chip}</ul>
        }
    }
}

/// Nothing found: what to try instead.
#[component]
fn NoResults(query: String, filters: Filters) -> impl IntoView {
    let filtered = filters.kind.is_some() || filters.tag.is_some() || filters.region.is_some();
    view! {
        <div class="empty" role="status">
            <p>{format!("没有找到包含“{query}”的内容。")}</p>
            {filtered.then(|| view! {
                <p>"当前设置了筛选条件，可以" <A href=search_href(&query, None, None, None)>"去掉筛选再试"</A> "。"</p>
            })}
            {(!filtered).then(|| view! { <p>"可以换个说法，或用空格分开几个关键词。"</p> })}
        </div>
    }
}

/// The results found: how many, the list, and "继续查找" when candidates are left unverified.
#[component]
fn ResultList(
    found: Found,
    selected: Signal<Option<usize>>,
    #[prop(into)] on_more: Callback<()>,
) -> impl IntoView {
    let status = found.status();
    let more = found.unverified > 0;
    view! {
        <p class="result-count" role="status">{status}</p>
        <ol class="results" aria-label="搜索结果">
            {found
                .rows
                .into_iter()
                .enumerate()
                .map(|(i, row)| view! { <ResultItem i row selected /> })
                .collect_view()}
        </ol>
        {more.then(|| view! {
            <button type="button" class="button" on:click=move |_| on_more.run(())>"继续查找"</button>
        })}
    }
}

/// One result: its kind, the title as a link, and the passage that matched, matches marked.
#[component]
fn ResultItem(i: usize, row: Row, selected: Signal<Option<usize>>) -> impl IntoView {
    let r = row.key.parse::<Ref>().ok();
    let href = r.as_ref().map(Ref::href).unwrap_or_default();
    let noun: &'static str = r.as_ref().map(|r| r.kind.noun()).unwrap_or_default();
    let kind_key: &'static str = r.as_ref().map(|r| r.kind.key()).unwrap_or_default();
    let is_selected = move || selected.get() == Some(i);
    view! {
        <li id=format!("result-{i}") class="result" class:result--selected=is_selected
            aria-current=move || is_selected().then_some("true")>
            <p class="result__kind">
                <span class=format!("badge badge--{kind_key}")>{noun}</span>
                {row.by_pinyin.then(|| view! { <span class="badge">"拼音匹配"</span> })}
            </p>
            <h2 class="result__title"><A href=href>{row.title}</A></h2>
            <p class="result__snippet">
                {row
                    .snippet
                    .into_iter()
                    .map(|s| if s.matched {
                        view! { <mark>{s.text}</mark> }.into_any()
                    } else {
                        view! { <span>{s.text}</span> }.into_any()
                    })
                    .collect_view()}
            </p>
        </li>
    }
}
