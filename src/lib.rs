//! 智慧党建学习平台: the portal's library.
//!
//! The pure core (`content`) has no browser dependency: the native content tool and the WASM app
//! share it, so both parse markdown, workflows and quizzes identically. The browser shell (`app`)
//! is compiled for both: the browser runs it, and the site writer renders the same `App` natively.

// The app's views, compiled natively for the static pages without `erase_components`, nest deeper
// than the default limit allows.
#![recursion_limit = "256"]

pub mod content;

/// The content checker.
#[cfg(not(target_arch = "wasm32"))]
pub mod check;
/// The site writer: the build from checked content.
#[cfg(not(target_arch = "wasm32"))]
pub mod site;

/// The fuzz targets' properties (issue 14), replayed on stable by `tests/fuzz_corpus.rs`.
#[cfg(not(target_arch = "wasm32"))]
pub mod fuzzing;

pub mod app;

pub mod assign;
/// The WASM entry points' common start (panic hook, mount).
pub mod entry;
mod hash;
pub mod progress;
pub mod search;
/// The one rule for characters a name may not hide (assignments, receipts, the learning record).
pub mod text;
/// The one binary codec: LEB128 varints and length-prefixed strings (search index, codes).
pub mod varint;
