//! Fetching the manifest and bodies with gloo-net, with errors a worker can act on, and
//! [`Loaded`]: what a page reads, fetched in the browser or handed in to the native render.

use std::sync::Arc;

use gloo_net::http::Request;
use leptos::prelude::*;

use crate::content::{Manifest, ManifestError};

/// Why something could not be loaded; the message is what the page shows.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FetchError {
    #[error("网络连接失败，请检查网络后重试（{0}）")]
    Network(String),
    #[error("内容“{path}”不存在或暂时无法访问（服务器返回 {status}）")]
    Status { path: String, status: u16 },
    #[error("{0}")]
    Manifest(String),
    #[error("内容文件已损坏，请刷新重试（{0}）")]
    Parse(String),
}

impl From<ManifestError> for FetchError {
    fn from(e: ManifestError) -> Self {
        FetchError::Manifest(e.to_string())
    }
}

/// Requests a file of the site (`path` relative to the site root); a non-2xx answer is an error.
async fn get(path: &str) -> Result<gloo_net::http::Response, FetchError> {
    let url = format!("/{}", path.trim_start_matches('/'));
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(FetchError::Status {
            path: path.to_string(),
            status: response.status(),
        });
    }
    Ok(response)
}

/// Fetches a file of the site as text.
pub async fn text(path: &str) -> Result<String, FetchError> {
    get(path)
        .await?
        .text()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))
}

/// Fetches a file of the site as bytes.
pub async fn bytes(path: &str) -> Result<Vec<u8>, FetchError> {
    get(path)
        .await?
        .binary()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))
}

/// Fetches and parses the content manifest.
pub async fn manifest() -> Result<Arc<Manifest>, FetchError> {
    let text = text("content/manifest.json").await?;
    Ok(Arc::new(Manifest::from_json(&text)?))
}

/// Something a page shows that the browser fetches and the site writer hands in: read with
/// [`Loaded::get`] (`None` while it is on its way), retried with [`Loaded::refetch`].
pub enum Loaded<T: 'static> {
    /// In the browser: fetched when first read.
    Fetched(LocalResource<Result<T, FetchError>>),
    /// Rendering a static page natively: there from the start.
    Given(StoredValue<Result<T, FetchError>>),
}

impl<T: 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loaded<T> {}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    /// A value that is there from the start.
    pub fn given(value: Result<T, FetchError>) -> Self {
        Loaded::Given(StoredValue::new(value))
    }

    /// The value, tracked; `None` while it is loading.
    pub fn get(&self) -> Option<Result<T, FetchError>> {
        match self {
            Loaded::Fetched(r) => r.get(),
            Loaded::Given(v) => v.try_get_value(),
        }
    }

    /// The value, untracked.
    pub fn get_untracked(&self) -> Option<Result<T, FetchError>> {
        match self {
            Loaded::Fetched(r) => r.get_untracked(),
            Loaded::Given(v) => v.try_get_value(),
        }
    }

    /// True once it has loaded without an error (tracked).
    pub fn is_ready(&self) -> bool {
        match self {
            Loaded::Fetched(r) => r.with(|v| matches!(v, Some(Ok(_)))),
            Loaded::Given(v) => v.with_value(Result::is_ok),
        }
    }

    /// Fetches again (after an error); a given value stays.
    pub fn refetch(&self) {
        if let Loaded::Fetched(r) = self {
            r.refetch();
        }
    }
}
