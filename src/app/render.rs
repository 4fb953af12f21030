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
    use crate::content::{Manifest, MANIFEST_VERSION};
    use std::collections::HashMap;

    fn empty() -> Arc<StaticContent> {
        Arc::new(StaticContent {
            manifest: Arc::new(Manifest {
                version: MANIFEST_VERSION,
                tags: vec![],
                items: vec![],
            }),
            bodies: HashMap::new(),
        })
    }

    #[test]
    fn each_render_has_its_own_title_and_the_route_it_was_given() {
        let content = empty();
        let record = render(&content, Bundle::Reader, "/record");
        assert_eq!(record.title, "学习档案 · 智慧党建学习平台");
        assert!(record.html.contains("<h1>学习档案</h1>"), "{}", record.html);
        // The home page sets its own title; nothing is left over from the render before.
        let home = render(&content, Bundle::Reader, "/");
        assert_eq!(home.title, "智慧党建学习平台");
        assert!(home.html.contains("class=\"hero\""), "{}", home.html);
    }

    #[test]
    fn the_trainer_page_is_drawn_by_its_own_bundle() {
        let content = empty();
        let trainer = render(&content, Bundle::Trainer, "/trainer");
        assert!(
            trainer.html.contains("<h1>培训管理</h1>"),
            "{}",
            trainer.html
        );
        // In the reader's app the route only hands over; natively nothing is scheduled.
        let reader = render(&content, Bundle::Reader, "/trainer");
        assert!(reader.html.contains("正在打开…"), "{}", reader.html);
    }
}
