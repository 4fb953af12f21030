use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::pages::search_href;
use crate::app::search_state::use_search;

/// How long typing must pause before the results follow (ms).
const DEBOUNCE_MS: u64 = 150;

/// The search box in the header: loads the index on first focus, follows typing to the results
/// page (debounced), and takes focus when `/` is pressed anywhere outside a text field.
#[component]
pub fn SearchBox() -> impl IntoView {
    let search = use_search();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let on_search_page = move || location.pathname.get() == "/search";
    let value = move || {
        if on_search_page() {
            query.read().get("q").unwrap_or_default()
        } else {
            String::new()
        }
    };
    let pending: StoredValue<Option<TimeoutHandle>, LocalStorage> = StoredValue::new_local(None);

    let go = {
        let navigate = navigate.clone();
        move |q: String| {
            let (kind, tag, region) = {
                let m = query.read_untracked();
                if location.pathname.get_untracked() == "/search" {
                    (m.get("kind"), m.get("tag"), m.get("region"))
                } else {
                    (None, None, None)
                }
            };
            let replace = location.pathname.get_untracked() == "/search";
            navigate(
                &search_href(&q, kind.as_deref(), tag.as_deref(), region.as_deref()),
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        }
    };

    let _slash = window_event_listener(ev::keydown, move |e| {
        if e.key() != "/" || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let typing = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.has_attribute("contenteditable")
            });
        if !typing {
            if let Some(el) = input.get_untracked() {
                e.prevent_default();
                let _ = el.focus();
            }
        }
    });

    let go_input = go.clone();
    view! {
        <form
            class="search-box"
            role="search"
            on:submit=move |e| {
                e.prevent_default();
                if let Some(el) = input.get_untracked() {
                    go(el.value());
                }
            }
        >
            <label class="visually-hidden" for="site-search">"搜索内容"</label>
            <input
                id="site-search"
                disabled=!crate::app::browser::LIVE
                node_ref=input
                type="search"
                placeholder="搜索案例、流程、社区（按 / 键）"
                autocomplete="off"
                enterkeyhint="search"
                prop:value=value
                on:focus=move |_| search.ensure_loaded()
                on:input=move |e| {
                    let q = event_target_value(&e);
                    if let Some(h) = pending.get_value() {
                        h.clear();
                    }
                    let go = go_input.clone();
                    let handle = set_timeout_with_handle(
                        move || go(q),
                        std::time::Duration::from_millis(DEBOUNCE_MS),
                    )
                    .ok();
                    pending.set_value(handle);
                }
            />
        </form>
    }
}
