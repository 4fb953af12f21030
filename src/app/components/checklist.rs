//! A workflow's steps as a checklist.

use leptos::prelude::*;

use super::MarkdownView;
use crate::app::browser::LIVE;
use crate::app::progress_store::use_progress;
use crate::content::workflow::Step;
use crate::content::Ref;
use crate::progress::Payload;

/// A workflow's steps as a checklist a worker ticks off; ticks are kept in the learning record.
/// On the static page (before the app has mounted) the boxes and the print button are disabled,
/// so an early tap is visibly refused rather than lost.
#[component]
pub fn Checklist(
    workflow: Ref,
    /// Steps as [`crate::content::rendered::RenderedBody`] has them (descriptions are HTML).
    steps: Vec<Step>,
) -> impl IntoView {
    let store = use_progress();
    let total = steps.len();
    let done = {
        let workflow = workflow.clone();
        Memo::new(move |_| store.record.with(|p| p.ticked_steps(&workflow, total)))
    };
    let count = move || done.with(|d| d.iter().filter(|x| **x).count());
    view! {
        <section class="checklist" aria-labelledby="steps-heading">
            <div class="print-form print-only" aria-hidden="true">
                <p class="print-form__title">"工作台账"</p>
                <table class="print-form__fields">
                    <tr><th>"日期"</th><td></td><th>"地点"</th><td></td></tr>
                    <tr><th>"主持人"</th><td></td><th>"记录人"</th><td></td></tr>
                    <tr><th>"参加人员"</th><td colspan="3"></td></tr>
                </table>
            </div>
            <div class="checklist__head">
                <h2 id="steps-heading">"工作步骤"</h2>
                <button type="button" class="button button--ghost no-print" disabled=!LIVE on:click=move |_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }>"打印台账"</button>
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
                        let item = workflow.clone();
                        view! {
                            <li class="step" id=step.anchor.clone() class:step--done=checked>
                                <div class="step__title">
                                    <input
                                        type="checkbox"
                                        id=box_id.clone()
                                        disabled=!LIVE
                                        prop:checked=checked
                                        on:change=move |ev| {
                                            store.append(Payload::StepTicked {
                                                item: item.clone(),
                                                step: i,
                                                done: event_target_checked(&ev),
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
                                <MarkdownView html=step.description.clone() />
                                <p class="print-only step__sign">"完成情况：□ 已完成　□ 未完成　　经办人签字：__________　日期：__________"</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="print-only print-form__sign">"负责人签字：____________________　　审核日期：____________________"</p>
        </section>
    }
}
