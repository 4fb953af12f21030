//! A thin `#[wasm_bindgen]` boundary over `portal::search` for the benchmark page: load an index
//! root, answer a query with every matching document id, and say which shard files a query needs
//! (the page fetches them and adds them, as the app does).

use portal::search::{Answer, Filters, Ranking, SearchIndex};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine {
    index: SearchIndex,
    need: Vec<String>,
}

#[wasm_bindgen]
impl Engine {
    /// Reads an index root written by `content index-docs` (documents are numbered 0..n in the
    /// order of the corpus, so a hit's number is the document id).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Engine, JsError> {
        let index = SearchIndex::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine {
            index,
            need: Vec::new(),
        })
    }

    /// Ids of the documents matching `query`, best first: all of them (`limit` 0), or the first
    /// `limit` verified ones with their text loaded (what a results page shows). When shards are
    /// missing, returns nothing and [`Engine::needed`] names them.
    pub fn search(&mut self, query: &str, limit: u32) -> Vec<u32> {
        self.need.clear();
        let limit = (limit > 0).then_some(limit as usize);
        match self
            .index
            .answer(query, &Filters::default(), &Ranking::default(), limit)
        {
            Answer::Need(files) => {
                self.need = files;
                Vec::new()
            }
            Answer::Ready(r) => {
                let mut ids: Vec<u32> = r.hits.iter().map(|h| h.doc).collect();
                if let Some(l) = limit {
                    ids.truncate(l);
                    self.need = self.index.missing_texts(ids.iter().copied());
                }
                ids
            }
        }
    }

    /// The shard files the last search needed.
    pub fn needed(&self) -> Vec<String> {
        self.need.clone()
    }

    /// Adds a fetched shard.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), JsError> {
        self.index
            .add_file(name, bytes)
            .map_err(|e| JsError::new(&e.to_string()))
    }
}
