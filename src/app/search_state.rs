//! The search index in the browser, and the loop that answers a search.
//!
//! The root is fetched once, the first time search is used (focus of the search box or a search
//! address), and shared by the box and the results page; in the app's build the normaliser's
//! tables (`fold.txt`) are fetched beside it, at the same time, and the index owns them. A search
//! is one loop ([`answer`]), as `pagefind_web`'s callers run it: ask the core
//! ([`SearchIndex::step`]), fetch the files it names, add them, ask again until it gives rows.
//! No reactive graph sits inside the loop: the page runs it from one resource per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::Poll;

use leptos::prelude::*;

use super::fetch;
use crate::search::index::{ROOT_FILE, SEARCH_DIR};
use crate::search::{Found, Normalizer, Request, SearchIndex, Step};

/// The loaded index, shared by the searches that add shards to it.
pub type SharedIndex = Arc<RwLock<SearchIndex>>;

/// Where the index is.
#[derive(Clone)]
pub enum IndexState {
    /// Not asked for yet, or on its way.
    Loading,
    Ready(SharedIndex),
    Failed(String),
}

/// Shared search state, provided as context.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// Search has been used: the index is wanted.
    wanted: RwSignal<bool>,
    index: LocalResource<IndexState>,
}

const BROKEN: &str = "搜索索引出错，请刷新页面";

impl SearchState {
    pub fn new() -> Self {
        let wanted = RwSignal::new(false);
        let index = LocalResource::new(move || {
            let wanted = wanted.get();
            async move {
                if wanted {
                    load_index().await
                } else {
                    IndexState::Loading
                }
            }
        });
        SearchState { wanted, index }
    }

    /// Starts loading the index unless it was asked for already.
    pub fn ensure_loaded(self) {
        if !self.wanted.get_untracked() {
            self.wanted.set(true);
        }
    }

    /// Loads the index again (after a failure).
    pub fn retry(self) {
        if self.wanted.get_untracked() {
            self.index.refetch();
        } else {
            self.wanted.set(true);
        }
    }

    /// Where the index is (tracked).
    pub fn index(self) -> IndexState {
        self.index.get().unwrap_or(IndexState::Loading)
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

/// A file of the search folder, by its name there.
fn search_file(name: &str) -> String {
    format!("content/{SEARCH_DIR}/{name}")
}

/// The normaliser's tables: in the app's build fetched ([`crate::search::normalize::TABLES_FILE`]
/// beside the index root), otherwise compiled in. Pages that normalise text without the index
/// (the trainer's item filter) load it with this too.
pub async fn load_normalizer() -> Result<Normalizer, String> {
    #[cfg(feature = "fetched-tables")]
    {
        let text = fetch::text(&search_file(crate::search::normalize::TABLES_FILE))
            .await
            .map_err(|e| e.to_string())?;
        Normalizer::from_tables_file(&text).map_err(|e| e.to_string())
    }
    #[cfg(not(feature = "fetched-tables"))]
    {
        Ok(Normalizer::compiled())
    }
}

/// Fetches the root and the tables together and reads the index.
async fn load_index() -> IndexState {
    let (root, normalizer) = join(fetch::bytes(&search_file(ROOT_FILE)), load_normalizer()).await;
    let result = root.map_err(|e| e.to_string()).and_then(|bytes| {
        SearchIndex::from_bytes_with(&bytes, normalizer?).map_err(|e| e.to_string())
    });
    match result {
        Ok(index) => IndexState::Ready(Arc::new(RwLock::new(index))),
        Err(e) => IndexState::Failed(e),
    }
}

/// Answers `request`: asks the index, fetches every file it names (together), adds them, and
/// asks again until it gives rows. It ends: the core names only files that are not loaded, and
/// each round loads them or fails.
pub async fn answer(index: SharedIndex, request: Request) -> Result<Found, String> {
    loop {
        let step = index.read().map_err(|_| BROKEN.to_string())?.step(&request);
        let names = match step {
            Step::Done(found) => return Ok(found),
            Step::Fetch(names) => names,
        };
        let paths: Vec<String> = names.iter().map(|n| search_file(n)).collect();
        let fetched = join_all(paths.iter().map(|p| fetch::bytes(p)).collect()).await;
        let mut ix = index.write().map_err(|_| BROKEN.to_string())?;
        for (name, bytes) in names.iter().zip(fetched) {
            let bytes = bytes.map_err(|e| e.to_string())?;
            ix.add_file(name, &bytes).map_err(|e| e.to_string())?;
        }
    }
}

/// Runs two futures at once and gives both results.
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (Box::pin(a), Box::pin(b));
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(move |cx| {
        if out_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                out_b = Some(v);
            }
        }
        match (out_a.take(), out_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (out_a, out_b) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

/// Runs futures at once and gives their results in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        for (f, out) in futures.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                if let Poll::Ready(v) = f.as_mut().poll(cx) {
                    *out = Some(v);
                }
            }
        }
        if outputs.iter().all(Option::is_some) {
            Poll::Ready(outputs.iter_mut().filter_map(Option::take).collect())
        } else {
            Poll::Pending
        }
    })
    .await
}
