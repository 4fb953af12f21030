//! The WASM entry point: installs the panic hook and mounts the app over the prerendered page.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    portal::app::takeover::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("portal 是浏览器应用（WebAssembly），请按 README 用 trunk 构建和启动。");
}
