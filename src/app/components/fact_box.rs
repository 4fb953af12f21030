use leptos::prelude::*;

use crate::content::Figure;

/// Key figures of a case or facts of a community, as a grid of numbers with labels.
#[component]
pub fn FactBox(#[prop(into)] title: String, figures: Vec<Figure>) -> impl IntoView {
    let label = title.clone();
    view! {
        <section class="fact-box" aria-label=label>
            <h2 class="fact-box__title">{title}</h2>
            <dl class="fact-box__grid">
                {figures
                    .into_iter()
                    .map(|f| {
                        let value = f.value_text();
                        view! {
                            <div class="fact">
                                <dt class="fact__label">{f.label}</dt>
                                <dd class="fact__value">
                                    <span class="fact__number">{value}</span>
                                    <span class="fact__unit">{f.unit}</span>
                                </dd>
                                {f.note.map(|n| view! { <dd class="fact__note">{n}</dd> })}
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
