//! Terms: character bigrams for Chinese (a single character where a run of Chinese is one
//! character long), whole words for Latin letters and numbers. Runs are split at anything else.

use super::normalize::{is_han, is_word, Normalizer};

/// A term of the index: a bigram `党建`, a lone character `党`, or a word `xapi`.
pub type Term = String;

/// Calls `emit` with each term of already-normalised text, in order.
///
/// ```
/// let mut terms = Vec::new();
/// portal::search::tokenize::terms(&['党', '建', '中', '心', ' ', 'x', 'a', 'p', 'i', '1', '党'], |t| terms.push(t));
/// assert_eq!(terms, ["党建", "建中", "中心", "xapi1", "党"]);
/// ```
pub fn terms(chars: &[char], mut emit: impl FnMut(Term)) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_han(c) {
            let start = i;
            while i < chars.len() && is_han(chars[i]) {
                i += 1;
            }
            if i - start == 1 {
                emit(c.to_string());
            } else {
                for w in chars[start..i].windows(2) {
                    emit(w.iter().collect());
                }
            }
        } else if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            emit(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
}

/// One space-separated part of a query, normalised, with its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The normalised text a matching document must contain.
    pub text: Vec<char>,
    pub terms: Vec<Term>,
}

/// The most characters of a query that are used; the rest is ignored (a pasted paragraph should
/// not make a query slow).
pub const MAX_QUERY_CHARS: usize = 64;

/// Splits a query into groups (AND), each normalised and tokenised.
///
/// ```
/// let n = portal::search::normalize::Normalizer::compiled();
/// let groups = portal::search::tokenize::query(&n, "黨建  中心");
/// assert_eq!(groups.len(), 2);
/// assert_eq!(groups[0].terms, ["党建"]);
/// ```
pub fn query(normalizer: &Normalizer, q: &str) -> Vec<Group> {
    let normalized: Vec<char> = normalizer
        .normalize(q)
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for part in normalized.split(|c| c.is_whitespace()) {
        // Punctuation inside a part separates terms, but the part stays one phrase that a result
        // must contain as written; punctuation around it is dropped.
        let is_term = |c: &char| is_han(*c) || is_word(*c);
        let start = part.iter().position(is_term).unwrap_or(part.len());
        let end = part.iter().rposition(is_term).map_or(start, |e| e + 1);
        let text: Vec<char> = part[start..end].to_vec();
        if text.is_empty() {
            continue;
        }
        let mut ts = Vec::new();
        terms(part, |t| ts.push(t));
        if !groups.iter().any(|g| g.text == text) {
            groups.push(Group { text, terms: ts });
        }
    }
    groups
}
