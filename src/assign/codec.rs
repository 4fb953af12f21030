//! The codes inside links: compact, versioned and checksummed.
//!
//! A code is a four-character header, then base64url without padding of
//! `varint(payload length) ‖ payload ‖ CRC-32(header ‖ varint ‖ payload)` (CRC big-endian).
//!
//! - The header is `DJ` (党建), a type letter (`A` assignment, `R` receipt) and a version
//!   character (`1`–`9`, then `A`–`Z` for 10–35). It is plain text so a code can be found in a
//!   pasted chat message and its type and version told before anything is decoded: a receipt
//!   given where an assignment is expected, or a code from a newer app, gets its own message.
//! - The length in front tells a code cut short ([`DecodeError::Truncated`]) from one garbled
//!   ([`DecodeError::Damaged`]).
//! - The CRC catches accidental damage only; anyone can compute it, so a receipt stays
//!   self-reported.
//!
//! Payload, version 1 (varint = unsigned LEB128, shortest form; string = varint byte length +
//! UTF-8; ref = kind byte (1 case, 2 workflow, 3 community, 4 module) + string id):
//!
//! - assignment: id, title, trainer, note (strings), due (varint days since 2000-01-01),
//!   created (varint ms), item count, refs;
//! - receipt: assignment id, title, worker (strings), created (varint ms), item count, items.
//!   An item is a flags byte (bits 0–2 kind, 3 assigned, 4 completed, 5 quiz tried, 6 quiz
//!   passed, 7 zero), the id string, if completed the zigzag varint of `completed_at − created`
//!   (small: items are done days, not decades, before the receipt), and if tried the best score
//!   byte.
//!
//! Every length and count is checked against what is left before anything is allocated, and the
//! decoded record goes through the same `validate` as the encoder's.

use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use super::model::{
    Assignment, Date, Invalid, QuizScore, Receipt, ReceiptItem, MAX_ITEMS, MAX_RECEIPT_ITEMS,
};
use crate::content::{Kind, Ref};
use crate::varint::{self, ReadError, Writer};

/// The format version this app writes and reads.
pub const VERSION: u32 = 1;
/// Longest code accepted or produced, in characters; checked before decoding.
pub const MAX_CODE_CHARS: usize = 4000;

const MAGIC: &str = "DJ";
const HEADER_LEN: usize = 4;
const CRC_LEN: usize = 4;

/// Accepts trailing bits and a dangling last character, so a cut-off code can still be measured
/// and called truncated; canonical form is then checked separately.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// The two kinds of code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeKind {
    Assignment,
    Receipt,
}

impl CodeKind {
    fn letter(self) -> char {
        match self {
            CodeKind::Assignment => 'A',
            CodeKind::Receipt => 'R',
        }
    }

    fn from_letter(c: u8) -> Option<CodeKind> {
        match c {
            b'A' => Some(CodeKind::Assignment),
            b'R' => Some(CodeKind::Receipt),
            _ => None,
        }
    }

    /// The code header of the current version: `DJA1` or `DJR1`.
    pub fn header(self) -> String {
        format!("{MAGIC}{}{}", self.letter(), version_char(VERSION))
    }

    /// Why this kind of code is not the one expected, and where it belongs.
    fn misplaced(self) -> &'static str {
        match self {
            CodeKind::Assignment => {
                "这是学习任务链接，不是学习回执：请直接在浏览器中打开它查看任务"
            }
            CodeKind::Receipt => {
                "这是学习回执，不是学习任务：回执请发给培训者，在“培训管理”页面添加"
            }
        }
    }

    fn damaged(self) -> &'static str {
        match self {
            CodeKind::Assignment => {
                "学习任务链接已损坏或被改动（校验不符），不能使用：请培训者重新发送链接"
            }
            CodeKind::Receipt => {
                "学习回执已损坏或被改动（校验不符），不能使用：请学员重新发送。校验只能发现传输中的损坏；回执由学员自己生成，属于自行报告，并不能防止伪造"
            }
        }
    }
}

impl fmt::Display for CodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeKind::Assignment => "学习任务",
            CodeKind::Receipt => "学习回执",
        })
    }
}

fn version_char(v: u32) -> char {
    char::from_digit(v, 36)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or('?')
}

/// Why a code (or link, or pasted text) could not be read. Nothing is changed when it is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("没有内容：请粘贴链接或代码")]
    Empty,
    #[error("没有找到学习任务或学习回执的代码：请确认复制的是完整的链接或回执")]
    NotFound,
    #[error("内容太长（{chars} 个字符，最多 {max} 个）：本平台的链接和回执没有这么长，请检查粘贴的内容，或分批粘贴")]
    Oversized { chars: usize, max: usize },
    #[error("一次最多添加 {max} 份回执，其余的请分批粘贴")]
    TooManyCodes { max: usize },
    #[error("{}", .found.misplaced())]
    WrongType { expected: CodeKind, found: CodeKind },
    #[error("这份{kind}是第 {version} 版格式，本应用只能读取第 {supported} 版：请刷新页面，更新到最新版本后再打开")]
    UnsupportedVersion {
        kind: CodeKind,
        version: u32,
        supported: u32,
    },
    #[error(
        "{kind}的代码中有不该出现的字符，可能复制时混入了别的文字或被改动：请重新复制完整的链接"
    )]
    NotBase64 { kind: CodeKind },
    #[error("{kind}不完整，可能复制时少了一截：请重新复制完整的链接或代码")]
    Truncated { kind: CodeKind },
    #[error("{}", .kind.damaged())]
    Damaged { kind: CodeKind },
    #[error("{kind}的内容无法读取（{detail}），可能来自不兼容的程序")]
    Malformed {
        kind: CodeKind,
        detail: &'static str,
    },
    #[error("{kind}中的内容不合规：{source}")]
    Invalid { kind: CodeKind, source: Invalid },
}

/// A decoded code of either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignmentOrReceipt {
    Assignment(Assignment),
    Receipt(Receipt),
}

// ---- writing ----------------------------------------------------------------------------------

fn kind_byte(kind: Kind) -> u8 {
    match kind {
        Kind::Case => 1,
        Kind::Workflow => 2,
        Kind::Community => 3,
        Kind::Module => 4,
    }
}

fn kind_of(byte: u8) -> Option<Kind> {
    match byte {
        1 => Some(Kind::Case),
        2 => Some(Kind::Workflow),
        3 => Some(Kind::Community),
        4 => Some(Kind::Module),
        _ => None,
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

const FLAG_ASSIGNED: u8 = 1 << 3;
const FLAG_COMPLETED: u8 = 1 << 4;
const FLAG_QUIZ: u8 = 1 << 5;
const FLAG_PASSED: u8 = 1 << 6;
const FLAG_RESERVED: u8 = 1 << 7;

/// The codes' checksum: CRC-32 (ISO-HDLC, as in zlib), with a 1 KiB table; crc32fast's
/// 16 KiB slice-by-16 table cost 14 kB of gzipped WASM for a few dozen bytes per code.
const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// Days from 1970-01-01 to 2000-01-01, the epoch of encoded due dates.
const DATE_EPOCH: i64 = 10_957;

/// Wraps a payload as a code of `kind`, refusing one longer than [`MAX_CODE_CHARS`].
fn wrap(kind: CodeKind, payload: &[u8]) -> Result<String, Invalid> {
    let header = kind.header();
    let mut body = Writer {
        bytes: Vec::with_capacity(payload.len() + 8),
    };
    body.varint(payload.len() as u64);
    body.bytes.extend_from_slice(payload);
    let mut crc = CRC32.digest();
    crc.update(header.as_bytes());
    crc.update(&body.bytes);
    body.bytes.extend_from_slice(&crc.finalize().to_be_bytes());
    let code = format!("{header}{}", URL_SAFE_NO_PAD.encode(&body.bytes));
    if code.len() > MAX_CODE_CHARS {
        return Err(Invalid::CodeTooLong {
            kind,
            chars: code.len(),
            max: MAX_CODE_CHARS,
        });
    }
    Ok(code)
}

/// The assignment as a code (`DJA1…`), after checking every limit.
///
/// ```
/// use portal::assign::{decode_assignment, encode_assignment, Assignment};
/// let a = Assignment {
///     id: "k3Vq9xZa".into(), title: "网格化治理".into(), trainer: "王老师".into(),
///     note: "周五前完成".into(), due: "2026-12-04".parse().unwrap(),
///     created: 1_795_737_600_000, items: vec!["module:grid-governance".parse().unwrap()],
/// };
/// let code = encode_assignment(&a).unwrap();
/// assert!(code.starts_with("DJA1"));
/// assert_eq!(decode_assignment(&code), Ok(a));
/// ```
pub fn encode_assignment(a: &Assignment) -> Result<String, Invalid> {
    a.validate()?;
    let mut w = Writer::default();
    w.str(&a.id);
    w.str(&a.title);
    w.str(&a.trainer);
    w.str(&a.note);
    w.varint((a.due.days_since_epoch() - DATE_EPOCH).unsigned_abs());
    w.varint(a.created);
    w.varint(a.items.len() as u64);
    for item in &a.items {
        w.u8(kind_byte(item.kind));
        w.str(&item.id);
    }
    wrap(CodeKind::Assignment, &w.bytes)
}

/// The receipt as a code (`DJR1…`), after checking every limit.
///
/// ```
/// use portal::assign::{decode_receipt, encode_receipt, QuizScore, Receipt, ReceiptItem};
/// let r = Receipt {
///     assignment: "k3Vq9xZa".into(), title: "网格化治理".into(), worker: "张三".into(),
///     created: 1_795_900_000_000,
///     items: vec![ReceiptItem {
///         item: "module:grid-governance".parse().unwrap(), assigned: true,
///         completed_at: Some(1_795_800_000_000), quiz: Some(QuizScore { best: 90, passed: true }),
///     }],
/// };
/// let code = encode_receipt(&r).unwrap();
/// assert!(code.starts_with("DJR1"));
/// assert_eq!(decode_receipt(&code), Ok(r));
/// ```
pub fn encode_receipt(r: &Receipt) -> Result<String, Invalid> {
    r.validate()?;
    let mut w = Writer::default();
    w.str(&r.assignment);
    w.str(&r.title);
    w.str(&r.worker);
    w.varint(r.created);
    w.varint(r.items.len() as u64);
    for i in &r.items {
        let mut flags = kind_byte(i.item.kind);
        if i.assigned {
            flags |= FLAG_ASSIGNED;
        }
        if i.completed_at.is_some() {
            flags |= FLAG_COMPLETED;
        }
        if let Some(q) = i.quiz {
            flags |= FLAG_QUIZ;
            if q.passed {
                flags |= FLAG_PASSED;
            }
        }
        w.u8(flags);
        w.str(&i.item.id);
        if let Some(at) = i.completed_at {
            // Both are validated timestamps below 2^48, so the difference fits an i64.
            w.varint(zigzag(at as i64 - r.created as i64));
        }
        if let Some(q) = i.quiz {
            w.u8(q.best);
        }
    }
    wrap(CodeKind::Receipt, &w.bytes)
}

// ---- reading ----------------------------------------------------------------------------------

/// What a payload reader can fail with; the caller adds the code's kind.
enum Fault {
    Malformed(&'static str),
    Invalid(Invalid),
}

/// The payload reader: the shared varint reader ([`crate::varint`]), with this format's own
/// messages.
struct Reader<'a>(varint::Reader<'a>);

fn malformed(e: ReadError) -> Fault {
    Fault::Malformed(match e {
        ReadError::Truncated => "数据提前结束",
        ReadError::Overflow => "数值溢出",
        ReadError::Overlong => "数值编码不规范",
        ReadError::Utf8 => "文字编码无效",
        ReadError::Count => "文字长度越界",
    })
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader(varint::Reader::new(bytes))
    }

    fn byte(&mut self) -> Result<u8, Fault> {
        self.0.u8().map_err(malformed)
    }

    fn varint(&mut self) -> Result<u64, Fault> {
        self.0.varint_u64().map_err(malformed)
    }

    fn string(&mut self) -> Result<&'a str, Fault> {
        let len = self.varint()?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= self.0.remaining())
            .ok_or(Fault::Malformed("文字长度越界"))?;
        let bytes = self.0.take(len).map_err(malformed)?;
        std::str::from_utf8(bytes).map_err(|_| Fault::Malformed("文字编码无效"))
    }

    fn count(&mut self, max: usize) -> Result<usize, Fault> {
        let n = self.varint()?;
        match usize::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(Fault::Invalid(Invalid::TooManyItems {
                count: usize::try_from(n).unwrap_or(usize::MAX),
                max,
            })),
        }
    }

    fn item_ref(&mut self, kind: Kind) -> Result<Ref, Fault> {
        Ok(Ref {
            kind,
            id: self.string()?.to_string(),
            anchor: None,
        })
    }

    fn at_end(&self) -> bool {
        self.0.at_end()
    }
}

fn read_assignment(r: &mut Reader<'_>) -> Result<Assignment, Fault> {
    let id = r.string()?.to_string();
    let title = r.string()?.to_string();
    let trainer = r.string()?.to_string();
    let note = r.string()?.to_string();
    let due_days = r.varint()?;
    let due = i64::try_from(due_days)
        .ok()
        .and_then(|d| Date::from_days_since_epoch(d.checked_add(DATE_EPOCH)?))
        .ok_or_else(|| Fault::Invalid(Invalid::Date(format!("2000-01-01 之后第 {due_days} 天"))))?;
    let created = r.varint()?;
    let n = r.count(MAX_ITEMS)?;
    let mut items = Vec::new();
    for _ in 0..n {
        let kind = kind_of(r.byte()?).ok_or(Fault::Malformed("未知的内容类型"))?;
        items.push(r.item_ref(kind)?);
    }
    Ok(Assignment {
        id,
        title,
        trainer,
        note,
        due,
        created,
        items,
    })
}

fn read_receipt(r: &mut Reader<'_>) -> Result<Receipt, Fault> {
    let assignment = r.string()?.to_string();
    let title = r.string()?.to_string();
    let worker = r.string()?.to_string();
    let created = r.varint()?;
    let n = r.count(MAX_RECEIPT_ITEMS)?;
    let mut items = Vec::new();
    for _ in 0..n {
        let flags = r.byte()?;
        if flags & FLAG_RESERVED != 0 || (flags & FLAG_PASSED != 0 && flags & FLAG_QUIZ == 0) {
            return Err(Fault::Malformed("未知的标记"));
        }
        let kind = kind_of(flags & 0b111).ok_or(Fault::Malformed("未知的内容类型"))?;
        let item = r.item_ref(kind)?;
        let completed_at = if flags & FLAG_COMPLETED != 0 {
            let delta = unzigzag(r.varint()?);
            let at = i64::try_from(created)
                .ok()
                .and_then(|c| c.checked_add(delta))
                .and_then(|t| u64::try_from(t).ok())
                .ok_or(Fault::Malformed("完成时间越界"))?;
            Some(at)
        } else {
            None
        };
        let quiz = if flags & FLAG_QUIZ != 0 {
            Some(QuizScore {
                best: r.byte()?,
                passed: flags & FLAG_PASSED != 0,
            })
        } else {
            None
        };
        items.push(ReceiptItem {
            item,
            assigned: flags & FLAG_ASSIGNED != 0,
            completed_at,
            quiz,
        });
    }
    Ok(Receipt {
        assignment,
        title,
        worker,
        created,
        items,
    })
}

/// The code's kind from its header, refusing anything that is not one of ours, a code of the
/// other kind than `expected` (the type letter never changes, so that is told even for a code
/// that is broken further on) and any version but [`VERSION`]. `code` is trimmed and non-empty.
fn header(code: &str, expected: Option<CodeKind>) -> Result<CodeKind, DecodeError> {
    let b = code.as_bytes();
    if !code.starts_with(MAGIC) {
        return Err(DecodeError::NotFound);
    }
    let kind = b
        .get(2)
        .and_then(|&c| CodeKind::from_letter(c))
        .ok_or(DecodeError::NotFound)?;
    if let Some(expected) = expected.filter(|&e| e != kind) {
        return Err(DecodeError::WrongType {
            expected,
            found: kind,
        });
    }
    let Some(&v) = b.get(3) else {
        return Err(DecodeError::Truncated { kind });
    };
    let version = char::from(v)
        .to_digit(36)
        .filter(|_| v.is_ascii_digit() || v.is_ascii_uppercase())
        .ok_or(DecodeError::NotFound)?;
    if version != VERSION {
        return Err(DecodeError::UnsupportedVersion {
            kind,
            version,
            supported: VERSION,
        });
    }
    Ok(kind)
}

fn is_code_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Checks the frame (characters, length, checksum) and returns the payload.
fn unwrap_frame(kind: CodeKind, code: &str) -> Result<Vec<u8>, DecodeError> {
    let text = &code[HEADER_LEN..];
    if !text.bytes().all(is_code_char) {
        return Err(DecodeError::NotBase64 { kind });
    }
    // A dangling last character carries no whole byte: the code was cut (or one was added).
    let whole = if text.len() % 4 == 1 {
        &text[..text.len() - 1]
    } else {
        text
    };
    let bytes = LENIENT
        .decode(whole)
        .map_err(|_| DecodeError::NotBase64 { kind })?;
    let canonical = whole.len() == text.len() && URL_SAFE_NO_PAD.encode(&bytes) == text;
    let mut r = varint::Reader::new(&bytes);
    let len = match r.varint_u64() {
        Ok(len) => len,
        // Ran out of bytes in the middle of the length: cut short.
        Err(_) if bytes.len() < 10 && bytes.iter().all(|b| b & 0x80 != 0) => {
            return Err(DecodeError::Truncated { kind })
        }
        Err(_) => return Err(DecodeError::Damaged { kind }),
    };
    let start = r.position();
    let end = usize::try_from(len)
        .ok()
        .and_then(|l| start.checked_add(l))
        .ok_or(DecodeError::Damaged { kind })?;
    let Some(framed) = end.checked_add(CRC_LEN) else {
        return Err(DecodeError::Damaged { kind });
    };
    if bytes.len() < framed {
        return Err(DecodeError::Truncated { kind });
    }
    if bytes.len() > framed || !canonical {
        return Err(DecodeError::Damaged { kind });
    }
    let mut crc = CRC32.digest();
    crc.update(&code.as_bytes()[..HEADER_LEN]);
    crc.update(&bytes[..end]);
    if bytes[end..framed] != crc.finalize().to_be_bytes() {
        return Err(DecodeError::Damaged { kind });
    }
    Ok(bytes[start..end].to_vec())
}

/// Reads a code of either kind (surrounding whitespace allowed).
///
/// ```
/// use portal::assign::{decode, DecodeError};
/// assert_eq!(decode("  "), Err(DecodeError::Empty));
/// assert!(matches!(decode("DJA9abc"), Err(DecodeError::UnsupportedVersion { version: 9, .. })));
/// assert!(matches!(decode("DJR1"), Err(DecodeError::Truncated { .. })));
/// assert!(matches!(decode(&"x".repeat(5000)), Err(DecodeError::Oversized { .. })));
/// ```
pub fn decode(code: &str) -> Result<AssignmentOrReceipt, DecodeError> {
    decode_expecting(code, None)
}

/// Reads an assignment code; see [`decode`].
pub fn decode_assignment(code: &str) -> Result<Assignment, DecodeError> {
    match decode_expecting(code, Some(CodeKind::Assignment))? {
        AssignmentOrReceipt::Assignment(a) => Ok(a),
        AssignmentOrReceipt::Receipt(_) => Err(DecodeError::WrongType {
            expected: CodeKind::Assignment,
            found: CodeKind::Receipt,
        }),
    }
}

/// Reads a receipt code; see [`decode`].
pub fn decode_receipt(code: &str) -> Result<Receipt, DecodeError> {
    match decode_expecting(code, Some(CodeKind::Receipt))? {
        AssignmentOrReceipt::Receipt(r) => Ok(r),
        AssignmentOrReceipt::Assignment(_) => Err(DecodeError::WrongType {
            expected: CodeKind::Receipt,
            found: CodeKind::Assignment,
        }),
    }
}

pub(crate) fn decode_expecting(
    code: &str,
    expected: Option<CodeKind>,
) -> Result<AssignmentOrReceipt, DecodeError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(DecodeError::Empty);
    }
    if code.len() > MAX_CODE_CHARS {
        return Err(DecodeError::Oversized {
            chars: code.chars().count(),
            max: MAX_CODE_CHARS,
        });
    }
    let kind = header(code, expected)?;
    let payload = unwrap_frame(kind, code)?;
    let mut r = Reader::new(&payload);
    let fault = |f: Fault| match f {
        Fault::Malformed(detail) => DecodeError::Malformed { kind, detail },
        Fault::Invalid(source) => DecodeError::Invalid { kind, source },
    };
    let decoded = match kind {
        CodeKind::Assignment => {
            AssignmentOrReceipt::Assignment(read_assignment(&mut r).map_err(fault)?)
        }
        CodeKind::Receipt => AssignmentOrReceipt::Receipt(read_receipt(&mut r).map_err(fault)?),
    };
    if !r.at_end() {
        return Err(fault(Fault::Malformed("末尾有多余数据")));
    }
    let valid = match &decoded {
        AssignmentOrReceipt::Assignment(a) => a.validate(),
        AssignmentOrReceipt::Receipt(r) => r.validate(),
    };
    valid.map_err(|source| DecodeError::Invalid { kind, source })?;
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: CodeKind, payload: &[u8]) -> String {
        wrap(kind, payload).unwrap()
    }

    #[test]
    fn checksum_is_zlib_crc32_so_earlier_codes_still_open() {
        // The standard check value of CRC-32/ISO-HDLC, the checksum codes carried before the
        // switch from crc32fast, so codes handed out earlier still verify.
        assert_eq!(CRC32.checksum(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn varints_round_trip_and_refuse_overlong_forms() {
        for v in [0, 1, 127, 128, 300, 1_795_737_600_000, u64::MAX] {
            let mut w = Writer::default();
            w.varint(v);
            let mut r = Reader::new(&w.bytes);
            assert!(matches!(r.varint(), Ok(x) if x == v));
            assert!(r.at_end());
        }
        for (bad, detail) in [
            (&[0x80, 0x00][..], "数值编码不规范"),
            (&[0xff; 11][..], "数值溢出"),
            (
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02][..],
                "数值溢出",
            ),
            (&[0x80][..], "数据提前结束"),
            (&[3, b'a'][..], "文字长度越界"),
        ] {
            let mut r = Reader::new(bad);
            let read = if detail == "文字长度越界" {
                r.string().map(|_| 0)
            } else {
                r.varint()
            };
            assert!(
                matches!(read, Err(Fault::Malformed(d)) if d == detail),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn zigzag_round_trips() {
        for v in [0, 1, -1, 86_400_000, -86_400_000, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    #[test]
    fn headers() {
        assert_eq!(CodeKind::Assignment.header(), "DJA1");
        assert_eq!(CodeKind::Receipt.header(), "DJR1");
        assert_eq!(version_char(10), 'A');
        assert!(matches!(
            header("DJAZ", None),
            Err(DecodeError::UnsupportedVersion { version: 35, .. })
        ));
        assert!(matches!(header("DJAa", None), Err(DecodeError::NotFound)));
        assert!(matches!(header("DJX1", None), Err(DecodeError::NotFound)));
        assert!(matches!(
            header("DJA", None),
            Err(DecodeError::Truncated {
                kind: CodeKind::Assignment
            })
        ));
        assert!(matches!(header("dja1", None), Err(DecodeError::NotFound)));
        // The type is told before the version, even for a code broken further on.
        assert!(matches!(
            header("DJA9", Some(CodeKind::Receipt)),
            Err(DecodeError::WrongType {
                expected: CodeKind::Receipt,
                found: CodeKind::Assignment
            })
        ));
    }

    #[test]
    fn a_frame_with_a_valid_checksum_but_bad_payload_is_malformed() {
        let code = frame(CodeKind::Receipt, &[0xff]);
        assert!(matches!(decode(&code), Err(DecodeError::Malformed { .. })));
        let code = frame(CodeKind::Assignment, &[]);
        assert!(matches!(decode(&code), Err(DecodeError::Malformed { .. })));
        // A huge item count is refused before anything is allocated.
        let mut w = Writer::default();
        for s in ["abcd", "t", "w"] {
            w.str(s);
        }
        w.varint(1_795_737_600_000u64);
        w.varint(u64::MAX);
        let code = frame(CodeKind::Receipt, &w.bytes);
        assert!(matches!(
            decode(&code),
            Err(DecodeError::Invalid {
                source: Invalid::TooManyItems { .. },
                ..
            })
        ));
    }

    #[test]
    fn extra_bytes_after_the_checksum_are_damage() {
        let code = frame(CodeKind::Receipt, &[1, 2, 3]);
        let mut bytes = LENIENT.decode(&code[4..]).unwrap();
        bytes.push(0);
        let longer = format!("DJR1{}", URL_SAFE_NO_PAD.encode(&bytes));
        assert!(matches!(decode(&longer), Err(DecodeError::Damaged { .. })));
    }
}
