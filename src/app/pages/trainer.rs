use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::app::assignments::{base_url, random_bytes, use_assignments};
use crate::app::components::{ShareBox, WithManifest};
use crate::app::pages::save_file;
use crate::app::set_title;
use crate::app::storage;
use crate::assign::{
    assignment_link, new_id, parse_many, parse_receipt, Added, Assignment, Date, SortKey, Table,
};
use crate::content::{Kind, Manifest, Ref};
use crate::search::normalize::normalize;

/// 培训管理: make an assignment (link + QR), list what was assigned, collect receipts and see
/// who finished. Everything is kept on this device.
#[component]
pub fn TrainerPage() -> impl IntoView {
    set_title("培训管理");
    let store = use_assignments();
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    // Opening a receipt link (`/trainer#r=…`) adds the receipt.
    let hash = use_location().hash;
    Effect::new(move || {
        let h = hash.get();
        if h.contains("r=") {
            match parse_receipt(&h) {
                Ok(r) => {
                    let who = r.worker.clone();
                    let added = store.update_roster(|roster| roster.add(r));
                    message.set(Some(match added {
                        Some(Ok(Added::New)) => format!("已收到 {who} 的回执"),
                        Some(Ok(Added::Newer)) => format!("已更新 {who} 的回执"),
                        Some(Ok(_)) => format!("{who} 的这份回执已经收过了"),
                        Some(Err(e)) => e.to_string(),
                        None => String::new(),
                    }));
                }
                Err(e) => message.set(Some(format!("回执链接无法读取：{e}"))),
            }
        }
    });
    view! {
        <h1>"培训管理"</h1>
        <p>"为社区工作者布置学习模块或单篇内容，发出链接或二维码；收回执后在下表查看完成情况。数据只保存在本机。"</p>
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || store.problem.get().map(|p| view! { <p class="notice" role="alert">{p}</p> })}
        <WithManifest let:manifest>
            <NewAssignment manifest=manifest.clone() />
            <Receipts manifest=manifest.clone() />
        </WithManifest>
    }
}

#[component]
fn NewAssignment(manifest: Arc<Manifest>) -> impl IntoView {
    let store = use_assignments();
    let title = RwSignal::new(String::new());
    let trainer = RwSignal::new(storage::preference("trainer-name").unwrap_or_default());
    let note = RwSignal::new(String::new());
    let today = Date::from_millis(storage::now(), storage::utc_offset_minutes());
    let due = RwSignal::new(
        today
            .and_then(|d| d.add_days(7))
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let chosen: RwSignal<BTreeSet<String>> = RwSignal::new(BTreeSet::new());
    let filter = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let made: RwSignal<Option<(String, String)>> = RwSignal::new(None);

    let items: Vec<(Ref, String)> = Kind::ALL
        .into_iter()
        .flat_map(|k| {
            manifest
                .items_of(k)
                .map(|i| (i.reference(), i.title.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    // The filter folds Traditional characters and full-width forms with the search tables.
    let search = crate::app::search_state::use_search();
    search.ensure_tables();
    let picker = move || {
        let _ = search.tables();
        let f = normalize(filter.get().trim());
        items
            .iter()
            .filter(|(r, t)| f.is_empty() || r.kind == Kind::Module || normalize(t).contains(&f))
            .map(|(r, t)| {
                let key = r.to_string();
                let (k1, k2) = (key.clone(), key.clone());
                view! {
                    <li>
                        <label class="check">
                            <input type="checkbox"
                                prop:checked=move || chosen.with(|c| c.contains(&k1))
                                on:change=move |e| {
                                    let on = event_target_checked(&e);
                                    chosen.update(|c| { if on { c.insert(k2.clone()); } else { c.remove(&k2); } });
                                } />
                            <span class=format!("badge badge--{}", r.kind.key())>{r.kind.noun()}</span>
                            <span>{t.clone()}</span>
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    let create = move |_| {
        error.set(None);
        let due_date = match due.get_untracked().parse::<Date>() {
            Ok(d) => d,
            Err(_) => {
                error.set(Some("请填写截止日期".into()));
                return;
            }
        };
        let refs: Vec<Ref> = chosen
            .get_untracked()
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        let a = Assignment {
            id: new_id(random_bytes()),
            title: title.get_untracked().trim().to_string(),
            trainer: trainer.get_untracked().trim().to_string(),
            note: note.get_untracked().trim().to_string(),
            due: due_date,
            created: storage::now(),
            items: refs,
        };
        match assignment_link(&base_url(), &a) {
            Ok(link) => {
                storage::set_preference("trainer-name", &a.trainer);
                let title = a.title.clone();
                let _ = store.update_roster(|r| r.add_assignment(a));
                made.set(Some((link, title)));
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <section aria-labelledby="new-heading" class="panel">
            <h2 id="new-heading">"布置学习任务"</h2>
            <label class="field"><span>"任务名称"</span>
                <input type="text" maxlength="60" prop:value=move || title.get() on:input=move |e| title.set(event_target_value(&e)) /></label>
            <label class="field"><span>"截止日期"</span>
                <input type="date" prop:value=move || due.get() on:input=move |e| due.set(event_target_value(&e)) /></label>
            <label class="field"><span>"布置人"</span>
                <input type="text" maxlength="40" prop:value=move || trainer.get() on:input=move |e| trainer.set(event_target_value(&e)) /></label>
            <label class="field"><span>"说明（可选）"</span>
                <textarea maxlength="500" rows="3" prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))></textarea></label>
            <fieldset class="picker">
                <legend>"选择学习内容"</legend>
                <label class="field"><span>"按标题查找"</span>
                    <input type="search" prop:value=move || filter.get() on:input=move |e| filter.set(event_target_value(&e)) /></label>
                <p>{move || format!("已选 {} 项", chosen.with(BTreeSet::len))}</p>
                <ul>{picker}</ul>
            </fieldset>
            <button type="button" class="button" on:click=create>"生成任务链接"</button>
            {move || error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
            {move || made.get().map(|(link, t)| view! {
                <section class="made" aria-label="已生成的任务">
                    <p>{format!("“{t}”已生成，把链接或二维码发给社区工作者：")}</p>
                    <ShareBox link=link label="任务链接" file_stem="任务二维码" />
                </section>
            })}
        </section>
    }
}

#[component]
fn Receipts(manifest: Arc<Manifest>) -> impl IntoView {
    let store = use_assignments();
    let pasted = RwSignal::new(String::new());
    let results: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let add = move |_| {
        let text = pasted.get_untracked();
        match parse_many(&text) {
            Err(e) => results.set(vec![e.to_string()]),
            Ok(list) => {
                let mut lines = Vec::new();
                for p in list {
                    let excerpt = p.excerpt();
                    match p.result {
                        Ok(r) => {
                            let who = r.worker.clone();
                            let added = store.update_roster(|roster| roster.add(r));
                            lines.push(match added {
                                Some(Ok(Added::New)) => format!("{excerpt}：已添加 {who}"),
                                Some(Ok(Added::Newer)) => format!("{excerpt}：已更新 {who}"),
                                Some(Ok(_)) => format!("{excerpt}：{who} 的回执已存在"),
                                Some(Err(e)) => format!("{excerpt}：{e}"),
                                None => excerpt,
                            });
                        }
                        Err(e) => lines.push(format!("{excerpt}：{e}")),
                    }
                }
                results.set(lines);
                pasted.set(String::new());
            }
        }
    };
    let tables = move || {
        let groups = store.roster.with(|r| r.groups());
        groups
            .into_iter()
            .filter_map(|g| store.roster.with(|r| r.table(&g.id)))
            .map(|mut t| {
                t.sort(SortKey::Status);
                view! { <RosterTable table=t manifest=manifest.clone() /> }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="receipts-heading" class="panel">
            <h2 id="receipts-heading">"收回执"</h2>
            <p>"回执由学员自行生成，是自报信息，只能发现传输中的损坏，不能防伪。"</p>
            <label class="field field--wide"><span>"粘贴回执（可一次粘贴多条）"</span>
                <textarea rows="4" prop:value=move || pasted.get() on:input=move |e| pasted.set(event_target_value(&e))></textarea></label>
            <button type="button" class="button" on:click=add>"添加回执"</button>
            <ul class="paste-results" role="status">{move || results.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </section>
        <section aria-labelledby="tables-heading">
            <h2 id="tables-heading">"完成情况"</h2>
            {tables}
        </section>
    }
}

#[component]
fn RosterTable(table: Table, manifest: Arc<Manifest>) -> impl IntoView {
    let offset = storage::utc_offset_minutes();
    let headings: Vec<String> = table
        .columns
        .iter()
        .map(|c| Table::heading(c, &*manifest))
        .collect();
    let (done, partial, none) = table.counts();
    let csv = table.csv(&*manifest, offset);
    let file = table.file_name(storage::now(), offset);
    let caption = format!(
        "{}（截止 {}）",
        table.title,
        table.due.map(|d| d.to_string()).unwrap_or_default()
    );
    view! {
        <div class="roster">
            <h3>{caption.clone()}</h3>
            <p>{format!("全部完成 {done} 人 · 部分完成 {partial} 人 · 未开始 {none} 人")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="完成情况表（可左右滚动）">
                <table class="compare-table">
                    <caption class="visually-hidden">{caption}</caption>
                    <thead><tr>
                        <th scope="col">"学员"</th><th scope="col">"状态"</th>
                        {headings.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table.rows.iter().map(|row| view! {
                            <tr>
                                <th scope="row">{row.worker.clone()}</th>
                                <td>{row.status.label()}</td>
                                {row.cells.iter().map(|c| {
                                    let text = match (c.completed_at, c.quiz) {
                                        (_, Some(q)) => format!("{}{} 分", if q.passed { "✓ " } else { "" }, q.best),
                                        (Some(t), None) => format!("✓ {}", crate::progress::datetime::local_datetime(t, offset)),
                                        (None, None) if c.listed => "未完成".to_string(),
                                        _ => "—".to_string(),
                                    };
                                    view! { <td>{text}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {match csv {
                Ok(text) => view! { <button type="button" class="button button--ghost" on:click=move |_| save_file(&file, &text, "text/csv;charset=utf-8")>"导出表格（CSV）"</button> }.into_any(),
                Err(e) => view! { <p class="load-error">{e.to_string()}</p> }.into_any(),
            }}
        </div>
    }
}
