//! A problem found in a content file, printed the way editors and editors' tools expect:
//! `path:line:column: 错误: message (field)`.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub field: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.column, severity, self.message
        )?;
        if let Some(field) = &self.field {
            write!(f, " ({field})")?;
        }
        Ok(())
    }
}

/// Collects the diagnostics of one file.
#[derive(Debug)]
pub struct Report<'a> {
    pub path: &'a str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Report<'_> {
    pub fn push(
        &mut self,
        severity: Severity,
        (line, column): (usize, usize),
        message: impl Into<String>,
        field: Option<&str>,
    ) {
        self.diagnostics.push(Diagnostic {
            path: self.path.to_string(),
            line: line.max(1),
            column: column.max(1),
            severity,
            message: message.into(),
            field: field.map(str::to_string),
        });
    }

    pub fn error(&mut self, at: (usize, usize), message: impl Into<String>, field: &str) {
        self.push(Severity::Error, at, message, Some(field));
    }

    pub fn warning(&mut self, at: (usize, usize), message: impl Into<String>, field: &str) {
        self.push(Severity::Warning, at, message, Some(field));
    }
}
