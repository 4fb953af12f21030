//! Assignments and receipts (see issue 6).
