use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map};

use crate::app::browser;
use crate::app::components::{meta_spans, state_class};
use crate::app::components::{
    Checklist, FactBox, LoadError, MarkdownView, QuizView, ReadAloud, SourceList, WithManifest,
};
use crate::app::fetch::Loaded;
use crate::app::progress_store::use_progress;
use crate::app::{set_title, use_site};
use crate::content::rendered::RenderedBody;
use crate::content::{routes, Details, Item, Kind, Manifest, Ref};
use crate::progress::{ItemState, Next, Payload};

/// The page of one item: its header from the manifest, its body fetched and rendered by kind.
#[component]
pub fn ItemPage(kind: Kind) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let body = use_site().body(kind, id);

    view! {
        <WithManifest let:manifest>
            {move || match manifest.item(kind, &id.get()).cloned() {
                None => {
                    set_title("内容不存在");
                    view! {
                        <section class="not-found">
                            <h1>"内容不存在"</h1>
                            <p>{format!("没有找到“{}”，可能链接有误或内容已下线。", id.get())}</p>
                            <p><A href=routes::list(kind)>{format!("返回{}", kind.label())}</A></p>
                        </section>
                    }
                        .into_any()
                }
                Some(item) => {
                    set_title(&item.title);
                    view! { <ItemView item=item manifest=manifest.clone() body=body /> }.into_any()
                }
            }}
        </WithManifest>
    }
}

#[component]
fn ItemView(item: Item, manifest: Arc<Manifest>, body: Loaded<Arc<RenderedBody>>) -> impl IntoView {
    let kind = item.kind();
    let meta = item.header_meta();
    let sample = item.is_sample();
    let tags = manifest.tag_labels(&item);
    scroll_to_hash_when_loaded(body);

    let header = view! {
        <header class="doc-header">
            <p class="breadcrumb">
                <A href=routes::list(kind)>{kind.label()}</A>
            </p>
            <h1>
                {item.title.clone()}
                {sample.then(|| view! { " " <span class="badge badge--sample">"示例"</span> })}
            </h1>
            <p class="doc-meta">
                {meta_spans(meta)}
                <span class="doc-meta__updated">{format!("更新于 {}", item.updated)}</span>
            </p>
            <p class="doc-summary">{item.summary.clone()}</p>
            <ul class="tag-list" aria-label="标签">
                {tags.into_iter().map(|t| view! { <li class="tag">{t}</li> }).collect_view()}
            </ul>
            <ReadAloud />
        </header>
    };
    let before_body = match &item.details {
        Details::Case(c) if !c.figures.is_empty() => {
            Some(view! { <FactBox title="关键数据" figures=c.figures.clone() /> }.into_any())
        }
        Details::Community(c) => Some(
            view! {
                {sample.then(|| view! {
                    <p class="notice" role="note">"这是一个说明用的示例社区，不是真实地点，数据为虚构，仅供参考和对比练习。"</p>
                })}
                <FactBox title="社区数据" figures=c.facts.clone() />
                <p>
                    <A href=routes::compare(&item.id) attr:class="button button--ghost">
                        "与其他社区对比"
                    </A>
                </p>
            }
            .into_any(),
        ),
        Details::Module(m) => Some(
            view! { <ModuleOutline reference=item.reference() module=m.clone() manifest=manifest.clone() /> }
                .into_any(),
        ),
        _ => None,
    };
    let reference = item.reference();
    // Opening the page is recorded once per visit.
    use_progress().append(Payload::Opened {
        item: reference.clone(),
    });
    let sources_heading = if kind == Kind::Workflow {
        "依据"
    } else {
        "资料来源"
    };
    let pass_mark = match &item.details {
        Details::Module(m) => m.pass_mark,
        _ => 80,
    };

    view! {
        <article class=format!("doc doc--{}", kind.key())>
            {header}
            {before_body}
            {let reference = reference.clone(); move || match body.get() {
                None => view! { <p class="loading" aria-live="polite">"正在加载正文…"</p> }.into_any(),
                Some(Err(e)) => view! {
                    <LoadError message=e.to_string() on_retry=move |_| body.refetch() />
                }
                .into_any(),
                Some(Ok(rendered)) => render_body(&reference, &rendered, pass_mark),
            }}
            <ReadMarker item=reference.clone() />
            <SourceList sources=item.sources.clone() heading=sources_heading />
        </article>
    }
}

/// The body as each kind shows it.
fn render_body(item: &Ref, body: &RenderedBody, pass_mark: u8) -> AnyView {
    match item.kind {
        Kind::Workflow => view! {
            <MarkdownView html=body.html.clone() />
            <Checklist workflow=item.clone() steps=body.steps.clone() />
        }
        .into_any(),
        Kind::Module => {
            let questions = body.questions.clone();
            view! {
                <section class="guide" aria-label="学习导引">
                    <MarkdownView html=body.html.clone() />
                </section>
                {(!questions.is_empty()).then(|| view! { <QuizView module=item.clone() questions=questions pass_mark=pass_mark /> })}
            }
            .into_any()
        }
        _ => view! { <MarkdownView html=body.html.clone() /> }.into_any(),
    }
}

/// A module's goals, its progress and its items in order, each with its state.
#[component]
fn ModuleOutline(
    reference: Ref,
    module: crate::content::Module,
    manifest: Arc<Manifest>,
) -> impl IntoView {
    let store = use_progress();
    let progress = {
        let manifest = manifest.clone();
        Memo::new(move |_| {
            store
                .record
                .with(|p| p.module_progress(&*manifest, &reference))
        })
    };
    let state_of = move |r: &Ref| {
        progress.with(|p| {
            p.as_ref()
                .and_then(|p| {
                    p.items
                        .iter()
                        .find(|s| s.item.kind == r.kind && s.item.id == r.id)
                })
                .map_or(ItemState::NotStarted, |s| s.state)
        })
    };
    view! {
        <section class="module-outline">
            {move || progress.get().map(|p| {
                let percent = p.percent();
                let next = match &p.next {
                    Next::Item(r) => Some((r.href(), "继续学习")),
                    Next::Quiz => Some(("#quiz".to_string(), "去做自测题")),
                    Next::Done => None,
                };
                view! {
                    <div class="module-progress">
                        <p>{format!("已完成 {} / {} 项内容{}", p.completed, p.total, if p.quiz.passed { "，自测已通过" } else { "" })}</p>
                        <progress max="100" value=percent.to_string() aria-label="模块学习进度">{format!("{percent}%")}</progress>
                        {match next {
                            Some((href, label)) => view! { <A href=href attr:class="button">{label}</A> }.into_any(),
                            None => view! { <p class="module-progress__done">"本模块已全部完成"</p> }.into_any(),
                        }}
                    </div>
                }
            })}
            <h2>"学习目标"</h2>
            <ul class="goals">
                {module.goals.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}
            </ul>
            <h2 id="module-items">"学习内容"</h2>
            <ol class="module-items" aria-labelledby="module-items">
                {module
                    .items
                    .iter()
                    .map(|r| {
                        let title = manifest
                            .resolve(r)
                            .map(|i| i.title.clone())
                            .unwrap_or_else(|| r.to_string());
                        let (r2, r3) = (r.clone(), r.clone());
                        let state = move || state_of(&r2);
                        let state_class = move || format!("state state--{}", state_class(state_of(&r3)));
                        view! {
                            <li>
                                <span class=format!("badge badge--{}", r.kind.key())>{r.kind.noun()}</span>
                                " "
                                <A href=r.href()>{title}</A>
                                " "
                                <span class=state_class>{move || state().label()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// After the body renders, scrolls to the heading or step the address names (`#确定议题`).
fn scroll_to_hash_when_loaded(body: Loaded<Arc<RenderedBody>>) {
    let hash = use_location().hash;
    Effect::new(move || {
        let loaded = body.is_ready();
        let hash = hash.get();
        let anchor = hash.trim_start_matches('#').to_string();
        if !loaded || anchor.is_empty() {
            return;
        }
        request_animation_frame(move || browser::scroll_to_fragment(&anchor));
    });
}

/// An invisible marker at the end of an article: when the reader scrolls it into view, the
/// item is recorded as read.
#[component]
fn ReadMarker(item: Ref) -> impl IntoView {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let store = use_progress();
    let marker: NodeRef<leptos::html::Div> = NodeRef::new();
    let read = {
        let item = item.clone();
        Memo::new(move |_| {
            store.record.with(|p| {
                p.events()
                    .iter()
                    .any(|e| matches!(&e.payload, Payload::Read { item: r } if *r == item))
            })
        })
    };
    let observer: StoredValue<Option<web_sys::IntersectionObserver>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move || {
        let Some(el) = marker.get() else { return };
        let item = item.clone();
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, obs: web_sys::IntersectionObserver| {
                let seen = entries.iter().any(|e| {
                    e.dyn_into::<web_sys::IntersectionObserverEntry>()
                        .is_ok_and(|e| e.is_intersecting())
                });
                if seen {
                    if !read.get_untracked() {
                        store.append(Payload::Read { item: item.clone() });
                    }
                    obs.disconnect();
                }
            },
        );
        if let Ok(obs) = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()) {
            obs.observe(&el);
            observer.set_value(Some(obs));
        }
        callback.forget();
    });
    on_cleanup(move || {
        if let Some(obs) = observer.try_get_value().flatten() {
            obs.disconnect();
        }
    });
    view! {
        <div class="read-marker" node_ref=marker></div>
        <p class="read-done" role="status">{move || read.get().then_some("✓ 已读完，已记入学习档案")}</p>
    }
}
