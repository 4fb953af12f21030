//! Chinese-aware search (see issue 4).
