use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::app::browser;
use crate::app::components::WithManifest;
use crate::app::progress_store::use_progress;
use crate::app::set_title;
use crate::app::storage;
use crate::content::Manifest;
use crate::progress::backup::content_hash;
use crate::progress::export::ExportFormat;
use crate::progress::import::{preview_import, ImportPreview};
use crate::progress::storage_format::ReadOnly;
use crate::progress::Payload;

/// The learning record (学习档案): totals, modules, a timeline, the display name, print, and
/// export / import that merges and never overwrites silently.
#[component]
pub fn RecordPage() -> impl IntoView {
    set_title("学习档案");
    view! {
        <h1>"学习档案"</h1>
        <WithManifest on_device=true let:manifest>
            <Record manifest=manifest.clone() />
        </WithManifest>
    }
}

#[component]
fn Record(manifest: Arc<Manifest>) -> impl IntoView {
    let store = use_progress();
    let offset = browser::utc_offset_minutes();
    let m = manifest.clone();
    let totals = Memo::new(move |_| store.record.with(|p| p.totals(&*m, offset)));
    let name = Memo::new(move |_| {
        store
            .record
            .with(|p| p.display_name().unwrap_or_default().to_string())
    });
    let preview: RwSignal<Option<Arc<ImportPreview>>> = RwSignal::new(None);
    let import_error: RwSignal<Option<String>> = RwSignal::new(None);
    let import_done: RwSignal<Option<String>> = RwSignal::new(None);

    let m = manifest.clone();
    let modules = move || {
        store.record.with(|p| p.modules(&*m)).into_iter().map(|mp| {
            let title = m.resolve(&mp.status.item).map(|i| i.title.clone()).unwrap_or_default();
            let href = mp.status.item.href();
            let percent = mp.percent();
            let best = mp.quiz.best_score.map(|b| format!("，自测最高 {b} 分")).unwrap_or_default();
            view! {
                <tr>
                    <th scope="row"><A href=href>{title}</A></th>
                    <td>{mp.status.state.label()}</td>
                    <td>{format!("{} / {} 项{best}", mp.completed, mp.total)}</td>
                    <td><progress max="100" value=percent.to_string()>{format!("{percent}%")}</progress></td>
                </tr>
            }
        }).collect_view()
    };
    let m = manifest.clone();
    let timeline = move || {
        let mut entries = store.record.with(|p| p.timeline(&*m, offset));
        entries.reverse();
        let shown = entries.len().min(100);
        entries
            .into_iter()
            .take(shown)
            .map(|a| {
                let title = m
                    .resolve(&a.item)
                    .map(|i| i.title.clone())
                    .unwrap_or_default();
                let when = crate::progress::datetime::local_datetime(a.at, offset);
                view! { <li><time>{when}</time>" "{a.what.label()}" "{title}</li> }
            })
            .collect_view()
    };
    let m = manifest.clone();
    let download = move |format: ExportFormat| {
        let now = browser::now();
        let site = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        match store
            .record
            .with_untracked(|p| format.write(p, &*m, offset, &site))
        {
            Ok(text) => save_file(&format.file_name(now, offset), &text, format.mime()),
            Err(e) => import_error.set(Some(e.to_string())),
        }
    };
    let m = manifest.clone();
    let on_file = move |ev: web_sys::Event| {
        import_error.set(None);
        import_done.set(None);
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if file.size() > crate::progress::import::MAX_IMPORT_BYTES as f64 {
            import_error.set(Some(format!(
                "文件过大（{:.1} MB），学习记录文件不会超过 5 MB，请确认选对了文件",
                file.size() / 1_048_576.0
            )));
            return;
        }
        let m = m.clone();
        leptos::task::spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
                Err(_) => {
                    import_error.set(Some("无法读取所选文件".into()));
                    return;
                }
            };
            let now = browser::now();
            let result = store
                .record
                .with_untracked(|p| preview_import(p, &*m, &bytes, now));
            match result {
                Ok(p) => preview.set(Some(Arc::new(p))),
                Err(e) => import_error.set(Some(e.to_string())),
            }
        });
    };
    let apply = move |_| {
        if let Some(p) = preview.get_untracked() {
            let merged = store.record.with_untracked(|current| p.apply_to(current));
            match store.replace(merged) {
                Ok(()) => import_done.set(Some(format!("已导入：{}", p.summary()))),
                Err(why) => import_error.set(Some(why.to_string())),
            }
            preview.set(None);
        }
    };
    let read_only = move || store.read_only.get().is_some();

    view! {
        {move || store.read_only.get().map(|why| view! {
            <div class="notice notice--warn no-print" role="status">
                <p class="load-error__title">"只读显示"</p>
                <p>{why.to_string()}</p>
            </div>
        })}
        <section class="record-print-head">
            <p class="record-name">{move || { let n = name.get(); if n.is_empty() { "学员：（未填写）".to_string() } else { format!("学员：{n}") } }}</p>
        </section>
        <section aria-labelledby="totals-heading">
            <h2 id="totals-heading">"学习概况"</h2>
            <dl class="totals">
                <div><dt>"完成内容"</dt><dd>{move || totals.get().items_completed}" 篇"</dd></div>
                <div><dt>"完成模块"</dt><dd>{move || totals.get().modules_completed}" 个"</dd></div>
                <div><dt>"通过自测"</dt><dd>{move || totals.get().quizzes_passed}" 个"</dd></div>
                <div><dt>"学习天数"</dt><dd>{move || totals.get().days_active}" 天"</dd></div>
            </dl>
        </section>
        <section aria-labelledby="modules-heading">
            <h2 id="modules-heading">"学习模块"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="学习模块进度表（可左右滚动）">
                <table class="record-table">
                    <thead><tr><th scope="col">"模块"</th><th scope="col">"状态"</th><th scope="col">"进度"</th><th scope="col">"完成度"</th></tr></thead>
                    <tbody>{modules}</tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"学习记录"</h2>
            <ol class="timeline">{timeline}</ol>
            {move || (totals.get().first_active.is_none()).then(|| view! { <p class="empty">"还没有学习记录。打开一篇" <A href="/cases">"案例"</A> "开始学习吧。"</p> })}
        </section>
        <section class="no-print" aria-labelledby="name-heading">
            <h2 id="name-heading">"显示名称"</h2>
            <p>"打印学习档案时显示的姓名，只保存在本机，可不填。"</p>
            <label class="field">
                <span>"姓名"</span>
                <input type="text" maxlength="40" prop:value=move || name.get() prop:disabled=read_only
                    on:change=move |ev| store.append(Payload::DisplayNameSet { name: event_target_value(&ev).trim().to_string() }) />
            </label>
        </section>
        <section class="no-print" aria-labelledby="export-heading">
            <h2 id="export-heading">"导出与导入"</h2>
            <p>"学习记录只保存在这台设备的浏览器中。换设备前请先导出；导入时会与本机记录合并，不会覆盖。"</p>
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| print()>"打印学习档案"</button>
                {ExportFormat::ALL.into_iter().map(|format| {
                    let download = download.clone();
                    view! { <button type="button" class="button button--ghost" on:click=move |_| download(format)>{format.label()}</button> }
                }).collect_view()}
            </div>
            <label class="field">
                <span>"导入学习记录文件"</span>
                <input type="file" accept=".json,application/json" on:change=on_file prop:disabled=read_only />
            </label>
            {move || import_error.get().map(|e| view! { <div class="load-error" role="alert"><p class="load-error__title">"导入失败，本机记录未改变"</p><p>{e}</p></div> })}
            {move || import_done.get().map(|d| view! { <p class="notice" role="status">{d}</p> })}
            {move || preview.get().map(|p| {
                let changes = p.changes.iter().take(20).map(|c| {
                    let title = c.title.clone().unwrap_or_else(|| c.item.to_string());
                    view! { <li>{format!("{title}：{} → {}", c.before.label(), c.after.label())}</li> }
                }).collect_view();
                let refusal = p.refusal().map(|r| view! { <p class="load-error" role="alert">{r}</p> });
                let nothing = p.changes_nothing();
                view! {
                    <div class="import-preview" role="dialog" aria-label="导入预览">
                        {refusal}
                        <p>{p.summary()}</p>
                        <ul>{changes}</ul>
                        <div class="button-row">
                            {(!nothing).then(|| view! { <button type="button" class="button" on:click=apply>"确认合并"</button> })}
                            <button type="button" class="button button--ghost" on:click=move |_| preview.set(None)>{if nothing { "关闭" } else { "取消" }}</button>
                        </div>
                    </div>
                }
            })}
            <Backups />
        </section>
    }
}

/// Backups of stored documents that could not be read (the record, the task list, the roster),
/// each to download or delete; and, when an unreadable record could not be backed up, that
/// record itself.
#[component]
fn Backups() -> impl IntoView {
    let store = use_progress();
    let offset = browser::utc_offset_minutes();
    let list = RwSignal::new(storage::backup_list());
    // The key whose deletion waits for the learner's confirmation.
    let confirming: RwSignal<Option<String>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let delete = move |key: String| {
        match storage::delete_backup(&key) {
            Ok(()) => problem.set(None),
            Err(e) => problem.set(Some(e.to_string())),
        }
        confirming.set(None);
        list.set(storage::backup_list());
    };
    let held = move || {
        (store.read_only.get() == Some(ReadOnly::NotBackedUp))
            .then(|| storage::load_text(storage::RECORD_KEY))
            .flatten()
            .map(|raw| {
                let size = size_label(&raw);
                let name = format!("无法读取的学习记录-{}.json", content_hash(&raw) >> 32);
                let confirm_held = RwSignal::new(false);
                view! {
                    <div class="load-error">
                        <p class="load-error__title">"无法读取、也未能备份的学习记录"</p>
                        <p>{format!("原始数据（{size}）原样保留在本机。请先下载保存，再删除它，之后新的学习进度才能保存。")}</p>
                        <div class="button-row">
                            <button type="button" class="button button--ghost" on:click=move |_| save_file(&name, &raw, "application/json")>"下载原始数据"</button>
                            <button type="button" class="button button--ghost" on:click=move |_| confirm_held.set(true)>"删除原始数据"</button>
                        </div>
                        {move || confirm_held.get().then(|| view! {
                            <div role="alertdialog" aria-label="确认删除原始数据">
                                <p>"确定删除这份无法读取的学习记录吗？删除后无法恢复，请确认已经下载。"</p>
                                <div class="button-row">
                                    <button type="button" class="button" on:click=move |_| {
                                        match storage::delete_record() {
                                            Ok(()) => store.release(),
                                            Err(e) => problem.set(Some(e.to_string())),
                                        }
                                        confirm_held.set(false);
                                    }>"确定删除"</button>
                                    <button type="button" class="button button--ghost" on:click=move |_| confirm_held.set(false)>"取消"</button>
                                </div>
                            </div>
                        })}
                    </div>
                }
            })
    };
    let items = move || {
        list.get()
            .into_iter()
            .map(|b| {
                let when = b
                    .made_at
                    .map(|t| crate::progress::datetime::local_datetime(t, offset))
                    .unwrap_or_else(|| "时间不详".into());
                let title = format!("{}备份（{when}，{}）", b.label, size_label(&b.text));
                let key = b.key.clone();
                let asking = {
                    let key = key.clone();
                    move || confirming.get().as_deref() == Some(key.as_str())
                };
                let (file_name, text) = (b.file_name, b.text);
                let ask = {
                    let key = key.clone();
                    move |_| confirming.set(Some(key.clone()))
                };
                let title_for_confirm = title.clone();
                view! {
                    <li class="backup">
                        <p>{title.clone()}</p>
                        <div class="button-row">
                            <button type="button" class="button button--ghost" title=key.clone()
                                on:click=move |_| save_file(&file_name, &text, "application/json")>"下载"</button>
                            <button type="button" class="button button--ghost" on:click=ask>"删除"</button>
                        </div>
                        {move || asking().then(|| {
                            let key = key.clone();
                            view! {
                                <div role="alertdialog" aria-label="确认删除备份">
                                    <p>{format!("确定删除“{title_for_confirm}”吗？删除后无法恢复。")}</p>
                                    <div class="button-row">
                                        <button type="button" class="button" on:click=move |_| delete(key.clone())>"确定删除"</button>
                                        <button type="button" class="button button--ghost" on:click=move |_| confirming.set(None)>"取消"</button>
                                    </div>
                                </div>
                            }
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        {held}
        {move || (!list.get().is_empty()).then(|| view! {
            <section aria-labelledby="backups-heading">
                <h3 id="backups-heading">"无法读取的旧数据备份"</h3>
                <p>"本机保存的数据无法读取时，原始内容会另存为备份（相同内容只保存一份）。可以下载后交给管理员查看，不需要时可以删除。"</p>
                <ul class="backups">{items}</ul>
            </section>
        })}
        {move || problem.get().map(|p| view! { <p class="load-error" role="alert">{p}</p> })}
    }
}

/// A size for people: 812 字节, 1.2 KB, 3.4 MB.
fn size_label(text: &str) -> String {
    let n = text.len();
    if n < 1024 {
        format!("{n} 字节")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / 1_048_576.0)
    }
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Offers text as a file download.
pub fn save_file(name: &str, text: &str, mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
