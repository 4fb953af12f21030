use leptos::prelude::*;
use leptos_router::components::A;

use crate::content::{Details, Item, Manifest};

/// One item in a list: kind, title, summary and where/when.
#[component]
pub fn ItemCard(item: Item, #[prop(into)] tag_labels: Vec<String>) -> impl IntoView {
    let kind = item.kind();
    let meta = match &item.details {
        Details::Case(c) => format!("{} · {}", c.region.display(), c.date),
        Details::Workflow(w) => format!("{} 个步骤", w.steps),
        Details::Community(c) => c.region.display(),
        Details::Module(m) => format!(
            "{} 项内容 · 约 {} 分钟 · {} 道自测题",
            m.items.len(),
            m.minutes,
            m.questions
        ),
    };
    let sample = matches!(&item.details, Details::Community(c) if c.sample);
    view! {
        <article class="card">
            <p class="card__kind">
                <span class=format!("badge badge--{}", kind.key())>{kind.noun()}</span>
                {sample.then(|| view! { <span class="badge badge--sample">"示例"</span> })}
            </p>
            <h3 class="card__title">
                <A href=item.route()>{item.title.clone()}</A>
            </h3>
            <p class="card__summary">{item.summary.clone()}</p>
            <p class="card__meta">{meta}</p>
            <ul class="tag-list" aria-label="标签">
                {tag_labels.into_iter().map(|t| view! { <li class="tag">{t}</li> }).collect_view()}
            </ul>
        </article>
    }
}

/// The Chinese labels of an item's tags.
pub fn tag_labels(manifest: &Manifest, item: &Item) -> Vec<String> {
    item.tags
        .iter()
        .map(|t| manifest.tag_label(t).to_string())
        .collect()
}
