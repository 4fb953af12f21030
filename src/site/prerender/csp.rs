//! The pages' Content-Security-Policy (issue 14): a rendering bug that lets markup through must
//! still not let script run. Every page the build writes carries the same policy as a
//! `<meta http-equiv="Content-Security-Policy">`, and the deploy can send it as a header too
//! ([`server_headers`], `content headers DIST`, docs/deploy.md), adding `frame-ancestors`, which a
//! meta tag cannot carry.
//!
//! Scripts: only files from the site itself, plus the inline scripts the shell really contains,
//! each allowed by the SHA-256 of its text. The build computes the hashes from the text it writes,
//! so a changed script changes its hash with it; since no inline script carries per-page data (a
//! page's data sits in attributes), one set of hashes serves every page and a server header.
//! `'wasm-unsafe-eval'` lets the app's WebAssembly compile and nothing else: no `eval`, no
//! `'unsafe-inline'` for scripts. Styles allow inline (the stylesheets are inlined into each page
//! to save a round trip, and the app sets `style` attributes); a style cannot run script.

use base64::Engine as _;

/// The referrer policy of every page: a link to another site is told our origin, never the
/// path (which may hold an assignment's code or a search).
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

/// Everything this module writes into a page's head lies between these comments, so a page can
/// be given its policy again (the content tool run twice on one build) without doubling it.
const START: &str = "<!--policy-->";
const END: &str = "<!--/policy-->";

/// The policy for pages whose inline scripts have these texts (in any order, repeats allowed):
/// the fixed directives and one `'sha256-…'` source per distinct script.
///
/// ```
/// use portal::site::prerender::csp::policy;
/// let p = policy(&["alert(1)"]);
/// assert!(p.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
/// let scripts = p.split("; ").find(|d| d.starts_with("script-src")).unwrap();
/// assert!(!scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"));
/// ```
pub fn policy<S: AsRef<str>>(scripts: &[S]) -> String {
    let mut hashes: Vec<String> = scripts.iter().map(|s| script_hash(s.as_ref())).collect();
    hashes.sort();
    hashes.dedup();
    let mut script_src = String::from("script-src 'self' 'wasm-unsafe-eval'");
    for h in &hashes {
        script_src.push(' ');
        script_src.push_str(h);
    }
    [
        "default-src 'none'",
        &script_src,
        // Inline `<style>` (the inlined stylesheets) and `style` attributes; never script.
        "style-src 'self' 'unsafe-inline'",
        // Content images; data: for small images a stylesheet or a body may embed.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    .join("; ")
}

/// The CSP source that allows one inline script: `'sha256-<base64 of SHA-256 of its text>'`.
///
/// ```
/// use portal::site::prerender::csp::script_hash;
/// // As the browser computes it (and `openssl dgst -sha256 -binary | base64`).
/// assert_eq!(script_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
/// ```
pub fn script_hash(text: &str) -> String {
    let digest = sha256(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The texts of the inline scripts of `html`: every `<script>` element without a `src`
/// attribute, its text exactly as written (which is what the browser hashes).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = lower[from..].find("<script").map(|i| from + i) {
        let Some(tag_end) = lower[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        if !has_src(&lower[open..tag_end]) {
            out.push(&html[tag_end..close]);
        }
        from = close;
    }
    out
}

/// Whether an opening `<script …>` tag (lower-cased) has a `src` attribute.
fn has_src(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    tag.match_indices("src").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = tag[i + 3..].trim_start().as_bytes().first().copied();
        before.is_some_and(|b| b.is_ascii_whitespace()) && after == Some(b'=')
    })
}

/// `html` with the policy and the referrer policy as the first elements of its head (after a
/// `<meta charset>` that opens it), replacing any written before. A meta policy only governs
/// what follows it, so it must come before every script and stylesheet.
pub fn with_policy(html: &str, policy: &str) -> String {
    let html = strip(html);
    let lower = html.to_ascii_lowercase();
    let Some(head) = lower
        .find("<head")
        .and_then(|h| lower[h..].find('>').map(|e| h + e + 1))
    else {
        return html;
    };
    // After a charset declaration that opens the head, which must stay in the first 1024 bytes.
    let at = match lower[head..].trim_start().starts_with("<meta charset") {
        true => lower[head..].find('>').map_or(head, |e| head + e + 1),
        false => head,
    };
    let block = format!(
        "{START}<meta http-equiv=\"Content-Security-Policy\" content=\"{}\"><meta name=\"referrer\" content=\"{REFERRER_POLICY}\">{END}",
        // Only `'` needs no escaping in a double-quoted attribute, and a policy has no `"` or `&`;
        // escape them anyway, never the quotes that fill it.
        policy.replace('&', "&amp;").replace('"', "&quot;")
    );
    format!("{}{block}{}", &html[..at], &html[at..])
}

/// `html` without a policy written by [`with_policy`].
pub fn strip(html: &str) -> String {
    match (html.find(START), html.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &html[..start], &html[end + END.len()..])
        }
        _ => html.to_string(),
    }
}

/// The policy a page written by [`with_policy`] carries, if any.
pub fn policy_of(html: &str) -> Option<String> {
    let start = html.find(START)? + START.len();
    let block = &html[start..start + html[start..].find(END)?];
    let marker = "content=\"";
    let from = block.find(marker)? + marker.len();
    let to = from + block[from..].find('"')?;
    Some(
        block[from..to]
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// The nginx lines that send the policy as HTTP headers, for `add_header` in the site's
/// `server` or `location` block (docs/deploy.md). The header adds `frame-ancestors 'none'` (no
/// other site may show the portal in a frame), which only a header can carry; `X-Frame-Options`
/// says the same to WebViews too old for `frame-ancestors`.
pub fn server_headers(policy: &str) -> String {
    format!(
        "# Written by `content headers` from the build's pages; regenerate it with every build.\n\
         add_header Content-Security-Policy \"{policy}; frame-ancestors 'none'\" always;\n\
         add_header Referrer-Policy \"{REFERRER_POLICY}\" always;\n\
         add_header X-Frame-Options \"DENY\" always;\n\
         add_header X-Content-Type-Options \"nosniff\" always;\n"
    )
}

/// Why [`server_headers_of_build`] could not produce the headers.
#[derive(Debug, thiserror::Error)]
pub enum HeadersError {
    #[error("无法读取 {0}：{1}")]
    Read(String, std::io::Error),
    #[error("{0} 中没有 HTML 页面")]
    NoPages(String),
    #[error("{0} 没有安全策略（Content-Security-Policy），请用 trunk build 重新构建")]
    Missing(String),
    #[error("{0} 的安全策略与 index.html 不同，请重新构建")]
    Differs(String),
}

/// The nginx header lines ([`server_headers`]) for a build in `dist`, after checking that every
/// page in it (`*.html`, at any depth) carries one and the same policy: the header must never
/// forbid a script one of the pages needs.
pub fn server_headers_of_build(dist: &std::path::Path) -> Result<String, HeadersError> {
    fn pages(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pages(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
        Ok(())
    }
    let shown = |p: &std::path::Path| p.display().to_string();
    let mut files = Vec::new();
    pages(dist, &mut files).map_err(|e| HeadersError::Read(shown(dist), e))?;
    files.sort();
    let mut policy: Option<String> = None;
    for file in &files {
        let html = std::fs::read_to_string(file).map_err(|e| HeadersError::Read(shown(file), e))?;
        let Some(this) = policy_of(&html) else {
            return Err(HeadersError::Missing(shown(file)));
        };
        match &policy {
            None => policy = Some(this),
            Some(first) if *first != this => return Err(HeadersError::Differs(shown(file))),
            Some(_) => {}
        }
    }
    policy
        .map(|p| server_headers(&p))
        .ok_or_else(|| HeadersError::NoPages(shown(dist)))
}

/// SHA-256 of `data`, from the kept `sha2` crate (build time only: the browser never hashes).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_fips_180_examples() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&vec![b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        // Lengths around the padding boundary (55, 56, 64 bytes) and non-ASCII text.
        assert_eq!(
            hex(&sha256(&[b'a'; 55])),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 56])),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 64])),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
        );
    }

    #[test]
    fn inline_scripts_are_found_exactly_and_external_ones_skipped() {
        let html = "<head><script src=\"/sw-register.js\" defer></script><SCRIPT type=\"module\">\nimport x from '/a.js';\n</SCRIPT><script data-route=\"/\">a<b</script><script srcdoc=x>y</script></head>";
        assert_eq!(
            inline_scripts(html),
            ["\nimport x from '/a.js';\n", "a<b", "y"]
        );
        assert!(inline_scripts("<p>no scripts</p>").is_empty());
        // An unclosed script is not a script the browser would run from this text.
        assert!(inline_scripts("<script>open").is_empty());
    }

    #[test]
    fn the_policy_is_strict_and_lists_each_script_once() {
        let p = policy(&["b()", "a()", "b()"]);
        let directives: Vec<&str> = p.split("; ").collect();
        assert_eq!(directives[0], "default-src 'none'");
        let script = directives
            .iter()
            .find(|d| d.starts_with("script-src "))
            .unwrap();
        assert_eq!(script.matches("'sha256-").count(), 2, "{script}");
        assert!(script.contains(&script_hash("a()")) && script.contains(&script_hash("b()")));
        assert!(!script.contains("unsafe-inline") && !script.contains("'unsafe-eval'"));
        for d in [
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ] {
            assert!(directives.contains(&d), "{d} in {p}");
        }
        // The order of the pages' scripts does not change the policy.
        assert_eq!(policy(&["a()", "b()"]), p);
    }

    #[test]
    fn the_meta_tags_open_the_head_once_and_read_back() {
        let page = "<!doctype html><html><head>\n<meta charset=\"utf-8\" />\n<title>x</title><script>s()</script></head><body></body></html>";
        let p = policy(&inline_scripts(page));
        let once = with_policy(page, &p);
        assert!(
            once.contains("<meta charset=\"utf-8\" /><!--policy--><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
            "{once}"
        );
        assert!(once.contains(
            "<meta name=\"referrer\" content=\"strict-origin-when-cross-origin\"><!--/policy-->"
        ));
        assert!(once.find("Content-Security-Policy").unwrap() < once.find("<script").unwrap());
        assert_eq!(policy_of(&once).as_deref(), Some(p.as_str()));
        let twice = with_policy(&once, &p);
        assert_eq!(twice, once);
        assert_eq!(strip(&once), page);
        // No charset first: right after <head>.
        let bare = with_policy(
            "<html><head><title>x</title></head></html>",
            "default-src 'none'",
        );
        assert!(bare.starts_with("<html><head><!--policy-->"), "{bare}");
        assert_eq!(policy_of("<html></html>"), None);
    }

    #[test]
    fn server_headers_add_frame_ancestors() {
        let lines = server_headers("default-src 'none'");
        assert!(lines.contains(
            "add_header Content-Security-Policy \"default-src 'none'; frame-ancestors 'none'\" always;"
        ));
        assert!(lines
            .contains("add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;"));
    }
}
