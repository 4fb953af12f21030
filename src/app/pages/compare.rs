use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::components::WithManifest;
use crate::app::set_title;
use crate::content::compare::{rows, Row, Selection, MAX_COMPARED, MIN_COMPARED};
use crate::content::{routes, Kind};

/// Side-by-side facts of 2–4 communities; the choice is in the address (`?ids=a,b`).
#[component]
pub fn ComparePage() -> impl IntoView {
    set_title("社区数据对比");
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        Selection::from_query(query.read().get("ids").as_deref().unwrap_or_default())
    });
    let navigate = use_navigate();
    let toggle = move |id: String, on: bool| {
        let ids = chosen.with_untracked(|s| s.toggled(&id, on));
        navigate(
            &routes::compare(&ids.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    };

    view! {
        <p class="breadcrumb"><A href="/communities">"身边典型"</A></p>
        <h1>"社区数据对比"</h1>
        <p>{format!("选择 {MIN_COMPARED} 至 {MAX_COMPARED} 个社区，按同名指标逐项对比。")}</p>
        <WithManifest let:manifest>
            {
                let toggle = toggle.clone();
                let picker = manifest
                    .items_of(Kind::Community)
                    .map(|item| {
                        let (id, id2, id3) = (item.id.clone(), item.id.clone(), item.id.clone());
                        let toggle = toggle.clone();
                        let is_on = move || chosen.with(|s| s.contains(&id));
                        view! {
                            <li>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        disabled=!crate::app::browser::LIVE
                                        prop:checked=is_on.clone()
                                        prop:disabled=move || !chosen.with(|s| s.can_choose(&id2))
                                        on:change=move |ev| toggle(id3.clone(), event_target_checked(&ev))
                                    />
                                    <span>{item.title.clone()}</span>
                                    {item.is_sample().then(|| view! { <span class="badge badge--sample">"示例"</span> })}
                                </label>
                            </li>
                        }
                    })
                    .collect_view();
                let table = move || {
                    let selection = chosen.get();
                    let picked = selection.communities(&manifest);
                    if picked.len() < MIN_COMPARED {
                        return view! { <p class="empty">{format!("请至少选择 {MIN_COMPARED} 个社区。")}</p> }.into_any();
                    }
                    let rows = rows(&picked.iter().map(|(_, c)| *c).collect::<Vec<_>>());
                    view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="社区数据对比表（可左右滚动）">
                            <table class="compare-table">
                                <caption>"社区数据对比"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"指标"</th>
                                        {picked.iter().map(|(item, c)| {
                                            let (href, title) = (item.route(), item.title.clone());
                                            view! {
                                                <th scope="col">
                                                    <A href=href>{title}</A>
                                                    {c.sample.then(|| view! { " " <span class="badge badge--sample">"示例"</span> })}
                                                </th>
                                            }
                                        }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|Row { label, cells }| view! {
                                        <tr>
                                            <th scope="row">{label}</th>
                                            {cells.into_iter().map(|c| view! { <td>{c.unwrap_or_else(|| "—".into())}</td> }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                };
                view! {
                    <fieldset class="picker">
                        <legend>"选择社区"</legend>
                        <ul>{picker}</ul>
                    </fieldset>
                    {table}
                }
            }
        </WithManifest>
    }
}
