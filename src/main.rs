//! The WASM entry point: installs the panic hook and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(portal::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("portal 是浏览器应用（WebAssembly），请按 README 用 trunk 构建和启动。");
}
