//! The native render of the app: the site writer (`crate::site`) calls [`render`] for each
//! route to write its static page, from the same `App` the browser runs.
//!
//! The route's address goes to the router as its `RequestUrl`, the content as
//! [`StaticContent`] in context. Nothing here or in the app touches a browser API on this
//! path (`crate::app::browser` answers as a device with nothing stored), and effects do not run
//! natively, so the page is the app's first render for a new reader, with every control that
//! needs the app disabled until it has mounted.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use leptos_router::location::RequestUrl;

use super::{browser, App, StaticContent, TrainerApp};

/// Which bundle's app draws a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// The reader's app (`App`): every route a worker uses.
    Reader,
    /// The trainer's app (`TrainerApp`, 培训管理).
    Trainer,
}

/// One route's static page: the app's markup and the title the app gave the document.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPage {
    /// Everything the app draws: skip link, header, `<main>`, footer.
    pub html: String,
    /// The document title the page set (`页面 · 智慧党建学习平台`).
    pub title: String,
}

/// Renders `path` (`/`, `/cases/panjin-2018`, `/communities/compare`) as `bundle`'s app draws it
/// for a reader with nothing stored.
pub fn render(content: &Arc<StaticContent>, bundle: Bundle, path: &str) -> RenderedPage {
    // Not hydrating: the app takes the static page over rather than hydrating it, so the
    // render needs no hydration keys.
    let owner = Owner::new_root(Some(Arc::new(
        hydration_context::SsrSharedContext::new_islands(),
    )));
    let html = owner.with(|| {
        provide_context(RequestUrl::new(path));
        provide_context(content.clone());
        match bundle {
            Bundle::Reader => view! { <App /> }.to_html(),
            Bundle::Trainer => view! { <TrainerApp /> }.to_html(),
        }
    });
    drop(owner);
    let title = browser::take_title().unwrap_or_else(|| super::SITE_NAME.to_string());
    RenderedPage { html, title }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn smoke() {
        let checked = crate::site::check_folder(std::path::Path::new("content"));
        let manifest = checked.manifest();
        let content = Arc::new(StaticContent { manifest: Arc::new(manifest), bodies: HashMap::new() });
        for path in ["/", "/cases", "/cases/panjin-2018", "/search", "/record", "/trainer"] {
            let page = render(&content, Bundle::Reader, path);
            println!("=== {path} [{}]\n{}\n", page.title, page.html);
        }
    }
}
