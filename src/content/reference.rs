//! Internal references between items: `case:panjin-2018`, optionally with `#anchor`.
//!
//! One syntax serves markdown links, module item lists and quiz sources, so editors learn it once.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Kind;

/// A reference to an item, and optionally to a heading in it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ref {
    pub kind: Kind,
    pub id: String,
    pub anchor: Option<String>,
}

/// Why a reference could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RefError {
    #[error("引用应写成“类型:id”，例如 case:panjin-2018")]
    NoKind,
    #[error("未知的内容类型“{0}”（可用：case、workflow、community、module）")]
    UnknownKind(String),
    #[error("id“{0}”不合规：只能用小写英文字母、数字和连字符")]
    BadId(String),
}

/// True for a valid item id: lowercase ASCII letters, digits and inner hyphens.
///
/// ```
/// use portal::content::reference::is_valid_id;
/// assert!(is_valid_id("panjin-2018"));
/// assert!(!is_valid_id("Panjin"));
/// assert!(!is_valid_id("-x"));
/// assert!(!is_valid_id("盘锦"));
/// ```
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Ref {
    /// True when `text` looks like an internal reference rather than a URL or a relative path.
    pub fn looks_internal(text: &str) -> bool {
        text.split_once(':')
            .is_some_and(|(k, _)| Kind::from_key(k).is_some())
    }

    /// The app route the reference points to, with the anchor as a fragment.
    pub fn href(&self) -> String {
        let route = self.kind.route(&self.id);
        match &self.anchor {
            Some(a) => format!("{route}#{a}"),
            None => route,
        }
    }
}

impl FromStr for Ref {
    type Err = RefError;

    /// ```
    /// use portal::content::{Kind, Ref};
    /// let r: Ref = "workflow:sanhui-yike#确定议题".parse().unwrap();
    /// assert_eq!(r.kind, Kind::Workflow);
    /// assert_eq!(r.anchor.as_deref(), Some("确定议题"));
    /// assert_eq!(r.href(), "/workflows/sanhui-yike#确定议题");
    /// ```
    fn from_str(s: &str) -> Result<Ref, RefError> {
        let (kind, rest) = s.trim().split_once(':').ok_or(RefError::NoKind)?;
        let kind = Kind::from_key(kind).ok_or_else(|| RefError::UnknownKind(kind.to_string()))?;
        let (id, anchor) = match rest.split_once('#') {
            Some((id, a)) => (id, Some(a.to_string()).filter(|a| !a.is_empty())),
            None => (rest, None),
        };
        if !is_valid_id(id) {
            return Err(RefError::BadId(id.to_string()));
        }
        Ok(Ref {
            kind,
            id: id.to_string(),
            anchor,
        })
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.key(), self.id)?;
        if let Some(a) = &self.anchor {
            write!(f, "#{a}")?;
        }
        Ok(())
    }
}

impl Serialize for Ref {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ref {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ref, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let r: Ref = "case:panjin-2018".parse().unwrap();
        assert_eq!(r.to_string(), "case:panjin-2018");
        assert_eq!(r.href(), "/cases/panjin-2018");
        assert_eq!("case:x#".parse::<Ref>().unwrap().anchor, None);
    }

    #[test]
    fn rejects_bad_references() {
        assert_eq!("panjin".parse::<Ref>(), Err(RefError::NoKind));
        assert_eq!(
            "story:x".parse::<Ref>(),
            Err(RefError::UnknownKind("story".into()))
        );
        assert_eq!(
            "case:Pan Jin".parse::<Ref>(),
            Err(RefError::BadId("Pan Jin".into()))
        );
        assert!(Ref::looks_internal("case:x"));
        assert!(!Ref::looks_internal("https://example.org"));
        assert!(!Ref::looks_internal("img/a.png"));
    }
}
