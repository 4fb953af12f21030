//! Chinese-aware search, shared by the content tool (which builds the index) and the app (which
//! answers queries), so both normalise and tokenise identically.
//!
//! - [`normalize`]: NFKC, lowercase, Traditional → Simplified folding.
//! - [`tokenize`]: bigrams for Chinese, words for Latin letters and numbers.
//! - [`index`]: the binary index format, builder and reader.
//! - [`query`]: candidates, verification, ranking, snippets, pinyin.
//! - [`request`]: one search as a page runs it: the files to fetch, then rows ready to show.

pub mod index;
pub mod normalize;
pub mod query;
pub mod request;
pub mod tokenize;

#[cfg(not(target_arch = "wasm32"))]
pub mod pinyin;

pub use index::{DocInput, Field, IndexBuilder, SearchIndex};
pub use normalize::Normalizer;
pub use query::{Answer, Filters, Hit, Ranking, Results, Segment};
pub use request::{Found, Request, Row, Step};

/// Why an index could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("搜索索引文件不完整（可能下载中断），请刷新重试")]
    Truncated,
    #[error("搜索索引文件已损坏（{0}），请刷新重试")]
    Corrupt(&'static str),
    #[error("下载到的不是搜索索引文件，请刷新重试")]
    NotAnIndex,
    #[error("搜索索引版本为 {0}，与本应用不符，请刷新页面获取最新版本")]
    Version(u8),
}

impl From<crate::varint::ReadError> for SearchError {
    fn from(e: crate::varint::ReadError) -> Self {
        use crate::varint::ReadError;
        match e {
            ReadError::Truncated => SearchError::Truncated,
            ReadError::Overflow | ReadError::Overlong => SearchError::Corrupt("varint"),
            ReadError::Utf8 => SearchError::Corrupt("utf-8"),
            ReadError::Count => SearchError::Corrupt("count"),
        }
    }
}
