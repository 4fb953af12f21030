use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::app::set_title;

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
