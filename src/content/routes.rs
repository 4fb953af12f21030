//! The portal's addresses, built in one place: the app's links and navigations, the static
//! pages and the site writer all use these, so a route is spelled once.

use super::Kind;

/// A section's list: `/cases`.
pub fn list(kind: Kind) -> String {
    format!("/{}", kind.folder())
}

/// A section's list with its filters in the query (`/cases?tag=grid-governance&region=辽宁省`,
/// values encoded), so a filtered list can be shared.
///
/// ```
/// use portal::content::{routes, Kind};
/// assert_eq!(routes::filtered_list(Kind::Case, None, None), "/cases");
/// assert_eq!(
///     routes::filtered_list(Kind::Case, Some("grid"), Some("辽宁省")),
///     "/cases?tag=grid&region=%E8%BE%BD%E5%AE%81%E7%9C%81"
/// );
/// ```
pub fn filtered_list(kind: Kind, tag: Option<&str>, region: Option<&str>) -> String {
    with_query(list(kind), &[("tag", tag), ("region", region)])
}

/// The comparison of communities, with the chosen ids (`a,b`: each encoded, the commas kept) if
/// any.
pub fn compare(ids: &str) -> String {
    let base = "/communities/compare".to_string();
    if ids.is_empty() {
        return base;
    }
    let ids: Vec<String> = ids.split(',').map(encode_uri_component).collect();
    format!("{base}?ids={}", ids.join(","))
}

/// A search: `/search?q=…&kind=…&tag=…&region=…` (empty filters left out).
///
/// ```
/// use portal::content::routes::search;
/// assert_eq!(search("党建 a&b", Some("case"), None, Some("")), "/search?q=%E5%85%9A%E5%BB%BA%20a%26b&kind=case");
/// ```
pub fn search(q: &str, kind: Option<&str>, tag: Option<&str>, region: Option<&str>) -> String {
    let mut href = format!("/search?q={}", encode_uri_component(q));
    for (k, v) in [("kind", kind), ("tag", tag), ("region", region)] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            href.push_str(&format!("&{k}={}", encode_uri_component(v)));
        }
    }
    href
}

fn with_query(base: String, params: &[(&str, Option<&str>)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", encode_uri_component(v))))
        .collect();
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// Percent-encodes a query value as JavaScript's `encodeURIComponent` does.
///
/// ```
/// use portal::content::routes::encode_uri_component;
/// assert_eq!(encode_uri_component("辽宁省"), "%E8%BE%BD%E5%AE%81%E7%9C%81");
/// assert_eq!(encode_uri_component("grid-governance"), "grid-governance");
/// assert_eq!(encode_uri_component("a&b c"), "a%26b%20c");
/// ```
pub fn encode_uri_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_like_encode_uri_component() {
        assert_eq!(encode_uri_component("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(encode_uri_component("A-z_0.9!~*'()"), "A-z_0.9!~*'()");
    }

    #[test]
    fn routes_are_spelled_once() {
        assert_eq!(list(Kind::Community), "/communities");
        assert_eq!(
            filtered_list(Kind::Module, Some("a b"), None),
            "/modules?tag=a%20b"
        );
        assert_eq!(compare(""), "/communities/compare");
        assert_eq!(compare("x,y"), "/communities/compare?ids=x,y");
        assert_eq!(compare("x&y"), "/communities/compare?ids=x%26y");
    }
}
