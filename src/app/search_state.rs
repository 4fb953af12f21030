//! The search index in the browser: its root is fetched once, the first time it is needed (focus
//! of the search box or a search address), and shared by the box and the results page. Shards
//! (for a large corpus) are fetched when a query asks for them; today's index is one file.
//! The normaliser's tables (`fold.txt`) are fetched beside the root, at the same time.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fetch;
use crate::search::index::{ROOT_FILE, SEARCH_DIR};
use crate::search::normalize::{self, TABLES_FILE};
use crate::search::{Answer, Filters, Hit, Ranking, SearchIndex};

/// Where the normaliser's tables are.
#[derive(Clone, Debug, PartialEq)]
pub enum TablesState {
    /// Not fetched yet (the app's build, before search is first used).
    Missing,
    Loading,
    /// Installed, or compiled in.
    Ready,
    Failed(String),
}

/// Where the index is.
#[derive(Clone)]
pub enum IndexState {
    Idle,
    Loading,
    Ready(Arc<RwLock<SearchIndex>>),
    Failed(String),
}

/// What a query has come to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Shards are being fetched.
    Searching,
    /// Results with their text loaded; `unverified` more candidates were not checked yet.
    Done {
        hits: Vec<Hit>,
        unverified: usize,
    },
    Failed(String),
}

/// Shared search state, provided as context.
#[derive(Clone, Copy)]
pub struct SearchState {
    pub index: RwSignal<IndexState>,
    /// Bumped whenever a shard has been added, so queries run again.
    shards: RwSignal<u32>,
    shard_error: RwSignal<Option<String>>,
    /// Shard files being fetched, so a query asked again before they arrive fetches nothing twice.
    in_flight: StoredValue<HashSet<String>>,
    tables: RwSignal<TablesState>,
}

impl SearchState {
    pub fn new() -> Self {
        SearchState {
            index: RwSignal::new(IndexState::Idle),
            shards: RwSignal::new(0),
            shard_error: RwSignal::new(None),
            in_flight: StoredValue::new(HashSet::new()),
            tables: RwSignal::new(if normalize::ready() {
                TablesState::Ready
            } else {
                TablesState::Missing
            }),
        }
    }

    /// Starts fetching the normaliser's tables unless they are there or on their way (a failed
    /// fetch is tried again). Pages that normalise text without the index call it too.
    pub fn ensure_tables(self) {
        let wanted = self
            .tables
            .with_untracked(|t| matches!(t, TablesState::Missing | TablesState::Failed(_)));
        if !wanted {
            return;
        }
        self.tables.set(TablesState::Loading);
        spawn_local(async move {
            let state = match fetch::text(&format!("content/{SEARCH_DIR}/{TABLES_FILE}")).await {
                Ok(text) => match normalize::install(&text) {
                    Ok(()) => TablesState::Ready,
                    Err(e) => TablesState::Failed(e.to_string()),
                },
                Err(e) => TablesState::Failed(e.to_string()),
            };
            self.tables.set(state);
        });
    }

    /// Where the tables are (tracked: a page that normalises text runs again once they arrive).
    pub fn tables(self) -> TablesState {
        self.tables.get()
    }

    /// Starts loading the index unless it is loading or loaded (a failed load is retried).
    pub fn ensure_loaded(self) {
        self.ensure_tables();
        let idle = self
            .index
            .with_untracked(|s| matches!(s, IndexState::Idle | IndexState::Failed(_)));
        self.shard_error.set(None);
        if !idle {
            return;
        }
        self.index.set(IndexState::Loading);
        spawn_local(async move {
            let path = format!("content/{SEARCH_DIR}/{ROOT_FILE}");
            let state = match fetch::bytes(&path).await {
                Ok(bytes) => match SearchIndex::from_bytes(&bytes) {
                    Ok(index) => IndexState::Ready(Arc::new(RwLock::new(index))),
                    Err(e) => IndexState::Failed(e.to_string()),
                },
                Err(e) => IndexState::Failed(e.to_string()),
            };
            self.index.set(state);
        });
    }

    /// Runs a query (reactively: again when a shard arrives), asking for at most `limit`
    /// verified results and fetching the shards it needs, including the text of those results.
    pub fn query(self, q: &str, filters: &Filters, limit: Option<usize>) -> Outcome {
        self.shards.track();
        if let Some(e) = self.shard_error.get() {
            return Outcome::Failed(e);
        }
        match self.tables.get() {
            TablesState::Ready => {}
            TablesState::Failed(e) => return Outcome::Failed(e),
            TablesState::Missing | TablesState::Loading => return Outcome::Searching,
        }
        let IndexState::Ready(index) = self.index.get() else {
            return Outcome::Searching;
        };
        let Ok(ix) = index.read() else {
            return Outcome::Failed("搜索索引出错，请刷新页面".into());
        };
        match ix.answer(q, filters, &Ranking::default(), limit) {
            Answer::Need(files) => {
                self.fetch(index.clone(), files);
                Outcome::Searching
            }
            Answer::Ready(r) => {
                let mut hits = r.hits;
                if let Some(l) = limit {
                    hits.truncate(l);
                }
                let missing = ix.missing_texts(hits.iter().map(|h| h.doc));
                if missing.is_empty() {
                    Outcome::Done {
                        hits,
                        unverified: r.unverified,
                    }
                } else {
                    self.fetch(index.clone(), missing);
                    Outcome::Searching
                }
            }
        }
    }

    /// Fetches shard files not already on their way, adds them, and wakes the queries.
    fn fetch(self, index: Arc<RwLock<SearchIndex>>, files: Vec<String>) {
        let files: Vec<String> = self
            .in_flight
            .try_update_value(|set| {
                files
                    .into_iter()
                    .filter(|f| set.insert(f.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for name in files {
            let index = index.clone();
            spawn_local(async move {
                let result = match fetch::bytes(&format!("content/{SEARCH_DIR}/{name}")).await {
                    Ok(bytes) => match index.write() {
                        Ok(mut ix) => ix.add_file(&name, &bytes).map_err(|e| e.to_string()),
                        Err(_) => Err("搜索索引出错，请刷新页面".to_string()),
                    },
                    Err(e) => Err(e.to_string()),
                };
                self.in_flight.update_value(|set| {
                    set.remove(&name);
                });
                match result {
                    Ok(()) => self.shards.update(|n| *n += 1),
                    Err(e) => self.shard_error.set(Some(e)),
                }
            });
        }
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
