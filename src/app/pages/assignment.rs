use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::app::assignments::use_assignments;
use crate::app::browser;
use crate::app::components::WithManifest;
use crate::app::set_title;
use crate::assign::{due_text, parse_assignment, TaskList};

/// A worker opens an assignment link (`/assignment#a=…`): what is asked, by whom, by when, and
/// a button to accept it. Everything shown comes from the link and is rendered as text; once
/// accepted, the link leaves the address bar and the history (the entry is replaced by 我的任务).
#[component]
pub fn AssignmentPage() -> impl IntoView {
    set_title("学习任务");
    let hash = use_location().hash;
    let store = use_assignments();
    let navigate = use_navigate();
    view! {
        <h1>"学习任务"</h1>
        <WithManifest on_device=true let:manifest>
            {
                let navigate = navigate.clone();
                move || match parse_assignment(&hash.get()) {
                    Err(e) => view! {
                        <div class="load-error" role="alert">
                            <p class="load-error__title">"任务链接无法打开"</p>
                            <p>{e.to_string()}</p>
                            <p>"请向布置任务的同志重新索取链接或二维码。"</p>
                        </div>
                    }
                    .into_any(),
                    Ok(a) => {
                        let days = a.days_left(browser::now(), browser::utc_offset_minutes());
                        let accepted = store.has_task(&a.id);
                        let refused = TaskList::check(&a, browser::now()).err();
                        let items = a
                            .items
                            .iter()
                            .map(|r| {
                                let title = manifest.resolve(r).map(|i| i.title.clone());
                                let known = title.is_some();
                                view! {
                                    <li>
                                        <span class=format!("badge badge--{}", r.kind.key())>{r.kind.noun()}</span>
                                        " "
                                        {if known {
                                            view! { <A href=r.href()>{title.unwrap_or_default()}</A> }.into_any()
                                        } else {
                                            view! { <span>{format!("{r}（本站暂无此内容）")}</span> }.into_any()
                                        }}
                                    </li>
                                }
                            })
                            .collect_view();
                        let navigate = navigate.clone();
                        let failed: RwSignal<Option<String>> = RwSignal::new(None);
                        let accept = {
                            let a = a.clone();
                            move |_| match store.accept(a.clone(), browser::now()) {
                                // Replacing this entry takes the link out of the history.
                                Ok(()) => navigate(
                                    "/tasks",
                                    NavigateOptions {
                                        replace: true,
                                        ..NavigateOptions::default()
                                    },
                                ),
                                Err(e) => failed.set(Some(e.to_string())),
                            }
                        };
                        view! {
                            <article class="assignment">
                                <h2>{a.title.clone()}</h2>
                                <dl class="assignment__facts">
                                    <div><dt>"布置人"</dt><dd>{a.trainer.clone()}</dd></div>
                                    <div><dt>"截止日期"</dt><dd>{format!("{}（{}）", a.due, due_text(days))}</dd></div>
                                </dl>
                                {(!a.note.is_empty()).then(|| view! { <p class="assignment__note">{a.note.clone()}</p> })}
                                <h3>"学习内容"</h3>
                                <ol class="module-items">{items}</ol>
                                {match (accepted, refused) {
                                    (true, _) => view! { <p class="notice">"你已接受这项任务。" <A href="/tasks">"查看我的任务"</A></p> }.into_any(),
                                    (false, Some(e)) => view! {
                                        <div class="load-error" role="alert">
                                            <p class="load-error__title">"不能接受这项任务"</p>
                                            <p>{e.to_string()}</p>
                                        </div>
                                    }.into_any(),
                                    (false, None) => view! { <button type="button" class="button" on:click=accept>"接受任务"</button> }.into_any(),
                                }}
                                {move || failed.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
                            </article>
                        }
                        .into_any()
                    }
                }
            }
        </WithManifest>
    }
}
