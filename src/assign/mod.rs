//! Assignments and receipts without a server (issue 6).
//!
//! A trainer's [`Assignment`] ("finish these modules by Friday") travels to workers inside a link
//! or QR code; a worker's [`Receipt`] ("done, with these times and scores") travels back the same
//! way, or as a short text pasted into a chat; the trainer's device collects receipts in a
//! [`Roster`] and shows one [`Table`] per assignment.
//!
//! This is the pure core: no clock, no randomness, no browser. The caller passes every timestamp
//! (epoch milliseconds) and the random bytes of an assignment id ([`new_id`]).
//!
//! - [`model`]: the two records, their limits and [`Receipt::from_progress`];
//! - [`codec`]: the compact, versioned, checksummed codes (`DJA1…`, `DJR1…`);
//! - [`link`]: links, the receipt's chat text, and reading codes back out of pasted text;
//! - [`qr`]: QR codes as SVG;
//! - [`roster`]: the trainer's table, its CSV and its stored JSON, and the rules for taking in a
//!   receipt ([`Roster::intake`]);
//! - [`tasks`]: the worker's accepted assignments as stored;
//!
//! A checksum catches a link that was cut short or garbled on the way; it does not stop anyone
//! from writing a receipt by hand. Receipts are self-reported, and the UI must say so.
//!
//! ```
//! use portal::assign::{decode_receipt, encode_assignment, parse_assignment, Assignment};
//! let a = Assignment {
//!     id: "k3Vq9xZa".into(),
//!     title: "新任书记入门".into(),
//!     trainer: "王老师".into(),
//!     note: String::new(),
//!     due: "2026-12-04".parse().unwrap(),
//!     created: 1_795_737_600_000,
//!     items: vec!["module:new-secretary-starter".parse().unwrap()],
//! };
//! let link = portal::assign::assignment_link("https://dj.example.org", &a).unwrap();
//! assert!(link.starts_with("https://dj.example.org/assignment#a=DJA1"));
//! assert_eq!(parse_assignment(&link).unwrap(), a);
//! // An assignment is not a receipt: the error says so in Chinese.
//! let code = encode_assignment(&a).unwrap();
//! assert!(decode_receipt(&code).unwrap_err().to_string().contains("不是学习回执"));
//! ```

pub mod codec;
pub mod link;
pub mod model;
pub mod qr;
pub mod roster;
pub mod tasks;

pub use codec::{
    decode, decode_assignment, decode_receipt, encode_assignment, encode_receipt,
    AssignmentOrReceipt, CodeKind, DecodeError, MAX_CODE_CHARS, VERSION,
};
pub use link::{
    assignment_link, parse, parse_assignment, parse_many, parse_receipt, receipt_link,
    receipt_text, Pasted, ASSIGNMENT_ROUTE, MAX_INPUT_CHARS, MAX_PASTE_CHARS, MAX_PASTE_CODES,
    TRAINER_ROUTE,
};
pub use model::{
    check_not_ahead, due_text, new_id, Assignment, Date, Field, Invalid, Overall, QuizScore,
    Receipt, ReceiptItem, Refusal, MAX_AHEAD_MS, MAX_ITEMS, MAX_NAME_CHARS, MAX_NOTE_CHARS,
    MAX_RECEIPT_ITEMS, MAX_TITLE_CHARS,
};
pub use qr::{qr_svg, qr_version, QrError};
pub use roster::{
    Added, Cell, Column, Group, Intake, Loaded, Removed, Roster, RosterError, Row, SortKey, Table,
    MAX_ASSIGNMENTS, MAX_FOREIGN_ASSIGNMENTS, MAX_RECEIPTS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS,
    ROWS_PER_PAGE,
};
pub use tasks::{TaskList, TasksError};
