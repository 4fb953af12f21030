use leptos::prelude::*;

use crate::app::storage;

/// Text size steps (percent of the base size); older readers can go up to 150%.
pub const TEXT_SIZES: [(u16, &str); 4] = [(100, "标准"), (115, "大"), (130, "较大"), (150, "特大")];

/// The remembered text size, if it is one of [`TEXT_SIZES`]; else the standard size. A stored
/// value is untrusted: 65535 % once made every page blank, with 显示设置 off the screen.
fn saved_text_size() -> u16 {
    storage::preference("text-size")
        .and_then(|s| s.parse().ok())
        .filter(|n| TEXT_SIZES.iter().any(|(size, _)| size == n))
        .unwrap_or(100)
}

/// Applies the remembered display preferences to the page before it is shown.
pub fn apply_saved() {
    let size = saved_text_size();
    let theme = storage::preference("theme").unwrap_or_else(|| "auto".into());
    let contrast = storage::preference("contrast").is_some_and(|c| c == "high");
    apply(size, &theme, contrast);
}

fn apply(size: u16, theme: &str, contrast: bool) {
    let scale = format!("--text-scale: {}", f32::from(size) / 100.0);
    crate::app::browser::set_root_attributes(&[
        ("style", &scale),
        ("data-theme", theme),
        ("data-contrast", if contrast { "high" } else { "normal" }),
    ]);
}

/// Text size, colour theme and high contrast, remembered on the device.
#[component]
pub fn DisplaySettings() -> impl IntoView {
    let size = RwSignal::new(saved_text_size());
    let theme = RwSignal::new(storage::preference("theme").unwrap_or_else(|| "auto".into()));
    let contrast = RwSignal::new(storage::preference("contrast").is_some_and(|c| c == "high"));
    Effect::new(move || {
        apply(size.get(), &theme.get(), contrast.get());
    });
    view! {
        // Natively (the static page) it is inert: a tap must not open a panel that does nothing
        // before the app runs.
        <details class="display-settings" inert=!crate::app::browser::LIVE>
            <summary>"显示设置"</summary>
            <div class="display-settings__panel">
                <fieldset>
                    <legend>"文字大小"</legend>
                    {TEXT_SIZES
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="text-size"
                                        prop:checked=move || size.get() == value
                                        on:change=move |_| {
                                            size.set(value);
                                            storage::set_preference("text-size", &value.to_string());
                                        }
                                    />
                                    <span>{format!("{label}（{value}%）")}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"配色"</legend>
                    {[("auto", "跟随系统"), ("light", "浅色"), ("dark", "深色")]
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="theme"
                                        prop:checked=move || theme.get() == value
                                        on:change=move |_| {
                                            theme.set(value.to_string());
                                            storage::set_preference("theme", value);
                                        }
                                    />
                                    <span>{label}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || contrast.get()
                        on:change=move |e| {
                            let on = event_target_checked(&e);
                            contrast.set(on);
                            storage::set_preference("contrast", if on { "high" } else { "normal" });
                        }
                    />
                    <span>"高对比度"</span>
                </label>
            </div>
        </details>
    }
}
