//! The two WASM entry points' common start: the panic hook, then the mount over the prerendered
//! page. `src/main.rs` starts the reader's app, `src/trainer.rs` the trainer's (its own bundle).

/// The name of the function `public/loader.js` puts on the global object for the panic hook.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub const LOADER_PANIC_FUNCTION: &str = "portalPanic";

/// Installs the panic hook and mounts `app` (`crate::app::App` or `crate::app::TrainerApp`).
#[cfg(target_arch = "wasm32")]
pub fn start<V: leptos::prelude::IntoView + 'static>(app: fn() -> V) {
    std::panic::set_hook(Box::new(|info| {
        // The message and the stack stay in the console for whoever investigates.
        console_error_panic_hook::hook(info);
        tell_the_reader();
    }));
    crate::app::takeover::mount(app);
}

/// After a panic the app is dead (the release build aborts: the next instruction traps), so the
/// reader must be told by code outside it: the loader shows 出错了 with 重新加载 and leaves the
/// page as it is, readable; during the start it makes the start's failure say it was not the
/// network. Nothing here may panic again.
#[cfg(target_arch = "wasm32")]
fn tell_the_reader() {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let Ok(f) = js_sys::Reflect::get(&global, &LOADER_PANIC_FUNCTION.into()) else {
        return;
    };
    if let Some(f) = f.dyn_ref::<js_sys::Function>() {
        let _ = f.call0(&global);
    }
}

#[cfg(test)]
mod tests {
    /// The hook and the loader agree on the function's name (the loader is served as is).
    #[test]
    fn the_loader_defines_the_function_the_hook_calls() {
        let loader = include_str!("../public/loader.js");
        assert!(
            loader.contains(&format!(
                "globalThis.{0} = {0};",
                super::LOADER_PANIC_FUNCTION
            )),
            "public/loader.js must define globalThis.{}",
            super::LOADER_PANIC_FUNCTION
        );
    }
}
