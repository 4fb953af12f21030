use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::app::{browser, set_title};

/// The page for an address the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title("页面不存在");
    let path = use_location().pathname;
    view! {
        <section class="not-found">
            <h1>"页面不存在"</h1>
            <p>"没有找到地址 " <code>{move || path.get()}</code> " 对应的页面，可能链接有误或内容已调整。"</p>
            <p>
                <A href="/">"返回首页"</A>
                " · "
                <A href="/cases">"浏览他山之石"</A>
            </p>
        </section>
    }
}

/// A route the other bundle draws: the trainer's page (培训管理) in the reader's app, or any
/// reader's page in the trainer's. Reached by a link inside the app, the browser loads the
/// address, and the host (or the service worker) answers with that bundle's page. When this
/// document was itself loaded at this address, the other bundle could not be had (offline before
/// its first visit): loading again would loop, so the page says why and offers to try again.
#[component]
pub fn ElsewherePage() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let loaded_here = crate::app::takeover::loaded_at() == path;
    if !loaded_here {
        // After the router has put the address into the history (it does so after this view
        // is built): the load replaces that entry, so 后退 still goes to the page before.
        let href = format!(
            "{path}{}{}",
            location.search.get_untracked(),
            location.hash.get_untracked()
        );
        if browser::LIVE {
            set_timeout(
                move || {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().replace(&href);
                    }
                },
                std::time::Duration::ZERO,
            );
        }
        return view! {
            <section class="not-found">
                <h1>"正在打开…"</h1>
                <p class="loading">"正在载入这一页。"</p>
            </section>
        }
        .into_any();
    }
    set_title("暂时无法打开");
    let online = browser::online();
    view! {
        <section class="not-found">
            <h1>"暂时无法打开这一页"</h1>
            <p>
                {if online {
                    "这一页的程序没有下载成功，请检查网络后重新加载。"
                } else {
                    "这一页需要联网打开一次，之后离线也能使用。请连上网络后重新加载。"
                }}
            </p>
            <p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                    }
                >
                    "重新加载"
                </button>
                " · "
                <a href="/" rel="external">"返回首页"</a>
            </p>
        </section>
    }
    .into_any()
}
