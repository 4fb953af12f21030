//! Which characters a name may not hide: one predicate for every name a stranger can send.
//!
//! A name that came from a link is shown to someone who must tell people apart by it: a trainer
//! reading a table of workers, a worker reading who set a task. Invisible characters let a
//! stranger make `张‍三` (with a zero-width joiner) that looks exactly like `张三`, and
//! bidirectional controls make text read in another order than it is stored. So names, and the
//! titles that stand for a table, refuse every code point Unicode calls
//! `Default_Ignorable_Code_Point` (drawn as nothing), every bidi control, and the other format
//! characters that hide or rearrange text.
//!
//! Names in assignments and receipts (`assign`) and the learning record's display name and ids
//! (`progress`) all follow this one rule, so a name one accepts is a name the other accepts.

/// Whether `c` is drawn as nothing or rearranges the text around it.
///
/// True for Unicode 15's `Default_Ignorable_Code_Point` (U+00AD, U+034F, U+061C,
/// U+115F–1160, U+17B4–17B5, U+180B–180F, U+200B–200F, U+202A–202E, U+2060–206F, U+3164,
/// U+FE00–FE0F, U+FEFF, U+FFA0, U+FFF0–FFF8, U+1BCA0–1BCA3, U+1D173–1D17A, U+E0000–E0FFF),
/// which holds every bidi control (U+061C, U+200E–200F, U+202A–202E, U+2066–2069), and for the
/// remaining format characters that hide text: the interlinear annotation marks U+FFF9–FFFB,
/// the line and paragraph separators U+2028–2029, and the Arabic and Syriac marks that are drawn
/// over the text that follows them (U+0600–0605, U+06DD, U+070F, U+0890–0891, U+08E2, U+110BD,
/// U+110CD). Control characters (`char::is_control`) are the caller's to refuse: a note may
/// keep its line breaks.
///
/// ```
/// use portal::text::is_invisible;
/// assert!(is_invisible('\u{200D}')); // zero-width joiner
/// assert!(is_invisible('\u{202E}')); // right-to-left override
/// assert!(is_invisible('\u{E0041}')); // tag letter A
/// assert!(!is_invisible('张'));
/// assert!(!is_invisible(' '));
/// ```
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether `c` only joins or varies what is next to it in an emoji (👨‍👩‍👧, ❤️, 🏴 flags):
/// free text such as a note may keep these, a name may not.
pub fn is_emoji_glue(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}')
}

/// The first invisible character of `text` (see [`is_invisible`]), to name it in a message.
///
/// ```
/// use portal::text::first_invisible;
/// assert_eq!(first_invisible("张\u{200D}三"), Some('\u{200D}'));
/// assert_eq!(first_invisible("张三"), None);
/// ```
pub fn first_invisible(text: &str) -> Option<char> {
    text.chars().find(|&c| is_invisible(c))
}

/// Whether `text` can be shown as it is: no control characters and nothing [`is_invisible`].
///
/// ```
/// use portal::text::plain_text;
/// assert!(plain_text("张三"));
/// assert!(!plain_text("张\u{202E}三"));
/// assert!(!plain_text("张\n三"));
/// ```
pub fn plain_text(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() || is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Default_Ignorable_Code_Point` from Unicode 15.1's DerivedCoreProperties.txt, range by range.
    const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ];

    #[test]
    fn every_default_ignorable_code_point_is_invisible() {
        for &(from, to) in DEFAULT_IGNORABLE {
            for c in (from..=to).filter_map(char::from_u32) {
                assert!(is_invisible(c), "U+{:04X}", c as u32);
            }
        }
        // And every bidi control.
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{2066}', '\u{2069}', '\u{202A}',
        ] {
            assert!(is_invisible(c));
        }
    }

    #[test]
    fn visible_text_is_not() {
        for c in "张三李四 王老师（城南）ABC abc 123 ·—…『』👨👩❤".chars() {
            assert!(!is_invisible(c), "{c:?}");
        }
        // Neighbours of the ranges are visible.
        for c in [
            '\u{00AC}', '\u{00AE}', '\u{200A}', '\u{2027}', '\u{2030}', '\u{3165}', '\u{FFFC}',
        ] {
            assert!(!is_invisible(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn emoji_glue_is_invisible_but_allowed_in_free_text() {
        for c in ['\u{200D}', '\u{FE0F}', '\u{E0067}'] {
            assert!(is_invisible(c) && is_emoji_glue(c));
        }
        assert!(!is_emoji_glue('\u{202E}') && !is_emoji_glue('\u{200B}'));
    }
}
