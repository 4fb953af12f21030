//! The reader's WASM entry point (`index.html`): every page a worker uses.

#[cfg(target_arch = "wasm32")]
fn main() {
    portal::entry::start(portal::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("portal 是浏览器应用（WebAssembly），请按 README 用 trunk 构建和启动。");
}
