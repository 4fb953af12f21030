//! Renders one body the way the build does and prints the JSON the app fetches for it.
//!
//! `cargo run --example render_body -- KIND [MARKDOWN]` with KIND one of `case`, `workflow`,
//! `community`, `module`; without MARKDOWN the body is read from stdin. The output is exactly what
//! `src/site/mod.rs::write_site` writes for a body: [`RenderedBody::render`] serialised with
//! `serde_json`. The payload tests (`tests/e2e/payloads.spec.ts`) serve it in place of a real
//! item's body, to show that hostile markdown the checker would refuse still renders harmless.

use std::io::{Read, Write};
use std::process::ExitCode;

use portal::content::rendered::RenderedBody;
use portal::content::Kind;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(kind) = args.next().as_deref().and_then(Kind::from_key) else {
        eprintln!(
            "用法：render_body case|workflow|community|module [正文]（不给正文时从标准输入读取）"
        );
        return ExitCode::from(2);
    };
    let body = match args.next() {
        Some(body) => body,
        None => {
            let mut body = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut body) {
                eprintln!("无法读取标准输入：{e}");
                return ExitCode::FAILURE;
            }
            body
        }
    };
    // Byte for byte what write_site writes: the JSON, with no line break after it.
    let json = match serde_json::to_string(&RenderedBody::render(kind, &body)) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("无法生成 JSON：{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(json.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("无法写出 JSON：{e}");
            ExitCode::FAILURE
        }
    }
}
