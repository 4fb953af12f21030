//! Mounting the app over the static page (`crate::site::prerender` writes it into each route's
//! `index.html`, from this same app rendered natively).
//!
//! The app's first render is not the page yet: it fetches the manifest and the body and shows
//! "正在加载…" meanwhile. Swapping at mount would replace a readable article with a loading line,
//! and showing both would put two headings and two sets of landmarks on the page. So the app
//! mounts into an element that is not in the document, and that element replaces `#prerender`
//! in one step once the app's page has its content (an `<h1>` in `<main>` and no `.loading`
//! left), or after [`FALLBACK_MS`] whatever it shows, or at once when the reader types (the `/`
//! search shortcut needs the app). Both render the same markup, so nothing moves; at no moment
//! does the document hold both.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent};

/// The id of the element that holds the static page (`crate::site::prerender` writes it); the
/// app replaces it.
pub const CONTAINER_ID: &str = "prerender";

/// How long the prerender may stay after the app mounted if the app's page never looks ready
/// (a page this module does not know): then the app is shown as it is.
const FALLBACK_MS: f64 = 10_000.0;

/// The prerender still showing, the app's root waiting to replace it, and the key listener that
/// hurries it.
struct Waiting {
    prerender: Element,
    root: HtmlElement,
    on_key: Option<js_sys::Function>,
}

type Shared = Rc<RefCell<Option<Waiting>>>;

thread_local! {
    /// The path this document was loaded at, before the router changed the address.
    static LOADED_AT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The path (`location.pathname`) this document was loaded at. A route drawn by the other
/// bundle reloads only when the router got there by a link, never when the host already
/// answered this very address with this bundle (that would loop).
pub fn loaded_at() -> String {
    LOADED_AT.with(|p| p.borrow().clone())
}

/// Mounts `app` (the reader's `App` or the trainer's `TrainerApp`); takes over the prerendered
/// page if there is one for this address.
pub fn mount<V: IntoView + 'static>(app: fn() -> V) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(path) = web_sys::window().and_then(|w| w.location().pathname().ok()) {
        LOADED_AT.with(|p| *p.borrow_mut() = path);
    }
    let Some(root) = document
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        leptos::mount::mount_to_body(app);
        return;
    };
    root.set_id("app");
    let early_slash = take_early_slash(&document);
    match document.get_element_by_id(CONTAINER_ID) {
        Some(prerender) if is_for_this_address(&document, &prerender) => {
            let waiting: Shared = Rc::new(RefCell::new(Some(Waiting {
                prerender,
                root: root.clone(),
                on_key: None,
            })));
            hurry_on_typing(&waiting);
            leptos::mount::mount_to(root, app).forget();
            if early_slash {
                take_over(&waiting);
            } else {
                swap_when_ready(waiting, js_sys::Date::now());
            }
        }
        prerender => {
            // Nothing to show meanwhile: mount in place at once, as a plain app would.
            let placed = match prerender {
                Some(p) => p.replace_with_with_node_1(&root).is_ok(),
                None => document
                    .body()
                    .is_some_and(|b| b.append_child(&root).is_ok()),
            };
            if placed {
                leptos::mount::mount_to(root, app).forget();
            } else {
                leptos::mount::mount_to_body(app);
            }
        }
    }
    if early_slash {
        focus_search(&document);
    }
}

/// True (once) when `/` was pressed before the WASM ran: the prerendered page's own script keeps
/// that key (`data-early-key`) until the app, which owns the shortcut, has started.
fn take_early_slash(document: &Document) -> bool {
    let Some(html) = document.document_element() else {
        return false;
    };
    let asked = html.get_attribute("data-early-key").as_deref() == Some("/");
    if asked {
        let _ = html.remove_attribute("data-early-key");
    }
    asked
}

/// Focuses the header's search box, as the `/` shortcut does.
fn focus_search(document: &Document) {
    if let Some(input) = document
        .get_element_by_id("site-search")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}

/// The page's script already hid a prerender made for another address (a host that served
/// `index.html` for `/record`, a list with filters in its query); this checks the same, in case
/// the script did not run.
fn is_for_this_address(document: &Document, prerender: &Element) -> bool {
    let hidden = document
        .document_element()
        .and_then(|e| e.get_attribute("data-prerender"))
        .is_some_and(|v| v == "off");
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let path = location.pathname().unwrap_or_default();
    let path = match path.trim_end_matches('/') {
        "" => "/",
        p => p,
    };
    let query = location.search().unwrap_or_default();
    let query_matters = prerender.get_attribute("data-query").is_some();
    !hidden
        && prerender.get_attribute("data-route").as_deref() == Some(path)
        && (query.is_empty() || !query_matters)
}

/// A key the prerender cannot serve (`/` for search, typing) shows the app at once, even if it
/// is still loading. The listener captures on the window, so it runs before the app's own
/// shortcut handler, which then finds its search box in the document. Keys the browser handles
/// on the prerender itself (Tab, arrows, Enter on a link) leave it in place.
fn hurry_on_typing(waiting: &Shared) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let shared = waiting.clone();
    let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
        let browser_key = matches!(
            e.key().as_str(),
            "Tab"
                | "Shift"
                | "Control"
                | "Alt"
                | "Meta"
                | "CapsLock"
                | "Enter"
                | "Escape"
                | " "
                | "ArrowUp"
                | "ArrowDown"
                | "ArrowLeft"
                | "ArrowRight"
                | "PageUp"
                | "PageDown"
                | "Home"
                | "End"
        );
        if !browser_key && !e.ctrl_key() && !e.meta_key() && !e.alt_key() {
            take_over(&shared);
        }
    })
    .into_js_value()
    .unchecked_into::<js_sys::Function>();
    if window
        .add_event_listener_with_callback_and_bool("keydown", &on_key, true)
        .is_ok()
    {
        if let Some(w) = waiting.borrow_mut().as_mut() {
            w.on_key = Some(on_key);
        }
    }
}

/// Checks once a frame (before it is painted) whether the app's page has its content.
fn swap_when_ready(waiting: Shared, started: f64) {
    let ready = match waiting.borrow().as_ref() {
        None => return,
        Some(w) => has_content(&w.root) || js_sys::Date::now() - started > FALLBACK_MS,
    };
    if ready {
        take_over(&waiting);
    } else {
        request_animation_frame(move || swap_when_ready(waiting, started));
    }
}

/// Replaces the prerender with the app, once.
fn take_over(waiting: &Shared) {
    let Some(w) = waiting.borrow_mut().take() else {
        return;
    };
    if w.prerender.replace_with_with_node_1(&w.root).is_err() {
        w.prerender.remove();
        if let Some(body) = w.root.owner_document().and_then(|d| d.body()) {
            let _ = body.append_child(&w.root);
        }
    }
    if let (Some(window), Some(f)) = (web_sys::window(), w.on_key) {
        let _ = window.remove_event_listener_with_callback_and_bool("keydown", &f, true);
    }
}

/// A page has its content when its heading is there and nothing is still loading; an error with
/// a retry button counts too, since that is what the reader must see.
fn has_content(root: &HtmlElement) -> bool {
    let has = |selector: &str| root.query_selector(selector).ok().flatten().is_some();
    has("main h1") && !has("main .loading")
}
