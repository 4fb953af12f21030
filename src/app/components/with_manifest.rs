//! The manifest's three states as every page shows them.

use std::sync::Arc;

use leptos::prelude::*;

use super::LoadError;
use crate::app::use_site;
use crate::content::Manifest;

/// Shows `children` with the manifest once it has loaded; a loading line before, and the error
/// with a retry if it failed.
///
/// A page whose content is read from this device or from the address (学习档案, 我的任务, an
/// assignment link, 培训管理) says `on_device`: its static page, rendered before anything on the
/// device can be read, shows the loading line rather than an empty record it may not be.
#[component]
pub fn WithManifest<V, F>(children: F, #[prop(optional)] on_device: bool) -> impl IntoView
where
    F: Fn(Arc<Manifest>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let resource = use_site().manifest;
    let children = Arc::new(children);
    let waiting_for_device = on_device && !crate::app::browser::LIVE;
    move || match resource.get().filter(|_| !waiting_for_device) {
        None => view! { <p class="loading" aria-live="polite">"正在加载…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <LoadError message=e.to_string() on_retry=move |_| resource.refetch() />
        }
        .into_any(),
        Some(Ok(m)) => children(m).into_view().into_any(),
    }
}
