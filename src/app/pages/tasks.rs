use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::assignments::use_assignments;
use crate::app::browser::{self, base_url};
use crate::app::components::{ShareBox, WithManifest};
use crate::app::progress_store::use_progress;
use crate::app::set_title;
use crate::assign::{due_text, receipt_link, receipt_text, Assignment, Receipt};
use crate::content::Manifest;
use crate::progress::{ItemState, Payload};

/// 我的任务: accepted assignments with the state of each item, days left, and a completion
/// receipt to send back.
#[component]
pub fn TasksPage() -> impl IntoView {
    set_title("我的任务");
    let store = use_assignments();
    view! {
        <h1>"我的任务"</h1>
        {move || store.problem.get().map(|p| view! { <p class="notice" role="alert">{p}</p> })}
        <WithManifest on_device=true let:manifest>
            {
                let manifest = manifest.clone();
                move || {
                    let tasks = store.tasks.get();
                    if tasks.is_empty() {
                        return view! { <p class="empty">"还没有任务。打开培训组织者发来的任务链接或二维码即可接受任务。"</p> }.into_any();
                    }
                    tasks
                        .into_iter()
                        .map(|a| view! { <TaskCard assignment=a manifest=manifest.clone() /> })
                        .collect_view()
                        .into_any()
                }
            }
        </WithManifest>
    }
}

/// One accepted assignment.
#[component]
pub fn TaskCard(assignment: Assignment, manifest: Arc<Manifest>) -> impl IntoView {
    let progress = use_progress();
    let tasks = use_assignments();
    let days = assignment.days_left(browser::now(), browser::utc_offset_minutes());
    let overdue = days < 0;
    let a = assignment.clone();
    let m = manifest.clone();
    let receipt = Memo::new(move |_| {
        progress.record.with(|p| {
            let name = p.display_name().unwrap_or_default().to_string();
            Receipt::from_progress(
                &a,
                if name.is_empty() { "未署名" } else { &name },
                p,
                &*m,
                browser::now(),
            )
        })
    });
    let name = Memo::new(move |_| {
        progress
            .record
            .with(|p| p.display_name().unwrap_or_default().to_string())
    });
    let show_receipt = RwSignal::new(false);
    // Removing asks once more: the task came from a link that may be gone from the chat by now.
    let confirm_remove = RwSignal::new(false);
    let items = {
        let m = manifest.clone();
        let refs = assignment.items.clone();
        move || {
            refs.iter()
                .map(|r| {
                    let state = progress.record.with(|p| p.state(&*m, r));
                    let title = m.resolve(r).map(|i| i.title.clone()).unwrap_or_else(|| r.to_string());
                    view! {
                        <li>
                            <A href=r.href()>{title}</A>
                            " "
                            <span class=format!("state state--{}", crate::app::components::state_class(state))>{state.label()}</span>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let done = {
        let m = manifest.clone();
        let refs = assignment.items.clone();
        move || {
            progress.record.with(|p| {
                refs.iter()
                    .filter(|r| p.state(&*m, r) == ItemState::Completed)
                    .count()
            })
        }
    };
    let total = assignment.items.len();
    let id = assignment.id.clone();
    view! {
        <article class="task" class:task--overdue=overdue aria-label=assignment.title.clone()>
            <h2>{assignment.title.clone()}</h2>
            <p class="task__meta">
                {format!("{} 布置 · 截止 {} · ", assignment.trainer, assignment.due)}
                <strong class=if overdue { "overdue" } else { "" }>{due_text(days)}</strong>
            </p>
            <p>{move || format!("已完成 {} / {} 项", done(), total)}</p>
            <ol class="module-items">{items}</ol>
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| show_receipt.update(|s| *s = !*s)>"生成完成回执"</button>
                <button type="button" class="button button--ghost" on:click=move |_| confirm_remove.set(true)>"移除任务"</button>
            </div>
            {move || confirm_remove.get().then(|| {
                let id = id.clone();
                view! {
                    <div class="notice" role="alert">
                        <p>"确定从“我的任务”中移除这项任务吗？移除后需要重新打开任务链接才能找回。学习记录不受影响。"</p>
                        <div class="button-row">
                            <button type="button" class="button" on:click=move |_| tasks.remove_task(&id)>"确定移除"</button>
                            <button type="button" class="button button--ghost" on:click=move |_| confirm_remove.set(false)>"取消"</button>
                        </div>
                    </div>
                }
            })}
            {move || show_receipt.get().then(|| {
                let r = receipt.get();
                view! {
                    <section class="receipt" aria-label="完成回执">
                        <label class="field">
                            <span>"你的姓名（回执上显示）"</span>
                            <input type="text" maxlength="40" prop:value=move || name.get()
                                on:change=move |e| progress.append(Payload::DisplayNameSet { name: event_target_value(&e).trim().to_string() }) />
                        </label>
                        {match r.and_then(|r| Ok((receipt_link(&base_url(), &r)?, receipt_text(&r)?, r))) {
                            Ok((link, text, r)) => view! {
                                <p>{format!("回执状态：{}", r.status().label())}</p>
                                <ShareBox link=link label="回执链接（发给布置任务的同志）" text=text file_stem="回执二维码" />
                                <p class="note">"回执由你本人生成，记录的是本机学习情况，属于自报信息，不是防伪证明。"</p>
                            }.into_any(),
                            Err(e) => view! { <p class="load-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }}
                    </section>
                }
            })}
        </article>
    }
}
