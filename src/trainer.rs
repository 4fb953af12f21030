//! The trainer's WASM entry point (`trainer.html`, served under `/trainer/`): 培训管理 only, so
//! the reader's bundle carries none of its code (the roster, receipt intake, the CSV export).

#[cfg(target_arch = "wasm32")]
fn main() {
    portal::entry::start(portal::app::TrainerApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("trainer 是浏览器应用（WebAssembly），请按 README 用 trunk 构建和启动。");
}
