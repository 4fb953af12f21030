//! Links, the receipt's chat text, and finding codes again in whatever the user pastes.
//!
//! The code rides in the URL fragment (`…/assignment#a=DJA1…`, `…/trainer#r=DJR1…`): browsers
//! never send the fragment to the host, so a static host sees no names or scores, and the page
//! reads it from `location.hash`.
//!
//! Reading is forgiving about the wrapping and strict about the code: a full link, a fragment,
//! a bare code or a chat message with a code in it all work, because a code is found as a run
//! of base64url characters starting with `DJA`/`DJR`. Whatever a chat app puts around it
//! (quotes, brackets, a full stop, `?from=…` before the fragment) is not such a character.

use super::codec::{
    decode_expecting, encode_assignment, encode_receipt, AssignmentOrReceipt, DecodeError,
    MAX_CODE_CHARS,
};
use super::model::{Assignment, Invalid, Receipt};
use super::CodeKind;

/// The app route where a worker opens an assignment.
pub const ASSIGNMENT_ROUTE: &str = "/assignment";
/// The app route of the trainer's table, where a receipt link adds the receipt.
pub const TRAINER_ROUTE: &str = "/trainer";
/// Longest text [`parse`] reads, in UTF-8 bytes (a link with a long base address still fits).
pub const MAX_INPUT_CHARS: usize = MAX_CODE_CHARS + 4000;
/// Longest text [`parse_many`] reads, in UTF-8 bytes: a few hundred receipts with chat around.
pub const MAX_PASTE_CHARS: usize = 1_000_000;
/// Most codes [`parse_many`] takes from one paste.
pub const MAX_PASTE_CODES: usize = 300;

/// What starts the chat text of a receipt.
pub const RECEIPT_LABEL: &str = "党建学习回执";

/// The site's base address without a trailing slash, query or fragment.
fn base(base_url: &str) -> &str {
    let b = base_url.trim();
    let b = b.split(['#', '?']).next().unwrap_or(b);
    b.trim_end_matches('/')
}

/// The link a trainer sends: `{base}/assignment#a=CODE`.
///
/// ```
/// # use portal::assign::{assignment_link, Assignment};
/// # let a = Assignment { id: "k3Vq9xZa".into(), title: "入门".into(), trainer: "王老师".into(),
/// #     note: String::new(), due: "2026-12-04".parse().unwrap(), created: 1_795_737_600_000,
/// #     items: vec!["module:grid-governance".parse().unwrap()] };
/// let link = assignment_link("https://dj.example.org/portal/", &a).unwrap();
/// assert!(link.starts_with("https://dj.example.org/portal/assignment#a=DJA1"));
/// ```
pub fn assignment_link(base_url: &str, assignment: &Assignment) -> Result<String, Invalid> {
    Ok(format!(
        "{}{ASSIGNMENT_ROUTE}#a={}",
        base(base_url),
        encode_assignment(assignment)?
    ))
}

/// The link a worker sends back: `{base}/trainer#r=CODE`.
pub fn receipt_link(base_url: &str, receipt: &Receipt) -> Result<String, Invalid> {
    Ok(format!(
        "{}{TRAINER_ROUTE}#r={}",
        base(base_url),
        encode_receipt(receipt)?
    ))
}

/// The receipt as a chat message: `党建学习回执 DJR1…` and a line a person can read.
///
/// ```
/// use portal::assign::{parse_receipt, receipt_text, Receipt, ReceiptItem};
/// let r = Receipt {
///     assignment: "k3Vq9xZa".into(), title: "网格化治理".into(), worker: "张三".into(),
///     created: 1_795_900_000_000,
///     items: vec![ReceiptItem { item: "case:panjin-2018".parse().unwrap(), assigned: true,
///         completed_at: Some(1_795_800_000_000), quiz: None }],
/// };
/// let text = receipt_text(&r).unwrap();
/// assert!(text.starts_with("党建学习回执 DJR1"));
/// assert!(text.ends_with("张三 ·「网格化治理」· 全部完成"));
/// assert_eq!(parse_receipt(&text), Ok(r));
/// ```
pub fn receipt_text(receipt: &Receipt) -> Result<String, Invalid> {
    Ok(format!(
        "{RECEIPT_LABEL} {}\n{} ·「{}」· {}",
        encode_receipt(receipt)?,
        receipt.worker,
        receipt.title,
        receipt.status().label()
    ))
}

fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Every code-like run in `text`, in order: from the first `DJA`/`DJR` of a run of base64url
/// characters that goes on past the marker (a code's version character, any base64url
/// character, follows it) to the run's end. The bare word `DJR` (a worker's name in a
/// receipt's text) is not a code.
fn candidates(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_code_char(c)).filter_map(|run| {
        run.as_bytes()
            .windows(4)
            .position(|w| &w[..3] == b"DJA" || &w[..3] == b"DJR")
            .map(|p| &run[p..])
    })
}

/// Reads one link, fragment, bare code or receipt text, of either kind.
///
/// ```
/// use portal::assign::{parse, DecodeError};
/// assert_eq!(parse(" \n"), Err(DecodeError::Empty));
/// assert_eq!(parse("https://dj.example.org/assignment"), Err(DecodeError::NotFound));
/// assert!(matches!(parse("“https://dj.example.org/trainer#r=DJR1AAAA”。"), Err(DecodeError::Truncated { .. })));
/// ```
pub fn parse(input: &str) -> Result<AssignmentOrReceipt, DecodeError> {
    parse_expecting(input, None)
}

fn parse_expecting(
    input: &str,
    expected: Option<CodeKind>,
) -> Result<AssignmentOrReceipt, DecodeError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DecodeError::Empty);
    }
    if input.len() > MAX_INPUT_CHARS {
        return Err(DecodeError::Oversized {
            chars: input.chars().count(),
            max: MAX_INPUT_CHARS,
        });
    }
    // Look in the fragment first: a host or path could, by bad luck, contain `DJA`.
    let fragment = input.split_once('#').map_or(input, |(_, f)| f);
    let code = candidates(fragment)
        .next()
        .or_else(|| candidates(input).next())
        .ok_or(DecodeError::NotFound)?;
    decode_expecting(code, expected)
}

/// Reads an assignment from a link, fragment or code (what the worker's page gets).
pub fn parse_assignment(input: &str) -> Result<Assignment, DecodeError> {
    match parse_expecting(input, Some(CodeKind::Assignment))? {
        AssignmentOrReceipt::Assignment(a) => Ok(a),
        AssignmentOrReceipt::Receipt(_) => Err(DecodeError::WrongType {
            expected: CodeKind::Assignment,
            found: CodeKind::Receipt,
        }),
    }
}

/// Reads a receipt from a link, fragment, code or receipt text.
pub fn parse_receipt(input: &str) -> Result<Receipt, DecodeError> {
    match parse_expecting(input, Some(CodeKind::Receipt))? {
        AssignmentOrReceipt::Receipt(r) => Ok(r),
        AssignmentOrReceipt::Assignment(_) => Err(DecodeError::WrongType {
            expected: CodeKind::Receipt,
            found: CodeKind::Assignment,
        }),
    }
}

/// One code found in pasted text, and what came of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pasted {
    /// The code as found.
    pub code: String,
    pub result: Result<Receipt, DecodeError>,
}

impl Pasted {
    /// The code's start, to tell the user which one failed: `DJR1q2ZmA8c…`.
    pub fn excerpt(&self) -> String {
        let mut s: String = self.code.chars().take(12).collect();
        if self.code.chars().count() > 12 {
            s.push('…');
        }
        s
    }
}

/// Every receipt code in a pasted block (links, receipt texts, bare codes, with any text or
/// line breaks between them), each read on its own: one bad code does not stop the others.
///
/// Fails as a whole only when there is nothing to read: the text is blank, holds no code, is
/// longer than [`MAX_PASTE_CHARS`] or holds more than [`MAX_PASTE_CODES`] codes. An assignment
/// code among them is reported as [`DecodeError::WrongType`].
///
/// ```
/// use portal::assign::{parse_many, DecodeError};
/// let pasted = parse_many("张三：党建学习回执 DJR1AAAA\n李四：https://x.org/assignment#a=DJA1AAAA。").unwrap();
/// assert_eq!(pasted.len(), 2);
/// assert!(matches!(pasted[0].result, Err(DecodeError::Truncated { .. })));
/// assert!(matches!(pasted[1].result, Err(DecodeError::WrongType { .. })));
/// assert_eq!(parse_many("你好"), Err(DecodeError::NotFound));
/// ```
pub fn parse_many(text: &str) -> Result<Vec<Pasted>, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.len() > MAX_PASTE_CHARS {
        return Err(DecodeError::Oversized {
            chars: text.chars().count(),
            max: MAX_PASTE_CHARS,
        });
    }
    let mut out = Vec::new();
    for code in candidates(text) {
        if out.len() == MAX_PASTE_CODES {
            return Err(DecodeError::TooManyCodes {
                max: MAX_PASTE_CODES,
            });
        }
        out.push(Pasted {
            code: code.to_string(),
            result: super::decode_receipt(code),
        });
    }
    if out.is_empty() {
        return Err(DecodeError::NotFound);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_addresses_are_normalised() {
        assert_eq!(base("https://x.org/"), "https://x.org");
        assert_eq!(base(" https://x.org/p/?a=1#b "), "https://x.org/p");
        assert_eq!(base(""), "");
    }

    #[test]
    fn candidates_are_runs_from_the_marker() {
        let found: Vec<&str> = candidates("a=DJR1x-_y。“DJA1z”xxDJR1w DJ DJX1 DJR DJAZq").collect();
        assert_eq!(found, ["DJR1x-_y", "DJA1z", "DJR1w", "DJAZq"]);
        assert_eq!(
            candidates("网址：https://x.org/#r=DJR1abc&x=1").collect::<Vec<_>>(),
            ["DJR1abc"]
        );
    }
}
