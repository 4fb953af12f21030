//! The manifest's three states as every page shows them.

use std::sync::Arc;

use leptos::prelude::*;

use super::LoadError;
use crate::app::use_site;
use crate::content::Manifest;

/// Shows `children` with the manifest once it has loaded; a loading line before, and the error
/// with a retry if it failed.
#[component]
pub fn WithManifest<V, F>(children: F) -> impl IntoView
where
    F: Fn(Arc<Manifest>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let resource = use_site().manifest;
    let children = Arc::new(children);
    move || match resource.get() {
        None => view! { <p class="loading" aria-live="polite">"正在加载…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <LoadError message=e.to_string() on_retry=move |_| resource.refetch() />
        }
        .into_any(),
        Some(Ok(m)) => children(m).into_view().into_any(),
    }
}
