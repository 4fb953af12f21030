use leptos::prelude::*;

/// A failed load: what went wrong, in Chinese, and a button that tries again.
#[component]
pub fn LoadError(message: String, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="load-error" role="alert">
            <p class="load-error__title">"内容加载失败"</p>
            <p>{message}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                "重试"
            </button>
        </div>
    }
}
