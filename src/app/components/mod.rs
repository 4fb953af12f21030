//! Reusable pieces of pages, one per file.

mod checklist;
mod display_settings;
mod fact_box;
mod item_card;
mod load_error;
mod markdown_view;
mod quiz_view;
mod read_aloud;
mod search_box;
mod share_box;
mod sources;
mod with_manifest;

pub use checklist::Checklist;
pub use display_settings::{apply_saved, DisplaySettings, TEXT_SIZES};
pub use fact_box::FactBox;
pub use item_card::{meta_spans, state_class, ItemCard};
pub use load_error::LoadError;
pub use markdown_view::MarkdownView;
pub use quiz_view::QuizView;
pub use read_aloud::ReadAloud;
pub use search_box::SearchBox;
pub use share_box::ShareBox;
pub use sources::SourceList;
pub use with_manifest::WithManifest;
