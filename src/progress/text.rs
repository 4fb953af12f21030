//! Which characters a name taken from a file may not contain.
//!
//! A display name is printed on the learning record and shown on receipts. An invisible code
//! point (a zero-width space, a variation selector, a Hangul filler) makes two names that look the
//! same compare different, and a bidi control (U+202E) makes a name read other than it is stored.
//! Receipts refuse these; the learning record refuses the same set, so a name that an import
//! accepts is one a receipt accepts too.

/// Whether `c` is invisible or reorders text: Unicode's Default_Ignorable_Code_Point set (which
/// includes the bidi embeddings, overrides, isolates and marks) and the Arabic letter mark.
///
/// ```
/// use portal::progress::text::invisible;
/// assert!(invisible('\u{202E}'));
/// assert!(invisible('\u{200B}'));
/// assert!(!invisible('张'));
/// assert!(!invisible(' '));
/// ```
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether `text` can be shown as it is: no control characters and nothing [`invisible`].
///
/// ```
/// use portal::progress::text::plain_text;
/// assert!(plain_text("张三"));
/// assert!(!plain_text("张\u{202E}三"));
/// assert!(!plain_text("张\n三"));
/// ```
pub fn plain_text(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() || invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_range_is_refused_at_both_ends() {
        let ends = [
            '\u{00AD}',
            '\u{034F}',
            '\u{061C}',
            '\u{115F}',
            '\u{1160}',
            '\u{17B4}',
            '\u{17B5}',
            '\u{180B}',
            '\u{180F}',
            '\u{200B}',
            '\u{200F}',
            '\u{202A}',
            '\u{202E}',
            '\u{2060}',
            '\u{2066}',
            '\u{2069}',
            '\u{206F}',
            '\u{3164}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{FFA0}',
            '\u{FFF0}',
            '\u{FFF8}',
            '\u{1BCA0}',
            '\u{1BCA3}',
            '\u{1D173}',
            '\u{1D17A}',
            '\u{E0000}',
            '\u{E0001}',
            '\u{E0FFF}',
        ];
        for c in ends {
            assert!(invisible(c), "U+{:04X} should be refused", c as u32);
        }
    }

    #[test]
    fn neighbours_and_ordinary_text_pass() {
        let fine = [
            'a',
            '张',
            '·',
            '-',
            ' ',
            '\u{00AC}',
            '\u{00AE}',
            '\u{061B}',
            '\u{200A}',
            '\u{2010}',
            '\u{2029}',
            '\u{202F}',
            '\u{2070}',
            '\u{3163}',
            '\u{3165}',
            '\u{FDFF}',
            '\u{FE10}',
            '\u{FFEF}',
            '\u{FFF9}',
            '\u{1D172}',
            '\u{1D17B}',
            '\u{E1000}',
        ];
        for c in fine {
            assert!(!invisible(c), "U+{:04X} should pass", c as u32);
        }
    }
}
