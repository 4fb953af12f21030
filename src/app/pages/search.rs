use std::sync::{Arc, RwLock};

use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::components::WithManifest;
use crate::app::pages::list::encode;
use crate::app::search_state::{use_search, IndexState, Outcome, SearchState};
use crate::app::set_title;
use crate::content::{Kind, Manifest, Ref};
use crate::search::{Filters, SearchIndex};

/// The most results shown at once.
const MAX_RESULTS: usize = 50;

/// The address of a search: `/search?q=…&kind=…&tag=…&region=…`.
pub fn search_href(q: &str, kind: Option<&str>, tag: Option<&str>, region: Option<&str>) -> String {
    let mut href = format!("/search?q={}", encode(q));
    for (k, v) in [("kind", kind), ("tag", tag), ("region", region)] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            href.push_str(&format!("&{k}={}", encode(v)));
        }
    }
    href
}

/// Search results for the query in the address, with filters; arrow keys move through the
/// results and Enter opens one.
#[component]
pub fn SearchPage() -> impl IntoView {
    let search = use_search();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let param =
        move |k: &'static str| Memo::new(move |_| query.read().get(k).filter(|v| !v.is_empty()));
    let (kind, tag, region) = (param("kind"), param("tag"), param("region"));
    search.ensure_loaded();
    Effect::new(move || {
        let q = q.get();
        set_title(&if q.is_empty() {
            "搜索".to_string()
        } else {
            format!("搜索：{q}")
        });
    });
    let selected = RwSignal::new(None::<usize>);
    Effect::new(move || {
        q.track();
        selected.set(None);
    });

    view! {
        <h1>"搜索"</h1>
        <WithManifest let:manifest>
            {move || match search.index.get() {
                IndexState::Idle | IndexState::Loading => {
                    view! { <p class="loading" aria-live="polite">"正在加载搜索索引…"</p> }.into_any()
                }
                IndexState::Failed(message) => view! {
                    <div class="load-error" role="alert">
                        <p class="load-error__title">"搜索暂时不可用"</p>
                        <p>{message}</p>
                        <button type="button" class="button" on:click=move |_| search.ensure_loaded()>"重试"</button>
                    </div>
                }
                .into_any(),
                IndexState::Ready(index) => view! {
                    <Results
                        search=search
                        index=index
                        manifest=manifest.clone()
                        q=q
                        kind=kind
                        tag=tag
                        region=region
                        selected=selected
                    />
                }
                .into_any(),
            }}
        </WithManifest>
    }
}

#[component]
fn Results(
    search: SearchState,
    index: Arc<RwLock<SearchIndex>>,
    manifest: std::sync::Arc<Manifest>,
    q: Memo<String>,
    kind: Memo<Option<String>>,
    tag: Memo<Option<String>>,
    region: Memo<Option<String>>,
    selected: RwSignal<Option<usize>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let filters = move || Filters {
        kind: kind.get(),
        tag: tag.get(),
        region: region.get(),
    };
    // At first only the best results are verified (a large index fetches only their text);
    // "继续查找" verifies the rest.
    let limit = RwSignal::new(Some(MAX_RESULTS));
    Effect::new(move || {
        q.track();
        // Only a real change: setting the same value would run the query a second time.
        if limit.get_untracked() != Some(MAX_RESULTS) {
            limit.set(Some(MAX_RESULTS));
        }
    });
    let outcome = Memo::new(move |_| search.query(&q.get(), &filters(), limit.get()));
    let hits = Memo::new(move |_| match outcome.get() {
        Outcome::Done { hits, .. } => hits
            .into_iter()
            .map(|h| (h.doc, h.by_pinyin))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let total = move || hits.with(Vec::len);
    let routes = {
        let index = index.clone();
        move || -> Vec<String> {
            let Ok(ix) = index.read() else {
                return Vec::new();
            };
            hits.get()
                .iter()
                .filter_map(|(d, _)| ix.doc(*d)?.key.parse::<Ref>().ok())
                .map(|r| r.href())
                .collect()
        }
    };
    let keys = window_event_listener(ev::keydown, move |e| {
        let n = total();
        if n == 0 {
            return;
        }
        match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                selected.update(|s| *s = Some(s.map_or(0, |i| (i + 1).min(n - 1))));
            }
            "ArrowUp" => {
                e.prevent_default();
                selected.update(|s| *s = Some(s.map_or(0, |i| i.saturating_sub(1))));
            }
            "Enter" => {
                if let Some(i) = selected.get_untracked() {
                    if let Some(href) = routes().get(i) {
                        e.prevent_default();
                        navigate(href, NavigateOptions::default());
                    }
                }
            }
            _ => {}
        }
    });
    // The page can be left and entered again: one listener per visit, not one more each time.
    on_cleanup(move || keys.remove());
    Effect::new(move || {
        if let Some(i) = selected.get() {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("result-{i}")))
            {
                el.scroll_into_view_with_bool(false);
            }
        }
    });

    let filter_bar = {
        let manifest = manifest.clone();
        move || {
            let (qv, k, t, r) = (q.get(), kind.get(), tag.get(), region.get());
            let kinds = Kind::ALL.map(|x| {
                let on = k.as_deref() == Some(x.key());
                let href = search_href(&qv, (!on).then_some(x.key()), t.as_deref(), r.as_deref());
                view! { <li><a href=href class="chip" aria-current=on.then_some("true")>{x.noun()}</a></li> }
            });
            let tag_chip = t.clone().map(|t_id| {
                let label = manifest.tag_label(&t_id).to_string();
                let href = search_href(&qv, k.as_deref(), None, r.as_deref());
                view! { <li><a href=href class="chip" aria-current="true">{format!("标签：{label} ×")}</a></li> }
            });
            let region_chip = r.clone().map(|rv| {
                let href = search_href(&qv, k.as_deref(), t.as_deref(), None);
                view! { <li><a href=href class="chip" aria-current="true">{format!("地区：{rv} ×")}</a></li> }
            });
            view! {
                <ul class="chips" aria-label="按类型筛选">{kinds.into_iter().collect_view()}{tag_chip}{region_chip}</ul>
            }
        }
    };

    let list = move || {
        let qv = q.get();
        if qv.trim().is_empty() {
            return view! { <p class="empty">"在上方搜索框输入关键词，支持简体、繁体和拼音（如 dangjian、djzx）。"</p> }.into_any();
        }
        let unverified = match outcome.get() {
            Outcome::Searching => {
                return view! { <p class="loading" aria-live="polite">"正在搜索…"</p> }.into_any();
            }
            Outcome::Failed(message) => {
                return view! {
                    <div class="load-error" role="alert">
                        <p class="load-error__title">"搜索暂时不可用"</p>
                        <p>{message}</p>
                        <button type="button" class="button" on:click=move |_| search.ensure_loaded()>"重试"</button>
                    </div>
                }
                .into_any();
            }
            Outcome::Done { unverified, .. } => unverified,
        };
        let items = hits.get();
        if items.is_empty() && unverified == 0 {
            let filtered = kind.get().is_some() || tag.get().is_some() || region.get().is_some();
            return view! {
                <div class="empty" role="status">
                    <p>{format!("没有找到包含“{qv}”的内容。")}</p>
                    {filtered.then(|| view! {
                        <p>"当前设置了筛选条件，可以" <A href=search_href(&qv, None, None, None)>"去掉筛选再试"</A> "。"</p>
                    })}
                    {(!filtered).then(|| view! { <p>"可以换个说法，或用空格分开几个关键词。"</p> })}
                </div>
            }
            .into_any();
        }
        let count = items.len();
        let status = if unverified > 0 {
            format!("前 {count} 条结果，另有 {unverified} 篇可能相关")
        } else if count >= MAX_RESULTS {
            format!("前 {count} 条结果")
        } else {
            format!("共 {count} 条结果")
        };
        let index = index.clone();
        view! {
            <p class="result-count" role="status">{status}</p>
            <ol class="results" aria-label="搜索结果">
                {items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (d, by_pinyin))| {
                        let ix = index.read().ok();
                        let doc = ix.as_ref().and_then(|ix| ix.doc(d));
                        let title = doc.map(|doc| doc.title.clone()).unwrap_or_default();
                        let r = doc.and_then(|doc| doc.key.parse::<Ref>().ok());
                        let href = r.as_ref().map(Ref::href).unwrap_or_default();
                        let noun: &'static str = r.as_ref().map(|r| r.kind.noun()).unwrap_or_default();
                        let kind_key: &'static str = r.as_ref().map(|r| r.kind.key()).unwrap_or_default();
                        let snippet = ix.as_ref().map(|ix| ix.snippet(d, &qv, 80)).unwrap_or_default();
                        view! {
                            <li id=format!("result-{i}") class="result" class:result--selected=move || selected.get() == Some(i)
                                aria-current=move || (selected.get() == Some(i)).then_some("true")>
                                <p class="result__kind">
                                    <span class=format!("badge badge--{kind_key}")>{noun}</span>
                                    {by_pinyin.then(|| view! { <span class="badge">"拼音匹配"</span> })}
                                </p>
                                <h2 class="result__title"><A href=href>{title}</A></h2>
                                <p class="result__snippet">
                                    {snippet
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
                    })
                    .collect_view()}
            </ol>
            {(unverified > 0).then(|| view! {
                <button type="button" class="button" on:click=move |_| limit.set(None)>"继续查找"</button>
            })}
        }
        .into_any()
    };

    view! {
        <div class="filters">{filter_bar}</div>
        {list}
    }
}
