//! Reading an article aloud.

use leptos::prelude::*;

use crate::app::browser;

/// Reads the current article aloud in Chinese where the browser has speech synthesis, with
/// pause/continue and stop. Hidden where it does not. The static page cannot know: it shows the
/// button disabled, and its head script hides it where the browser cannot speak.
#[component]
pub fn ReadAloud() -> impl IntoView {
    if !browser::LIVE {
        return view! {
            <div class="read-aloud no-print" role="group" aria-label="朗读">
                <button type="button" class="button button--ghost" disabled>"朗读全文"</button>
            </div>
        }
        .into_any();
    }
    let synth = browser::speech();
    let state = RwSignal::new("idle"); // idle | speaking | paused
    synth.map(|synth| {
        let (s1, s2, s3) = (synth.clone(), synth.clone(), synth);
        let start = move |_| {
            let text = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("article.doc").ok().flatten())
                .and_then(|el| el.text_content())
                .unwrap_or_default();
            if text.trim().is_empty() {
                return;
            }
            s1.cancel();
            if let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) {
                u.set_lang("zh-CN");
                u.set_rate(0.95);
                let done = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || state.set("idle"));
                u.set_onend(Some(wasm_bindgen::JsCast::unchecked_ref(done.as_ref())));
                done.forget();
                s1.speak(&u);
                state.set("speaking");
            }
        };
        let toggle = move |_| {
            if state.get_untracked() == "paused" {
                s2.resume();
                state.set("speaking");
            } else {
                s2.pause();
                state.set("paused");
            }
        };
        let stop = move |_| {
            s3.cancel();
            state.set("idle");
        };
        on_cleanup({
            let synth = browser::speech();
            move || {
                if let Some(s) = synth {
                    s.cancel();
                }
            }
        });
        view! {
            <div class="read-aloud no-print" role="group" aria-label="朗读">
                {move || if state.get() == "idle" {
                    view! { <button type="button" class="button button--ghost" on:click=start.clone()>"朗读全文"</button> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button--ghost" on:click=toggle.clone()>
                            {move || if state.get() == "paused" { "继续朗读" } else { "暂停" }}
                        </button>
                        <button type="button" class="button button--ghost" on:click=stop.clone()>"停止"</button>
                    }.into_any()
                }}
            </div>
        }
    })
    .into_any()
}
