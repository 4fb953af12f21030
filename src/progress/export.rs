//! Export files: the record as JSON (for another device), and item states as CSV (for a
//! spreadsheet); xAPI statements are in [`super::xapi`]. [`ExportFormat`] names the three with
//! their file names, media types and button labels.
//!
//! The CSV starts with a byte-order mark: without it Excel on Windows reads UTF-8 as GBK and the
//! Chinese headers and titles come out garbled.

use super::catalog::Catalog;
use super::datetime::{local_datetime, LocalDate};
use super::storage_format::{encode_pretty, FormatError};
use super::{xapi, Progress};
use crate::content::Kind;

/// The CSV columns, in order.
pub const CSV_HEADERS: [&str; 8] = [
    "类型",
    "标识",
    "标题",
    "状态",
    "开始学习",
    "最近学习",
    "完成时间",
    "自测最高分",
];

/// Why an export could not be produced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("无法生成表格：{0}")]
    Csv(String),
    #[error("xAPI 活动地址前缀“{0}”无效：应以 https:// 或 http:// 开头，且不含空格、“?”或“#”")]
    BadBase(String),
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// The record as an export file that [`super::import::preview_import`] reads back.
pub fn json(progress: &Progress) -> Result<String, ExportError> {
    Ok(encode_pretty(progress)?)
}

/// The files the learner can export from 学习档案, in the order the page offers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The whole record, for another device ([`json`]; [`super::import::preview_import`]
    /// reads it back).
    Json,
    /// Item states for a spreadsheet ([`csv`]).
    Csv,
    /// xAPI statements for a learning record store ([`super::xapi::statements_json`]).
    Xapi,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Json, ExportFormat::Csv, ExportFormat::Xapi];

    /// The file name's ending, after the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Xapi => "xapi.json",
        }
    }

    /// The file's media type.
    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Json | ExportFormat::Xapi => "application/json",
            ExportFormat::Csv => "text/csv;charset=utf-8",
        }
    }

    /// The label of the button that downloads it.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "导出学习记录（JSON）",
            ExportFormat::Csv => "导出表格（CSV）",
            ExportFormat::Xapi => "导出 xAPI 语句",
        }
    }

    /// The name of a download made at `now`: `学习档案-2026-11-28.json`.
    ///
    /// ```
    /// use portal::progress::export::ExportFormat;
    /// assert_eq!(ExportFormat::Csv.file_name(1_795_809_600_000, 480), "学习档案-2026-11-28.csv");
    /// assert_eq!(ExportFormat::Xapi.file_name(1_795_809_600_000, 480), "学习档案-2026-11-28.xapi.json");
    /// ```
    pub fn file_name(self, now: u64, utc_offset_minutes: i32) -> String {
        format!(
            "学习档案-{}.{}",
            LocalDate::from_millis(now, utc_offset_minutes),
            self.extension()
        )
    }

    /// The file's text. `site` is the site's address, the prefix of the xAPI activity ids
    /// (only the xAPI export uses it).
    pub fn write(
        self,
        progress: &Progress,
        catalog: &dyn Catalog,
        utc_offset_minutes: i32,
        site: &str,
    ) -> Result<String, ExportError> {
        match self {
            ExportFormat::Json => json(progress),
            ExportFormat::Csv => csv(progress, catalog, utc_offset_minutes),
            ExportFormat::Xapi => xapi::statements_json(
                progress,
                catalog,
                &xapi::XapiOptions {
                    base: site.to_string(),
                },
            ),
        }
    }
}

/// Keeps a spreadsheet from running a cell as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Item states as CSV: every catalog item (not started ones too), then items known only from
/// the record. Times are local, to the minute.
///
/// ```
/// use portal::progress::{export, Event, NoCatalog, Payload, Progress};
/// let mut p = Progress::new();
/// p.record(Event::new("t-1", 1_795_809_600_000, Payload::Read { item: "case:panjin-2018".parse().unwrap() })).unwrap();
/// let csv = export::csv(&p, &NoCatalog, 480).unwrap();
/// let mut lines = csv.trim_start_matches('\u{feff}').lines();
/// assert_eq!(lines.next(), Some("类型,标识,标题,状态,开始学习,最近学习,完成时间,自测最高分"));
/// assert_eq!(lines.next(), Some("案例,case:panjin-2018,,已完成,2026-11-28 04:00,2026-11-28 04:00,2026-11-28 04:00,"));
/// ```
pub fn csv(
    progress: &Progress,
    catalog: &dyn Catalog,
    utc_offset_minutes: i32,
) -> Result<String, ExportError> {
    let failed = |e: csv::Error| ExportError::Csv(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADERS).map_err(failed)?;
    let time = |t: Option<u64>| {
        t.map(|t| local_datetime(t, utc_offset_minutes))
            .unwrap_or_default()
    };
    for s in progress.statuses(catalog) {
        let best = match s.item.kind {
            Kind::Module => progress
                .best_score(&s.item)
                .map(|b| b.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        w.write_record([
            s.item.kind.noun().to_string(),
            s.item.to_string(),
            cell(catalog.title(&s.item).unwrap_or_default()),
            s.state.label().to_string(),
            time(s.first_activity),
            time(s.last_activity),
            time(s.completed_at),
            best,
        ])
        .map_err(failed)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(e.error().to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))?;
    Ok(format!("\u{feff}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_names_its_file_and_type() {
        let now = 1_795_809_600_000;
        let names: Vec<String> = ExportFormat::ALL
            .iter()
            .map(|f| f.file_name(now, 480))
            .collect();
        assert_eq!(
            names,
            [
                "学习档案-2026-11-28.json",
                "学习档案-2026-11-28.csv",
                "学习档案-2026-11-28.xapi.json"
            ]
        );
        assert_eq!(ExportFormat::Csv.mime(), "text/csv;charset=utf-8");
        assert_eq!(ExportFormat::Xapi.mime(), "application/json");
        let labels: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(
            labels,
            ["导出学习记录（JSON）", "导出表格（CSV）", "导出 xAPI 语句"]
        );
    }

    #[test]
    fn each_format_writes_its_own_text() {
        use crate::progress::{Event, NoCatalog, Payload};
        let mut p = Progress::new();
        let item = "case:panjin-2018".parse().unwrap();
        p.record(Event::new("t-1", 1_795_809_600_000, Payload::Read { item }))
            .unwrap();
        let site = "https://example.invalid/portal";
        let write = |f: ExportFormat| f.write(&p, &NoCatalog, 480, site).unwrap();
        assert_eq!(write(ExportFormat::Json), json(&p).unwrap());
        assert_eq!(write(ExportFormat::Csv), csv(&p, &NoCatalog, 480).unwrap());
        let statements = write(ExportFormat::Xapi);
        assert!(statements.trim_start().starts_with('['), "{statements}");
        assert!(statements.contains(site), "{statements}");
        assert!(matches!(
            ExportFormat::Xapi.write(&p, &NoCatalog, 480, "ftp://x"),
            Err(ExportError::BadBase(_))
        ));
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("盘锦"), "盘锦");
    }
}
