//! Pinyin keys for titles, tags and headings, made at build time only (the `pinyin` crate never
//! reaches the browser): every reading of a multi-reading character is kept, up to a limit.

use pinyin::ToPinyinMulti;

use super::index::PinyinKey;
use super::normalize::{is_han, Normalizer};

/// The most readings kept for one phrase (the product of its characters' readings grows fast).
const MAX_READINGS: usize = 16;

/// The syllable lists of a phrase's Chinese characters, one list per combination of readings.
///
/// ```
/// let r = portal::search::pinyin::readings("党建");
/// assert!(r.contains(&vec!["dang".to_string(), "jian".to_string()]));
/// ```
pub fn readings(phrase: &str) -> Vec<Vec<String>> {
    // Build time only, where the tables are compiled in.
    let han: String = Normalizer::compiled()
        .normalize(phrase)
        .chars()
        .filter(|c| is_han(*c))
        .take(24)
        .collect();
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for multi in han.as_str().to_pinyin_multi() {
        let Some(multi) = multi else { continue };
        let mut options: Vec<String> = multi.into_iter().map(|p| p.plain().to_string()).collect();
        options.dedup();
        let mut next = Vec::new();
        for prefix in &out {
            for o in &options {
                if next.len() >= MAX_READINGS {
                    break;
                }
                let mut p = prefix.clone();
                p.push(o.clone());
                next.push(p);
            }
        }
        out = next;
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The pinyin keys of a phrase, every reading.
pub fn keys(phrase: &str, title: bool) -> Vec<PinyinKey> {
    readings(phrase)
        .into_iter()
        .map(|syllables| PinyinKey { title, syllables })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::pinyin_matches;

    #[test]
    fn multi_reading_characters_keep_every_reading() {
        let r = readings("重庆");
        assert!(r.iter().any(|p| p[0] == "chong"), "{r:?}");
        assert!(r.iter().any(|p| p[0] == "zhong"), "{r:?}");
    }

    #[test]
    fn full_partial_and_initials_match() {
        let p = readings("党建中心").remove(0);
        for q in ["dangjian", "dangji", "djzx", "jianzhong", "zhongxin", "zx"] {
            assert!(pinyin_matches(&p, q), "{q}");
        }
        for q in ["dangjiang", "xd", "d"] {
            assert!(!pinyin_matches(&p, q), "{q}");
        }
    }
}
