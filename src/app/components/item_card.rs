use leptos::prelude::*;
use leptos_router::components::A;

use std::sync::Arc;

use crate::app::progress_store::use_progress;
use crate::content::{Item, Manifest};
use crate::progress::ItemState;

/// One item in a list: kind, title, summary, where/when, and how far the learner has got.
#[component]
pub fn ItemCard(item: Item, manifest: Arc<Manifest>) -> impl IntoView {
    let store = use_progress();
    let tag_labels = manifest.tag_labels(&item);
    let reference = item.reference();
    let state = Memo::new(move |_| store.record.with(|p| p.state(&*manifest, &reference)));
    let kind = item.kind();
    let meta = item.card_meta();
    let sample = item.is_sample();
    view! {
        <article class="card">
            <p class="card__kind">
                <span class=format!("badge badge--{}", kind.key())>{kind.noun()}</span>
                {sample.then(|| view! { <span class="badge badge--sample">"示例"</span> })}
                {move || {
                    let s = state.get();
                    (s != ItemState::NotStarted).then(|| view! {
                        <span class=format!("state state--{}", state_class(s))>{s.label()}</span>
                    })
                }}
            </p>
            <h3 class="card__title">
                <A href=item.route()>{item.title.clone()}</A>
            </h3>
            <p class="card__summary">{item.summary.clone()}</p>
            <p class="card__meta">{meta_spans(meta)}</p>
            <ul class="tag-list" aria-label="标签">
                {tag_labels.into_iter().map(|t| view! { <li class="tag">{t}</li> }).collect_view()}
            </ul>
        </article>
    }
}

/// The CSS modifier of a state.
pub fn state_class(s: ItemState) -> &'static str {
    match s {
        ItemState::NotStarted => "none",
        ItemState::Opened => "opened",
        ItemState::Read => "read",
        ItemState::Completed => "completed",
    }
}

/// Facts, one `<span>` each (so a date never breaks across lines), joined with " · ".
pub fn meta_spans(parts: Vec<String>) -> impl IntoView {
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| view! { {(i > 0).then_some(" · ")}<span>{p}</span> })
        .collect_view()
}
