use leptos::prelude::*;

use crate::content::Source;

/// The documents a page relies on.
#[component]
pub fn SourceList(sources: Vec<Source>, #[prop(into)] heading: String) -> impl IntoView {
    (!sources.is_empty()).then(|| {
        view! {
            <section class="sources" aria-labelledby="sources-heading">
                <h2 id="sources-heading">{heading}</h2>
                <ol>
                    {sources
                        .into_iter()
                        .map(|s| {
                            let title = format!("《{}》", s.title);
                            // Only an http(s) address becomes a link, whatever the manifest
                            // says: a `javascript:` one would run on a click.
                            let link = s.link().map(str::to_string);
                            view! {
                                <li>
                                    {s.publisher}
                                    "："
                                    {match link {
                                        Some(url) => {
                                            view! {
                                                <a href=url rel="noopener noreferrer" target="_blank">
                                                    {title}
                                                </a>
                                            }
                                                .into_any()
                                        }
                                        None => view! { <span>{title}</span> }.into_any(),
                                    }}
                                    "，"
                                    {s.date}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    })
}
