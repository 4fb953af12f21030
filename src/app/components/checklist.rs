use leptos::prelude::*;

use super::MarkdownView;
use crate::content::workflow::Step;

/// A workflow's steps as a checklist a worker ticks off.
///
/// Ticks live in this page for now; the progress module will keep them on the device.
#[component]
pub fn Checklist(steps: Vec<Step>, #[prop(into)] asset_base: String) -> impl IntoView {
    let total = steps.len();
    let done = RwSignal::new(vec![false; total]);
    let count = move || done.with(|d| d.iter().filter(|x| **x).count());
    view! {
        <section class="checklist" aria-labelledby="steps-heading">
            <div class="checklist__head">
                <h2 id="steps-heading">"工作步骤"</h2>
                <p class="checklist__count" aria-live="polite">
                    {move || format!("已完成 {} / {} 步", count(), total)}
                </p>
            </div>
            <ol class="steps">
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, step)| {
                        let box_id = format!("step-{}", i + 1);
                        let checked = move || done.with(|d| d.get(i).copied().unwrap_or(false));
                        view! {
                            <li class="step" id=step.anchor.clone() class:step--done=checked>
                                <div class="step__title">
                                    <input
                                        type="checkbox"
                                        id=box_id.clone()
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            done.update(|d| {
                                                if let Some(x) = d.get_mut(i) {
                                                    *x = on;
                                                }
                                            });
                                        }
                                    />
                                    <label for=box_id>
                                        <span class="step__number">{format!("第 {} 步", i + 1)}</span>
                                        <h3>{step.title.clone()}</h3>
                                    </label>
                                </div>
                                <dl class="step__fields">
                                    <div>
                                        <dt>"责任人"</dt>
                                        <dd>{step.who.clone()}</dd>
                                    </div>
                                    {step
                                        .time_limit
                                        .clone()
                                        .map(|t| view! { <div><dt>"时限"</dt><dd>{t}</dd></div> })}
                                    {step
                                        .materials
                                        .clone()
                                        .map(|m| view! { <div><dt>"材料"</dt><dd>{m}</dd></div> })}
                                </dl>
                                <MarkdownView source=step.description.clone() asset_base=asset_base.clone() />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
