//! The browser helpers the app calls outside event handlers: the clock, random ids, the site's
//! address, the document's title and root attributes, scrolling, and local storage.
//!
//! The same `App` is rendered natively by the site writer (`crate::site::render`), where there
//! is no browser. There every helper here answers as a browser with nothing stored would (no
//! storage, no speech, the epoch's clock) and touches nothing, so building the static page never
//! calls `web_sys`. Event handlers and effects, which never run natively, may call `web_sys`
//! themselves.

/// True in the browser; false while the site writer renders a static page.
pub const LIVE: bool = cfg!(target_arch = "wasm32");

/// Milliseconds since the epoch, now (0 natively: a static page shows no time).
pub fn now() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now().max(0.0) as u64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// Minutes to add to UTC for local time (China: +480).
pub fn utc_offset_minutes() -> i32 {
    #[cfg(target_arch = "wasm32")]
    {
        -(js_sys::Date::new_0().get_timezone_offset() as i32)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        480
    }
}

/// `N` random bytes from the browser's cryptographic generator (`crypto.getRandomValues`);
/// `None` where there is none (and natively), rather than a guessable value.
pub fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    #[cfg(target_arch = "wasm32")]
    {
        let mut out = [0u8; N];
        let crypto = web_sys::window()?.crypto().ok()?;
        crypto.get_random_values_with_u8_array(&mut out).ok()?;
        Some(out)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// A random hex id of `len` digits, for the anonymous learner id and the per-tab writer id.
/// Uses the cryptographic generator, or `Math.random` where a browser has none.
pub fn random_id(len: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let bytes = random_bytes::<16>().unwrap_or_else(weak_random_bytes);
        for b in bytes {
            for nibble in [b >> 4, b & 15] {
                if out.len() < len {
                    out.push(char::from(HEX[usize::from(nibble)]));
                }
            }
        }
    }
    out
}

fn weak_random_bytes() -> [u8; 16] {
    #[cfg(target_arch = "wasm32")]
    {
        std::array::from_fn(|_| (js_sys::Math::random() * 256.0) as u8)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        [0; 16]
    }
}

/// The site's base address for links (`https://host`); empty natively.
pub fn base_url() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
    }
}

/// Sets the document's title. Natively the title is kept for the site writer, which puts it in
/// the static page's `<title>` ([`take_title`]).
pub fn set_document_title(title: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
    #[cfg(not(target_arch = "wasm32"))]
    TITLE.with(|t| *t.borrow_mut() = Some(title.to_string()));
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static TITLE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The title the last native render set, taken (so the next render starts without one).
#[cfg(not(target_arch = "wasm32"))]
pub fn take_title() -> Option<String> {
    TITLE.with(|t| t.borrow_mut().take())
}

/// Sets attributes of the root element (`<html>`): the display preferences.
pub fn set_root_attributes(attributes: &[(&str, &str)]) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        for (name, value) in attributes {
            let _ = root.set_attribute(name, value);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = attributes;
}

/// Scrolls the element with this id into view, if there is one.
pub fn scroll_to(id: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Scrolls to the element an address's fragment names (`#%E7%A1%AE%E5%AE%9A`, decoded first).
pub fn scroll_to_fragment(fragment: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let id = js_sys::decode_uri_component(fragment)
            .map(String::from)
            .unwrap_or_else(|_| fragment.to_string());
        scroll_to(&id);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = fragment;
}

/// Whether the browser believes it is online (`navigator.onLine`); natively, yes.
pub fn online() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        true
    }
}

/// Whether the browser can read text aloud (`speechSynthesis`); never natively.
pub fn speech() -> Option<web_sys::SpeechSynthesis> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.speech_synthesis().ok())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// The site's local storage, where the browser allows it; never natively (a static page shows
/// a device with nothing stored).
pub fn local_storage() -> Option<web_sys::Storage> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()?.local_storage().ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn natively_nothing_is_random_stored_or_timed() {
        const { assert!(!LIVE) };
        assert_eq!(now(), 0);
        assert_eq!(random_bytes::<6>(), None);
        assert_eq!(random_id(8), "00000000");
        assert!(local_storage().is_none());
        assert!(speech().is_none());
        assert_eq!(base_url(), "");
    }

    #[test]
    fn a_native_title_is_kept_for_the_site_writer_once() {
        set_document_title("搜索 · 智慧党建学习平台");
        assert_eq!(take_title().as_deref(), Some("搜索 · 智慧党建学习平台"));
        assert_eq!(take_title(), None);
    }
}
