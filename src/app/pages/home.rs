use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::assignments::use_assignments;
use crate::app::components::{ItemCard, WithManifest};
use crate::app::pages::TaskCard;
use crate::app::progress_store::use_progress;
use crate::app::set_title;
use crate::content::{routes, Kind};

/// The front page: what the portal offers and what is new.
#[component]
pub fn HomePage() -> impl IntoView {
    set_title("");
    view! {
        <section class="hero">
            <h1>"智慧党建学习平台"</h1>
            <p class="hero__lead">
                "从“面对面”到“键对键”：学习各地城市基层党建的经验，对照规范把工作做细，看看身边的典型社区。"
            </p>
        </section>
        <WithManifest let:manifest>
            {
                let tasks = use_assignments();
                let m = manifest.clone();
                move || {
                    let open = tasks.tasks.get();
                    (!open.is_empty()).then(|| view! {
                        <section aria-labelledby="tasks-heading">
                            <h2 id="tasks-heading">"我的任务"</h2>
                            {open.into_iter().map(|a| view! { <TaskCard assignment=a manifest=m.clone() /> }).collect_view()}
                        </section>
                    })
                }
            }
            {
                let store = use_progress();
                let m = manifest.clone();
                move || {
                    let resume = store.record.with(|p| p.resume(&*m))?;
                    let item = m.resolve(&resume.item)?.clone();
                    Some(view! {
                        <section class="continue" aria-labelledby="continue-heading">
                            <h2 id="continue-heading">"继续学习"</h2>
                            <p>
                                <span class=format!("badge badge--{}", item.kind().key())>{item.kind().noun()}</span>
                                " "
                                <A href=item.route()>{item.title.clone()}</A>
                                " "
                                <span class="state state--opened">{resume.state.label()}</span>
                            </p>
                        </section>
                    })
                }
            }
            <nav class="sections" aria-label="内容分类">
                {Kind::ALL
                    .into_iter()
                    .map(|k| {
                        let count = manifest.items_of(k).count();
                        let blurb = match k {
                            Kind::Case => "各地破解难题的做法、数据与出处",
                            Kind::Workflow => "逐步对照、逐项打勾的工作规范",
                            Kind::Community => "典型社区的概况与数据对比",
                            Kind::Module => "按主题编排的课程与自测题",
                        };
                        view! {
                            <A href=routes::list(k) attr:class="section-card">
                                <span class="section-card__title">{k.label()}</span>
                                <span class="section-card__count">{format!("{count} 篇")}</span>
                                <span class="section-card__blurb">{blurb}</span>
                            </A>
                        }
                    })
                    .collect_view()}
            </nav>
            <section aria-labelledby="modules-heading">
                <h2 id="modules-heading">"学习模块"</h2>
                <div class="card-grid">
                    {manifest
                        .items_of(Kind::Module)
                        .map(|item| {
                            view! { <ItemCard item=item.clone() manifest=manifest.clone() /> }
                        })
                        .collect_view()}
                </div>
            </section>
            <section aria-labelledby="cases-heading">
                <h2 id="cases-heading">"他山之石"</h2>
                <div class="card-grid">
                    {
                        manifest
                            .newest_cases()
                            .into_iter()
                            .take(4)
                            .map(|item| {
                                view! { <ItemCard item=item.clone() manifest=manifest.clone() /> }
                            })
                            .collect_view()
                    }
                </div>
                <p class="more"><A href="/cases">"查看全部案例"</A></p>
            </section>
        </WithManifest>
    }
}
