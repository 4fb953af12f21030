use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::components::{ItemCard, WithManifest};
use crate::app::set_title;
use crate::content::listing::Listing;
use crate::content::{routes, Item, Kind};

/// All items of one kind, filtered by tag and region through the query string
/// (`?tag=grid-governance&region=辽宁省`), so a filtered list can be shared.
#[component]
pub fn ListPage(kind: Kind) -> impl IntoView {
    set_title(kind.label());
    let query = use_query_map();
    let listing = Memo::new(move |_| {
        let query = query.read();
        Listing::from_query(kind, query.get("tag"), query.get("region"))
    });
    let tag = Memo::new(move |_| listing.with(|l| l.tag.clone()));
    let region = Memo::new(move |_| listing.with(|l| l.region.clone()));
    let href =
        move |tag: Option<&str>, region: Option<&str>| routes::filtered_list(kind, tag, region);
    let navigate = use_navigate();

    view! {
        <h1>{kind.label()}</h1>
        <WithManifest let:manifest>
            {
                let tags = manifest.tags_of(kind);
                let regions = manifest.regions_of(kind);
                let shown = {
                    let manifest = manifest.clone();
                    move || {
                        listing
                            .with(|l| l.items(&manifest).into_iter().cloned().collect::<Vec<Item>>())
                    }
                };
                let manifest_for_cards = manifest.clone();
                let navigate = navigate.clone();
                view! {
                    <div class="filters" role="group" aria-label="筛选">
                        <ul class="chips" aria-label="按标签筛选">
                            <li>
                                <a
                                    href=move || href(None, region.get().as_deref())
                                    class="chip"
                                    aria-current=move || tag.get().is_none().then_some("true")
                                >
                                    "全部"
                                </a>
                            </li>
                            {tags
                                .into_iter()
                                .map(|t| {
                                    let label = manifest.tag_label(&t).to_string();
                                    let t2 = t.clone();
                                    view! {
                                        <li>
                                            <a
                                                href=move || href(Some(&t), region.get().as_deref())
                                                class="chip"
                                                aria-current=move || {
                                                    (tag.get().as_deref() == Some(t2.as_str())).then_some("true")
                                                }
                                            >
                                                {label}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {(!regions.is_empty()).then(|| {
                            let navigate = navigate.clone();
                            view! {
                                <label class="select">
                                    <span>"地区"</span>
                                    <select
                                        disabled=!crate::app::browser::LIVE
                                        prop:value=move || region.get().unwrap_or_default()
                                        on:change=move |ev| {
                                            let r = event_target_value(&ev);
                                            let r = (!r.is_empty()).then_some(r);
                                            navigate(&href(tag.get().as_deref(), r.as_deref()), NavigateOptions::default());
                                        }
                                    >
                                        <option value="">"全部地区"</option>
                                        {regions
                                            .into_iter()
                                            .map(|r| view! { <option value=r.clone()>{r.clone()}</option> })
                                            .collect_view()}
                                    </select>
                                </label>
                            }
                        })}
                        {(kind == Kind::Community).then(|| view! {
                            <A href="/communities/compare" attr:class="button button--ghost">"对比社区数据"</A>
                        })}
                    </div>
                    {move || {
                        let list = shown();
                        if list.is_empty() {
                            view! {
                                <p class="empty">
                                    "没有符合条件的内容。"
                                    <A href=href(None, None)>"清除筛选"</A>
                                </p>
                            }
                                .into_any()
                        } else {
                            let m = manifest_for_cards.clone();
                            view! {
                                <p class="result-count" aria-live="polite">{format!("共 {} 篇", list.len())}</p>
                                <div class="card-grid">
                                    {list
                                        .into_iter()
                                        .map(|item| {
                                            view! { <ItemCard item=item manifest=m.clone() /> }
                                        })
                                        .collect_view()}
                                </div>
                            }
                                .into_any()
                        }
                    }}
                }
            }
        </WithManifest>
    }
}
