use leptos::prelude::*;

use crate::content::markdown;

/// A markdown fragment rendered by the core's safe renderer (raw HTML is shown as text, unsafe
/// links are dropped), so inserting its output is not inserting untrusted HTML.
#[component]
pub fn MarkdownView(
    /// The markdown text.
    #[prop(into)]
    source: String,
    /// Where relative image paths point, e.g. `/content/cases/`.
    #[prop(into)]
    asset_base: String,
) -> impl IntoView {
    let html = markdown::render(&source, &asset_base);
    view! { <div class="prose" inner_html=html></div> }
}
