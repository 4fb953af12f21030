//! The search index in the browser: fetched once, the first time it is needed (focus of the
//! search box or a search address), and shared by the box and the results page.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fetch;
use crate::search::SearchIndex;

/// Where the index is.
#[derive(Clone)]
pub enum IndexState {
    Idle,
    Loading,
    Ready(Arc<SearchIndex>),
    Failed(String),
}

/// Shared search state, provided as context.
#[derive(Clone, Copy)]
pub struct SearchState {
    pub index: RwSignal<IndexState>,
}

impl SearchState {
    pub fn new() -> Self {
        SearchState {
            index: RwSignal::new(IndexState::Idle),
        }
    }

    /// Starts loading the index unless it is loading or loaded (a failed load is retried).
    pub fn ensure_loaded(self) {
        let idle = self
            .index
            .with_untracked(|s| matches!(s, IndexState::Idle | IndexState::Failed(_)));
        if !idle {
            return;
        }
        self.index.set(IndexState::Loading);
        spawn_local(async move {
            let state = match fetch::bytes("content/search-index.bin").await {
                Ok(bytes) => match SearchIndex::from_bytes(&bytes) {
                    Ok(index) => IndexState::Ready(Arc::new(index)),
                    Err(e) => IndexState::Failed(e.to_string()),
                },
                Err(e) => IndexState::Failed(e.to_string()),
            };
            self.index.set(state);
        });
    }
}

impl Default for SearchState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_search() -> SearchState {
    expect_context::<SearchState>()
}
