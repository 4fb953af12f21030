//! A thin `#[wasm_bindgen]` boundary over `portal::search` for the benchmark page: load an index,
//! answer a query with every matching document id.

use portal::search::{Filters, Ranking, SearchIndex};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Engine {
    index: SearchIndex,
    ids: Vec<u32>,
}

#[wasm_bindgen]
impl Engine {
    /// Reads an index written by `content index-docs`.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Engine, JsError> {
        let index = SearchIndex::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        let ids = index
            .docs
            .iter()
            .map(|d| d.key.parse().unwrap_or(u32::MAX))
            .collect();
        Ok(Engine { index, ids })
    }

    /// Ids of all documents matching `query`, best first.
    pub fn search(&self, query: &str) -> Vec<u32> {
        self.index
            .search(query, &Filters::default(), &Ranking::default())
            .iter()
            .map(|h| self.ids[h.doc as usize])
            .collect()
    }
}
