use leptos::prelude::*;

/// A body, or part of one, rendered to HTML by the content tool with the core's safe renderer
/// (raw HTML in the markdown is shown as text, unsafe links are dropped), so inserting it is not
/// inserting untrusted HTML.
#[component]
pub fn MarkdownView(
    /// The rendered HTML ([`crate::content::rendered::RenderedBody`]).
    #[prop(into)]
    html: String,
) -> impl IntoView {
    view! { <div class="prose" inner_html=html></div> }
}
