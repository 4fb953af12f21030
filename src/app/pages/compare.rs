use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::components::WithManifest;
use crate::app::set_title;
use crate::content::{Details, Figure, Kind};

/// The most communities one table compares; more would not fit a phone.
const MAX_COMPARED: usize = 4;

/// Side-by-side facts of 2–4 communities; the choice is in the address (`?ids=a,b`).
#[component]
pub fn ComparePage() -> impl IntoView {
    set_title("社区数据对比");
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        query
            .read()
            .get("ids")
            .map(|s| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .take(MAX_COMPARED)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let navigate = use_navigate();
    let toggle = move |id: String, on: bool| {
        let mut ids = chosen.get_untracked();
        ids.retain(|x| *x != id);
        if on {
            ids.push(id);
        }
        navigate(
            &format!("/communities/compare?ids={}", ids.join(",")),
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
        <p>{format!("选择 2 至 {MAX_COMPARED} 个社区，按同名指标逐项对比。")}</p>
        <WithManifest let:manifest>
            {
                let communities: Vec<_> = manifest
                    .items_of(Kind::Community)
                    .filter_map(|i| match &i.details {
                        Details::Community(c) => Some((i.id.clone(), i.title.clone(), c.clone())),
                        _ => None,
                    })
                    .collect();
                let toggle = toggle.clone();
                let picker = communities
                    .iter()
                    .map(|(id, title, c)| {
                        let (id, id2, id3) = (id.clone(), id.clone(), id.clone());
                        let toggle = toggle.clone();
                        let is_on = move || chosen.with(|ids| ids.contains(&id));
                        view! {
                            <li>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=is_on.clone()
                                        prop:disabled=move || {
                                            !chosen.with(|ids| ids.contains(&id2)) && chosen.with(Vec::len) >= MAX_COMPARED
                                        }
                                        on:change=move |ev| toggle(id3.clone(), event_target_checked(&ev))
                                    />
                                    <span>{title.clone()}</span>
                                    {c.sample.then(|| view! { <span class="badge badge--sample">"示例"</span> })}
                                </label>
                            </li>
                        }
                    })
                    .collect_view();
                let table = move || {
                    let ids = chosen.get();
                    let picked: Vec<_> = ids
                        .iter()
                        .filter_map(|id| communities.iter().find(|(x, _, _)| x == id).cloned())
                        .collect();
                    if picked.len() < 2 {
                        return view! { <p class="empty">"请至少选择 2 个社区。"</p> }.into_any();
                    }
                    let rows = fact_rows(picked.iter().map(|(_, _, c)| c.facts.as_slice()));
                    view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="社区数据对比表（可左右滚动）">
                            <table class="compare-table">
                                <caption>"社区数据对比"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"指标"</th>
                                        {picked.into_iter().map(|(id, title, c)| view! {
                                            <th scope="col">
                                                <A href=Kind::Community.route(&id)>{title}</A>
                                                {c.sample.then(|| view! { " " <span class="badge badge--sample">"示例"</span> })}
                                            </th>
                                        }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|(label, cells)| view! {
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

/// One row per fact label, in first-seen order; a cell is `None` where a community lacks it.
fn fact_rows<'a>(facts: impl Iterator<Item = &'a [Figure]>) -> Vec<(String, Vec<Option<String>>)> {
    let facts: Vec<&[Figure]> = facts.collect();
    let mut labels: Vec<&str> = Vec::new();
    for f in facts.iter().flat_map(|f| f.iter()) {
        if !labels.contains(&f.label.as_str()) {
            labels.push(&f.label);
        }
    }
    labels
        .into_iter()
        .map(|label| {
            let cells = facts
                .iter()
                .map(|list| {
                    list.iter()
                        .find(|f| f.label == label)
                        .map(|f| format!("{} {}", f.value_text(), f.unit).trim().to_string())
                })
                .collect();
            (label.to_string(), cells)
        })
        .collect()
}
