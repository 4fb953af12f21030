use leptos::prelude::*;

use crate::app::pages::save_file;
use crate::assign::{qr_svg, qr_version};

/// A link to hand on: the link as text, a copy button, its QR code (SVG made by our own code
/// from the QR matrix, no text from the link in it) and a download of the QR.
#[component]
pub fn ShareBox(
    #[prop(into)] link: String,
    #[prop(into)] label: String,
    /// Extra text to copy (e.g. a receipt as chat text).
    #[prop(optional, into)]
    text: Option<String>,
    #[prop(into)] file_stem: String,
) -> impl IntoView {
    let copied = RwSignal::new(None::<&'static str>);
    let qr = qr_svg(&link);
    let version = qr_version(&link).ok();
    let copy = move |value: String, what: &'static str| {
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            let promise = clipboard.write_text(&value);
            leptos::task::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                copied.set(Some(if ok {
                    what
                } else {
                    "复制失败，请长按上面的文字手动复制"
                }));
            });
        }
    };
    let link_for_copy = link.clone();
    let input_label = label.clone();
    view! {
        <div class="share-box">
            <label class="field">
                <span>{input_label}</span>
                <input type="text" readonly prop:value=link.clone() on:focus=|e| {
                    if let Some(el) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()) {
                        el.select();
                    }
                } />
            </label>
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| copy(link_for_copy.clone(), "链接已复制")>"复制链接"</button>
                {text.map(|t| view! {
                    <button type="button" class="button button--ghost" on:click=move |_| copy(t.clone(), "文字已复制，可直接粘贴到微信")>"复制文字"</button>
                })}
            </div>
            <p class="share-box__status" role="status">{move || copied.get()}</p>
            {match qr {
                Ok(svg) => {
                    let download = svg.clone();
                    let name = format!("{file_stem}.svg");
                    view! {
                        <figure class="qr">
                            <div class="qr__image" role="img" aria-label="二维码" inner_html=svg></div>
                            <figcaption>{version.map(|v| format!("微信扫一扫即可打开（二维码版本 {v}）")).unwrap_or_default()}</figcaption>
                            <button type="button" class="button button--ghost" on:click=move |_| save_file(&name, &download, "image/svg+xml")>"下载二维码"</button>
                        </figure>
                    }.into_any()
                }
                Err(e) => view! { <p class="notice">{e.to_string()}</p> }.into_any(),
            }}
        </div>
    }
}
