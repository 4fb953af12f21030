use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::app::assignments::{clear_fragment, use_assignments};
use crate::app::browser::{self, base_url};
use crate::app::components::{ShareBox, WithManifest};
use crate::app::pages::save_file;
use crate::app::set_title;
use crate::app::storage;
use crate::assign::{
    assignment_link, new_id, parse_many, parse_receipt, Assignment, Cell, Date, DecodeError, Group,
    Intake, QuizScore, Receipt, Removed, Roster, Table, ROWS_PER_PAGE,
};
use crate::content::{Kind, Manifest, Ref};
use crate::progress::datetime::local_datetime;

/// What a deletion took out, with its description, until the trainer undoes it or deletes
/// something else.
type Undo = RwSignal<Option<(String, Removed)>>;

/// Tells the router the fragment is answered, so the same link opened again is read again. The
/// address bar no longer has it already (`clear_fragment`); this replaces, never adds, an entry.
fn forget_fragment(navigate: &impl Fn(&str, NavigateOptions)) {
    navigate(
        "/trainer",
        NavigateOptions {
            replace: true,
            scroll: false,
            ..NavigateOptions::default()
        },
    );
}

/// A receipt link's fragment, read: `None` when the address carries no code (`#main` from the
/// skip link is not a receipt).
fn incoming(hash: &str) -> Option<Result<Receipt, DecodeError>> {
    (hash.contains("r=") || hash.contains("DJ")).then(|| parse_receipt(hash))
}

/// 培训管理: make an assignment (link + QR), list what was assigned, collect receipts and see
/// who finished. Everything is kept on this device.
///
/// A receipt link (`/trainer#r=…`) only shows the receipt and what adding it would do; it is
/// added on the trainer's click. The code leaves the address bar and the history once read.
#[component]
pub fn TrainerPage() -> impl IntoView {
    set_title("培训管理");
    let store = use_assignments();
    store.load_roster();
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let hash = use_location().hash;
    let receipt_link = Memo::new(move |_| incoming(&hash.get()));
    // The link has been read into `receipt_link`; nothing should keep it (a reload, the back
    // button, a shared screenshot of the address bar).
    Effect::new(move || {
        if receipt_link.with(Option::is_some) {
            clear_fragment();
        }
    });
    let undo: Undo = RwSignal::new(None);
    // Tables drawn open: at first the most recently active assignment made here.
    let open: RwSignal<BTreeSet<String>> = RwSignal::new(
        store
            .roster
            .with_untracked(Roster::groups)
            .into_iter()
            .find(|g| g.known)
            .map(|g| g.id)
            .into_iter()
            .collect(),
    );
    // Answering (添加回执, 不添加, 知道了) tells the router the fragment is gone, which ends this.
    let pending = move || receipt_link.get();
    view! {
        <h1>"培训管理"</h1>
        <p>"为社区工作者布置学习模块或单篇内容，发出链接或二维码；收回执后在下表查看完成情况。数据只保存在本机。"</p>
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || store.problem.get().map(|p| view! { <p class="notice" role="alert">{p}</p> })}
        <WithManifest on_device=true let:manifest>
            {
                let manifest = manifest.clone();
                let navigate = use_navigate();
                move || pending().map(|r| match r {
                    Err(e) => { let navigate = navigate.clone(); view! {
                        <div class="load-error" role="alert">
                            <p class="load-error__title">"回执链接无法读取"</p>
                            <p>{e.to_string()}</p>
                            <button type="button" class="button button--ghost" on:click=move |_| {
                                forget_fragment(&navigate);
                            }>"知道了"</button>
                        </div>
                    }.into_any() },
                    Ok(r) => view! {
                        <IncomingReceipt receipt=r manifest=manifest.clone() message=message open=open />
                    }.into_any(),
                })
            }
            <NewAssignment manifest=manifest.clone() />
            <Receipts open=open />
            <Groups manifest=manifest.clone() open=open undo=undo />
        </WithManifest>
    }
}

/// The text of one cell: a score, a completion time, 未完成, or — when the receipt does not
/// list the item.
fn cell_text(cell: &Cell, utc_offset_minutes: i32) -> String {
    match (cell.completed_at, cell.quiz) {
        (_, Some(QuizScore { best, passed })) => {
            format!("{}{best} 分", if passed { "✓ " } else { "" })
        }
        (Some(t), None) => format!("✓ {}", local_datetime(t, utc_offset_minutes)),
        (None, None) if cell.listed => "未完成".to_string(),
        _ => "—".to_string(),
    }
}

/// What adding the receipt would do, in a sentence.
fn intake_text(intake: &Intake, who: &str, utc_offset_minutes: i32) -> String {
    let time = |t: u64| local_datetime(t, utc_offset_minutes);
    match intake {
        Intake::New => format!("这是 {who} 这项任务的第一份回执。"),
        Intake::Replace { previous } => {
            format!("将替换 {who} 在 {} 生成的旧回执。", time(*previous))
        }
        Intake::Same => format!("{who} 的这份回执已经收过了，无需再添加。"),
        Intake::Older { kept } => format!(
            "本机已有 {who} 更新的回执（{} 生成），这份较旧，不会添加。",
            time(*kept)
        ),
        Intake::Refused(why) => format!("不能添加：{why}"),
    }
}

/// A receipt from a link, shown for the trainer to check: who, which assignment, which items,
/// when, and what adding it would do. Nothing is added until 添加回执.
#[component]
fn IncomingReceipt(
    receipt: Receipt,
    manifest: Arc<Manifest>,
    message: RwSignal<Option<String>>,
    open: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let store = use_assignments();
    let offset = browser::utc_offset_minutes();
    let ours = store
        .roster
        .with(|r| r.assignment(&receipt.assignment).map(|a| a.title.clone()));
    let intake = store.roster.with(|r| r.intake(&receipt, browser::now()));
    let changes = intake.changes();
    let verdict = intake_text(&intake, &receipt.worker, offset);
    let refused = matches!(intake, Intake::Refused(_));
    let items = receipt
        .items
        .iter()
        .map(|i| {
            let title = manifest
                .resolve(&i.item)
                .map(|m| format!("{}：{}", i.item.kind.noun(), m.title))
                .unwrap_or_else(|| i.item.to_string());
            let cell = Cell {
                listed: true,
                completed_at: i.completed_at,
                quiz: i.quiz,
            };
            view! { <li>{format!("{title} · {}", cell_text(&cell, offset))}</li> }
        })
        .collect_view();
    let assignment_text = match ours {
        Some(title) => format!("{title}（本机布置的任务）"),
        None => format!(
            "不是本机布置的任务（编号 {}）。回执中写的任务名称，未经核实：“{}”",
            receipt.assignment, receipt.title
        ),
    };
    let navigate = use_navigate();
    let navigate_add = navigate.clone();
    let who = receipt.worker.clone();
    let (created, status) = (receipt.created, receipt.status().label());
    let add = move |_| {
        let who = receipt.worker.clone();
        let id = receipt.assignment.clone();
        let taken = store.update_roster(|r| r.take(receipt.clone(), browser::now()));
        message.set(Some(match taken {
            Some(Intake::New) => format!("已添加 {who} 的回执"),
            Some(Intake::Replace { .. }) => format!("已更新 {who} 的回执"),
            Some(other) => intake_text(&other, &who, offset),
            None => String::new(),
        }));
        open.update(|o| {
            o.insert(id);
        });
        forget_fragment(&navigate_add);
    };
    let decline = move |_| {
        message.set(Some("未添加这份回执。".to_string()));
        forget_fragment(&navigate);
    };
    view! {
        <section class="panel" aria-labelledby="incoming-heading">
            <h2 id="incoming-heading">"收到一份学习回执（尚未添加）"</h2>
            <p>"以下内容读自回执链接。请核对后决定是否添加。回执由学员自行生成，属于自报信息。"</p>
            <dl class="assignment__facts">
                <div><dt>"学员"</dt><dd>{who}</dd></div>
                <div><dt>"任务"</dt><dd>{assignment_text}</dd></div>
                <div><dt>"回执生成时间"</dt><dd>{local_datetime(created, offset)}</dd></div>
                <div><dt>"完成情况"</dt><dd>{status}</dd></div>
            </dl>
            <h3>"学习内容"</h3>
            <ol class="module-items">{items}</ol>
            {if refused {
                view! { <p class="load-error" role="alert">{verdict}</p> }.into_any()
            } else {
                view! { <p class="notice">{verdict}</p> }.into_any()
            }}
            <div class="button-row">
                {changes.then(|| view! { <button type="button" class="button" on:click=add>"添加回执"</button> })}
                <button type="button" class="button button--ghost" on:click=decline>{if changes { "不添加" } else { "知道了" }}</button>
            </div>
        </section>
    }
}

#[component]
fn NewAssignment(manifest: Arc<Manifest>) -> impl IntoView {
    let store = use_assignments();
    let title = RwSignal::new(String::new());
    let trainer = RwSignal::new(storage::preference("trainer-name").unwrap_or_default());
    let note = RwSignal::new(String::new());
    let today = Date::from_millis(browser::now(), browser::utc_offset_minutes());
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
    // The filter folds Traditional characters and full-width forms with the search tables; until
    // they are there (or if they fail), it matches lowercase text.
    let normalizer = LocalResource::new(crate::app::search_state::load_normalizer);
    let picker = move || {
        let normalizer = normalizer.get().and_then(Result::ok);
        let normalize = |t: &str| match &normalizer {
            Some(n) => n.normalize(t),
            None => t.to_lowercase(),
        };
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
        let Ok(due_date) = due.get_untracked().parse::<Date>() else {
            error.set(Some("请填写截止日期".into()));
            return;
        };
        let Some(random) = browser::random_bytes::<6>() else {
            error.set(Some(
                "这个浏览器不能生成安全的随机任务编号，请换用较新版本的浏览器".into(),
            ));
            return;
        };
        let refs: Vec<Ref> = chosen
            .get_untracked()
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        let a = Assignment {
            id: new_id(random),
            title: title.get_untracked().trim().to_string(),
            trainer: trainer.get_untracked().trim().to_string(),
            note: note.get_untracked().trim().to_string(),
            due: due_date,
            created: browser::now(),
            items: refs,
        };
        match assignment_link(&base_url(), &a) {
            Ok(link) => {
                storage::set_preference("trainer-name", &a.trainer);
                let title = a.title.clone();
                match store.update_roster(|r| r.add_assignment(a)) {
                    Some(Err(e)) => error.set(Some(e.to_string())),
                    _ => made.set(Some((link, title))),
                }
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

/// Pasting receipts: each code found is taken in by the same rules as a link
/// ([`Roster::take`]); the trainer's click on 添加粘贴的回执 is the consent.
#[component]
fn Receipts(open: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let store = use_assignments();
    let pasted = RwSignal::new(String::new());
    let results: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let add = move |_| {
        let text = pasted.get_untracked();
        match parse_many(&text) {
            // The text stays in the box: nothing the trainer pasted is lost.
            Err(e) => results.set(vec![e.to_string()]),
            Ok(list) => {
                let now = browser::now();
                let mut touched = Vec::new();
                // One change and one save for the whole paste.
                let lines = store.update_roster(|roster| {
                    list.into_iter()
                        .map(|p| {
                            let excerpt = p.excerpt();
                            match p.result {
                                Ok(r) => {
                                    let who = r.worker.clone();
                                    let id = r.assignment.clone();
                                    match roster.take(r, now) {
                                        Intake::New => {
                                            touched.push(id);
                                            format!("{excerpt}：已添加 {who}")
                                        }
                                        Intake::Replace { .. } => {
                                            touched.push(id);
                                            format!("{excerpt}：已更新 {who}")
                                        }
                                        Intake::Same => format!("{excerpt}：{who} 的回执已存在"),
                                        Intake::Older { .. } => format!(
                                            "{excerpt}：本机已有 {who} 更新的回执，这份未添加"
                                        ),
                                        Intake::Refused(why) => {
                                            format!("{excerpt}：{who} 的回执未添加：{why}")
                                        }
                                    }
                                }
                                Err(e) => format!("{excerpt}：{e}"),
                            }
                        })
                        .collect::<Vec<_>>()
                });
                open.update(|o| o.extend(touched));
                results.set(lines.unwrap_or_default());
                pasted.set(String::new());
            }
        }
    };
    view! {
        <section aria-labelledby="receipts-heading" class="panel">
            <h2 id="receipts-heading">"收回执"</h2>
            <p>"回执由学员自行生成，是自报信息，只能发现传输中的损坏，不能防伪。"</p>
            <label class="field field--wide"><span>"粘贴回执（可一次粘贴多条）"</span>
                <textarea rows="4" prop:value=move || pasted.get() on:input=move |e| pasted.set(event_target_value(&e))></textarea></label>
            <button type="button" class="button" on:click=add>"添加粘贴的回执"</button>
            <ul class="paste-results" role="status">{move || results.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </section>
    }
}

/// The assignments made here, each with its table; then, apart, the receipts of assignments
/// not made here, whose titles are only what the receipts claim.
#[component]
fn Groups(manifest: Arc<Manifest>, open: RwSignal<BTreeSet<String>>, undo: Undo) -> impl IntoView {
    let store = use_assignments();
    let groups = Memo::new(move |_| store.roster.with(Roster::groups));
    let ids = move |known: bool| {
        groups.with(|gs| {
            gs.iter()
                .filter(|g| g.known == known)
                .map(|g| g.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let card = {
        let manifest = manifest.clone();
        move |id: String| view! { <GroupCard id=id groups=groups manifest=manifest.clone() open=open undo=undo /> }
    };
    let foreign_card = card.clone();
    view! {
        {move || undo.get().map(|(what, removed)| view! {
            <div class="notice" role="status">
                <p>{what}</p>
                <button type="button" class="button button--ghost" on:click=move |_| {
                    store.update_roster(|r| r.restore(removed.clone()));
                    undo.set(None);
                }>"撤销"</button>
            </div>
        })}
        <section aria-labelledby="tables-heading">
            <h2 id="tables-heading">"完成情况"</h2>
            {move || ids(true).is_empty().then(|| view! { <p class="empty">"还没有在本机布置的任务。"</p> })}
            <For each=move || ids(true) key=|id| id.clone() children=card />
        </section>
        {move || (!ids(false).is_empty()).then(|| {
            let foreign_card = foreign_card.clone();
            view! {
                <section aria-labelledby="foreign-heading">
                    <h2 id="foreign-heading">"不是本机布置的任务的回执"</h2>
                    <p class="notice">"下面这些回执所属的任务不是在本机布置的。任务名称是回执自己写的，未经核实，可能是冒充的；只按任务编号分组。"</p>
                    <For each=move || ids(false) key=|id| id.clone() children=foreign_card />
                </section>
            }
        })}
    }
}

/// One assignment: its title (or, for one not made here, its id and the receipts' claim), the
/// counts, and its table when open.
#[component]
fn GroupCard(
    id: String,
    groups: Memo<Vec<Group>>,
    manifest: Arc<Manifest>,
    open: RwSignal<BTreeSet<String>>,
    undo: Undo,
) -> impl IntoView {
    let store = use_assignments();
    let group = {
        let id = id.clone();
        Memo::new(move |_| groups.with(|gs| gs.iter().find(|g| g.id == id).cloned()))
    };
    let is_open = {
        let id = id.clone();
        move || open.with(|o| o.contains(&id))
    };
    let toggle = {
        let id = id.clone();
        move |_| {
            open.update(|o| {
                if !o.remove(&id) {
                    o.insert(id.clone());
                }
            })
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let what = group.with_untracked(|g| match g {
                Some(g) if g.known => {
                    format!("已删除任务“{}”及其 {} 份回执。", g.title, g.receipts)
                }
                Some(g) => format!("已删除任务编号 {} 的 {} 份回执。", g.id, g.receipts),
                None => String::new(),
            });
            if let Some(removed) = store.update_roster(|r| r.remove_assignment(&id)) {
                undo.set(Some((what, removed)));
            }
        }
    };
    let table_id = id.clone();
    move || {
        group.get().map(|g| {
            let heading = if g.known {
                known_heading(&g.title, g.due)
            } else {
                format!("任务编号 {}", g.id)
            };
            let delete_label = if g.known {
                format!("删除任务“{}”及其回执", g.title)
            } else {
                format!("删除任务编号 {} 的回执", g.id)
            };
            let is_open_now = is_open();
            let is_open = is_open.clone();
            view! {
                <article class="roster">
                    <h3>{heading.clone()}</h3>
                    {(!g.known).then(|| view! {
                        <p>"回执中写的任务名称（未经核实）：" <q>{g.title.clone()}</q></p>
                    })}
                    <p>{format!("已收到 {} 份回执，{} 份全部完成", g.receipts, g.complete)}</p>
                    <div class="button-row">
                        <button type="button" class="button button--ghost" aria-expanded=move || is_open().to_string()
                            aria-label=format!("{}：{heading}", if is_open_now { "收起表格" } else { "查看完成情况" })
                            on:click=toggle.clone()>
                            {if is_open_now { "收起表格" } else { "查看完成情况" }}
                        </button>
                        <button type="button" class="button button--ghost" on:click=delete.clone()>{delete_label}</button>
                    </div>
                    {is_open_now.then(|| view! {
                        <RosterTable id=table_id.clone() manifest=manifest.clone() undo=undo />
                    })}
                </article>
            }
        })
    }
}

/// One assignment's table, a page of rows at a time.
#[component]
fn RosterTable(id: String, manifest: Arc<Manifest>, undo: Undo) -> impl IntoView {
    let store = use_assignments();
    let offset = browser::utc_offset_minutes();
    let table = {
        let id = id.clone();
        Memo::new(move |_| store.roster.with(|r| r.table(&id)))
    };
    let page = RwSignal::new(0usize);
    let csv_error: RwSignal<Option<String>> = RwSignal::new(None);
    let export = {
        let manifest = manifest.clone();
        move |_| {
            // Built on the click, not with the table: 2,000 rows of times take a while.
            let file = table.with_untracked(|t| {
                t.as_ref().map(|t| {
                    (
                        t.csv(&*manifest, offset),
                        t.file_name(browser::now(), offset),
                    )
                })
            });
            match file {
                Some((Ok(text), name)) => save_file(&name, &text, "text/csv;charset=utf-8"),
                Some((Err(e), _)) => csv_error.set(Some(e.to_string())),
                None => {}
            }
        }
    };
    let body = move || {
        table.with(|t| {
            let t = t.as_ref()?;
            let caption = if t.known {
                known_heading(&t.title, t.due)
            } else {
                format!("任务编号 {} 的回执（任务名称未经核实）", t.assignment)
            };
            let (done, partial, none) = t.counts();
            let pages = t.pages(ROWS_PER_PAGE);
            let current = page.get().min(pages - 1);
            let range = t.page_rows(current, ROWS_PER_PAGE);
            let (first, last, total) = (range.start + 1, range.end, t.rows.len());
            let headings = t
                .columns
                .iter()
                .map(|c| view! { <th scope="col">{Table::heading(c, &*manifest)}</th> })
                .collect_view();
            let rows = t.rows[range]
                .iter()
                .map(|row| {
                    let worker = row.worker.clone();
                    let label = format!("删除 {worker} 的回执");
                    let assignment = t.assignment.clone();
                    let remove = move |_| {
                        let removed =
                            store.update_roster(|r| r.remove_receipt(&assignment, &worker));
                        if let Some(removed) = removed.filter(|r| !r.is_empty()) {
                            undo.set(Some((format!("已删除 {worker} 的回执。"), removed)));
                        }
                    };
                    view! {
                        <tr>
                            <th scope="row">{row.worker.clone()}</th>
                            <td>{row.status.label()}</td>
                            {row.cells.iter().map(|c| view! { <td>{cell_text(c, offset)}</td> }).collect_view()}
                            <td><button type="button" class="button button--ghost" aria-label=label on:click=remove>"删除"</button></td>
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                <p>{format!("全部完成 {done} 人 · 部分完成 {partial} 人 · 未开始 {none} 人")}</p>
                {(t.hidden_columns > 0).then(|| view! {
                    <p class="notice">{format!("表格最多显示 {} 列，另有 {} 列未显示。", t.columns.len(), t.hidden_columns)}</p>
                })}
                <div class="table-scroll" tabindex="0" role="region" aria-label="完成情况表（可左右滚动）">
                    <table class="compare-table">
                        <caption class="visually-hidden">{caption.clone()}</caption>
                        <thead><tr>
                            <th scope="col">"学员"</th><th scope="col">"状态"</th>
                            {headings}
                            <th scope="col">"操作"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <nav class="button-row" aria-label=format!("{caption} 分页")>
                    <button type="button" class="button button--ghost" disabled={current == 0}
                        on:click=move |_| page.set(current.saturating_sub(1))>"上一页"</button>
                    <span role="status">{if total == 0 {
                        "还没有回执".to_string()
                    } else {
                        format!("第 {first}–{last} 人，共 {total} 人（第 {}/{pages} 页）", current + 1)
                    }}</span>
                    <button type="button" class="button button--ghost" disabled={current + 1 >= pages}
                        on:click=move |_| page.set(current + 1)>"下一页"</button>
                </nav>
            })
        })
    };
    view! {
        <div>
            {body}
            <button type="button" class="button button--ghost" on:click=export>"导出表格（CSV）"</button>
            {move || csv_error.get().map(|e| view! { <p class="load-error">{e}</p> })}
        </div>
    }
}

/// The heading of an assignment made on this device: its title and due date, the same over its
/// group and its table.
fn known_heading(title: &str, due: Option<Date>) -> String {
    format!(
        "{title}（截止 {}）",
        due.map(|d| d.to_string()).unwrap_or_default()
    )
}
