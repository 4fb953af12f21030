//! The two records that travel between trainer and worker, and the limits on them.
//!
//! An [`Assignment`] says what a trainer asks of a group of workers; a [`Receipt`] says how far
//! one worker got. Both have public fields (the UI fills a form, the codec fills them from bytes)
//! and one [`validate`](Assignment::validate) each: the encoder refuses what the decoder would
//! refuse, so a link this app makes always opens.
//!
//! The limits keep a link short enough for a chat message and a QR code, and keep text that came
//! from a stranger's link small enough to show safely.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;

use super::codec::CodeKind;
use crate::content::reference::is_valid_id;
use crate::content::{Kind, Ref};
use crate::progress::datetime::local_day;
use crate::progress::model::{MAX_DISPLAY_NAME_CHARS, MAX_TIMESTAMP, MIN_TIMESTAMP};
use crate::progress::{Catalog, ItemState, Progress};
use crate::text::{is_emoji_glue, is_invisible};

/// Most items (modules or single items) in one assignment.
pub const MAX_ITEMS: usize = 60;
/// Most items in one receipt: the assigned ones plus the items of assigned modules.
pub const MAX_RECEIPT_ITEMS: usize = 120;
/// Longest assignment title, in characters.
pub const MAX_TITLE_CHARS: usize = 60;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;
/// Longest trainer or worker name, in characters: the same limit as the learning record's
/// display name, so that name always fits.
pub const MAX_NAME_CHARS: usize = MAX_DISPLAY_NAME_CHARS;
/// Shortest and longest assignment id.
pub const MIN_ID_CHARS: usize = 4;
pub const MAX_ID_CHARS: usize = 16;

/// How deep modules inside modules are followed when a receipt lists a module's items.
const MAX_NESTING: usize = 8;

/// How far past this device's clock an assignment or receipt may be dated: another phone's clock
/// can be some hours off, or a time zone away. Anything later is refused (see [`check_not_ahead`]),
/// because a receipt dated 9999 would otherwise win over every real one for good.
pub const MAX_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// Why a code that decodes is still not taken in by this device.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("这份{kind}注明的时间比本机现在的时间晚了一天以上，可能是对方手机的日期设错了，也可能是伪造的，不能添加：请对方核对手机日期后重新生成")]
    Ahead { kind: CodeKind, at: u64 },
    #[error("这项任务的回执已有 {max} 份，表格已满，不能再添加：请先删除不需要的回执")]
    TooManyRows { max: usize },
    #[error("这份回执列出的学习内容与已收到的回执差别太大，添加后表格会有 {columns} 列，最多 {max} 列，不能添加")]
    TooManyColumns { columns: usize, max: usize },
    #[error(
        "本机已保存 {max} 项不是本机布置的任务的回执，不能再添加别的任务的回执：请先删除不需要的"
    )]
    TooManyForeign { max: usize },
    #[error("本机已保存 {max} 项任务，不能再添加：请先删除不需要的任务")]
    TooManyAssignments { max: usize },
    #[error("本机已保存 {max} 份回执，不能再添加：请先删除不需要的回执")]
    TooManyReceipts { max: usize },
    #[error("{0}")]
    Invalid(#[from] Invalid),
}

/// Refuses a time more than [`MAX_AHEAD_MS`] after `now`.
///
/// ```
/// use portal::assign::{check_not_ahead, CodeKind, Refusal, MAX_AHEAD_MS};
/// let now = 1_795_809_600_000;
/// assert_eq!(check_not_ahead(CodeKind::Receipt, now + MAX_AHEAD_MS, now), Ok(()));
/// assert!(matches!(check_not_ahead(CodeKind::Receipt, now + MAX_AHEAD_MS + 1, now), Err(Refusal::Ahead { .. })));
/// ```
pub fn check_not_ahead(kind: CodeKind, at: u64, now: u64) -> Result<(), Refusal> {
    if at > now.saturating_add(MAX_AHEAD_MS) {
        Err(Refusal::Ahead { kind, at })
    } else {
        Ok(())
    }
}

/// Which text field a validation error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    Trainer,
    Note,
    Worker,
    Created,
    CompletedAt,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Title => "任务标题",
            Field::Trainer => "布置人姓名",
            Field::Note => "任务说明",
            Field::Worker => "学员姓名",
            Field::Created => "生成时间",
            Field::CompletedAt => "完成时间",
        })
    }
}

/// Why an assignment or receipt cannot be made into a code, or why a decoded one is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("任务编号“{0}”无效：应为 4 至 16 位英文字母、数字、“-”或“_”")]
    Id(String),
    #[error("{0}不能为空")]
    Empty(Field),
    #[error("{field}太长：{chars} 个字，最多 {max} 个字")]
    TooLong {
        field: Field,
        chars: usize,
        max: usize,
    },
    #[error(
        "{0}中有看不见的字符（零宽字符、文字方向控制符之类），可能被用来冒充他人，请删去后再试"
    )]
    Hidden(Field),
    #[error("{0}的开头或结尾有空格")]
    Untrimmed(Field),
    #[error("{0}无效：应在 2000 年至 9999 年之间")]
    Time(Field),
    #[error("截止日期“{0}”无效：应写成 2026-12-04 这样的日期，年份在 2000 至 2999 之间")]
    Date(String),
    #[error("至少要选择一项学习内容")]
    NoItems,
    #[error("学习内容太多：{count} 项，最多 {max} 项")]
    TooManyItems { count: usize, max: usize },
    #[error("学习内容“{0}”重复出现")]
    Duplicate(String),
    #[error("学习内容“{0}”带有段落定位（#），只能布置整篇内容")]
    Anchor(String),
    #[error("学习内容的标识“{0}”无效")]
    ItemId(String),
    #[error("回执中没有任何布置的学习内容")]
    NoAssignedItems,
    #[error("“{0}”不是学习模块，不应有自测成绩")]
    QuizOnNonModule(String),
    #[error("“{item}”的自测成绩 {score} 不在 0 至 100 之间")]
    Score { item: String, score: u8 },
    #[error("{kind}内容太多，放不进一个链接：编码后 {chars} 个字符，最多 {max} 个。请减少学习内容或缩短说明")]
    CodeTooLong {
        kind: super::CodeKind,
        chars: usize,
        max: usize,
    },
}

/// A calendar date from 2000-01-01 to 2999-12-31, written `YYYY-MM-DD`: an assignment's due date.
///
/// ```
/// use portal::assign::Date;
/// let d: Date = "2026-12-04".parse().unwrap();
/// assert_eq!(d.to_string(), "2026-12-04");
/// assert_eq!(d.add_days(28).unwrap().to_string(), "2027-01-01");
/// assert!("2026-02-29".parse::<Date>().is_err());
/// assert!("2026-2-3".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    pub const MIN_YEAR: u16 = 2000;
    pub const MAX_YEAR: u16 = 2999;

    /// The date, if it exists and its year is in range.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let ok = (Date::MIN_YEAR..=Date::MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        ok.then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let m = i64::from(self.month);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01, if in range.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The local date at `now` for a clock `utc_offset_minutes` ahead of UTC (480 for China).
    ///
    /// ```
    /// use portal::assign::Date;
    /// // 2026-11-27T20:00Z is already the 28th in Beijing.
    /// assert_eq!(Date::from_millis(1_795_809_600_000, 480).unwrap().to_string(), "2026-11-28");
    /// ```
    pub fn from_millis(now: u64, utc_offset_minutes: i32) -> Option<Date> {
        Date::from_days_since_epoch(local_day(now, utc_offset_minutes))
    }

    /// The date `days` later (earlier if negative), if in range: the form's default due date.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Date, Invalid> {
        let bad = || Invalid::Date(s.chars().take(20).collect());
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = b.get(r)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let (y, m, d) = (
            digits(0..4).ok_or_else(bad)?,
            digits(5..7).ok_or_else(bad)?,
            digits(8..10).ok_or_else(bad)?,
        );
        Date::new(
            y,
            u8::try_from(m).map_err(|_| bad())?,
            u8::try_from(d).map_err(|_| bad())?,
        )
        .ok_or_else(bad)
    }
}

/// How far a worker got with an assignment, for the worker's task list and the trainer's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Overall {
    /// Every item completed.
    Complete,
    /// Some items completed (or a quiz tried): `done` of `total`.
    Partial { done: usize, total: usize },
    /// Nothing completed and no quiz tried.
    NotStarted,
}

impl Overall {
    /// Counts `(completed, quiz tried)` flags into a status.
    pub fn of(cells: impl IntoIterator<Item = (bool, bool)>) -> Overall {
        let (mut done, mut total, mut tried) = (0, 0, false);
        for (completed, quiz) in cells {
            total += 1;
            done += usize::from(completed);
            tried |= quiz;
        }
        match (done, total) {
            (d, t) if t > 0 && d == t => Overall::Complete,
            (0, _) if !tried => Overall::NotStarted,
            (done, total) => Overall::Partial { done, total },
        }
    }

    /// The status as the table shows it.
    ///
    /// ```
    /// use portal::assign::Overall;
    /// assert_eq!(Overall::Complete.label(), "全部完成");
    /// assert_eq!(Overall::Partial { done: 3, total: 17 }.label(), "部分完成 3/17");
    /// assert_eq!(Overall::NotStarted.label(), "未开始");
    /// ```
    pub fn label(&self) -> String {
        match self {
            Overall::Complete => "全部完成".to_string(),
            Overall::Partial { done, total } => format!("部分完成 {done}/{total}"),
            Overall::NotStarted => "未开始".to_string(),
        }
    }

    /// Sort rank: complete first, not started last.
    pub fn rank(&self) -> u8 {
        match self {
            Overall::Complete => 0,
            Overall::Partial { .. } => 1,
            Overall::NotStarted => 2,
        }
    }
}

/// What a trainer asks: these items, by this date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// A short random id made by the caller (see [`new_id`]); receipts refer to it.
    pub id: String,
    pub title: String,
    /// The trainer's name as workers should see it (e.g. 城南街道党群服务中心 王老师).
    pub trainer: String,
    /// May be empty; may have line breaks.
    pub note: String,
    /// The last day to finish, in the workers' time zone.
    pub due: Date,
    /// When the trainer made it, in epoch milliseconds.
    pub created: u64,
    /// Modules and/or single items, without anchors, each once.
    pub items: Vec<Ref>,
}

/// An assignment id from six random bytes the caller drew (e.g. `crypto.getRandomValues`):
/// eight URL-safe characters, 48 bits, so two trainers' ids practically never collide.
///
/// ```
/// assert_eq!(portal::assign::new_id([0xfb, 0xff, 0x00, 0x12, 0x34, 0x56]), "-_8AEjRW");
/// ```
pub fn new_id(random: [u8; 6]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random)
}

/// Days left to the due date as a short phrase: 今天截止, 还剩 3 天, 已逾期 2 天.
///
/// ```
/// use portal::assign::due_text;
/// assert_eq!(due_text(0), "今天截止");
/// assert_eq!(due_text(3), "还剩 3 天");
/// assert_eq!(due_text(-2), "已逾期 2 天");
/// ```
pub fn due_text(days_left: i64) -> String {
    match days_left {
        0 => "今天截止".to_string(),
        d if d > 0 => format!("还剩 {d} 天"),
        d => format!("已逾期 {} 天", d.unsigned_abs()),
    }
}

pub(crate) fn valid_assignment_id(id: &str) -> bool {
    (MIN_ID_CHARS..=MAX_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks one text field: required or not, one line or several, and its length.
fn check_text(text: &str, field: Field, max: usize, required: bool) -> Result<(), Invalid> {
    if required && text.trim().is_empty() {
        return Err(Invalid::Empty(field));
    }
    // A note is free text: it may keep the line breaks and tabs of text pasted into it, and the
    // joiners of its emoji. Names and titles tell people and tables apart, so they may hide
    // nothing at all (see `crate::text::is_invisible`).
    let free = field == Field::Note;
    let hidden = |c: char| {
        (is_invisible(c) && !(free && is_emoji_glue(c)))
            || (c.is_control() && !(free && matches!(c, '\n' | '\t')))
    };
    if text.chars().any(hidden) {
        return Err(Invalid::Hidden(field));
    }
    if text.trim() != text {
        return Err(Invalid::Untrimmed(field));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(Invalid::TooLong { field, chars, max });
    }
    Ok(())
}

fn check_time(at: u64, field: Field) -> Result<(), Invalid> {
    if (MIN_TIMESTAMP..=MAX_TIMESTAMP).contains(&at) {
        Ok(())
    } else {
        Err(Invalid::Time(field))
    }
}

/// Checks an item reference and that it is new in `seen`.
fn check_item<'a>(item: &'a Ref, seen: &mut BTreeSet<(Kind, &'a str)>) -> Result<(), Invalid> {
    if !is_valid_id(&item.id) {
        return Err(Invalid::ItemId(item.id.chars().take(80).collect()));
    }
    if item.anchor.is_some() {
        return Err(Invalid::Anchor(item.to_string()));
    }
    if !seen.insert((item.kind, item.id.as_str())) {
        return Err(Invalid::Duplicate(item.to_string()));
    }
    Ok(())
}

impl Assignment {
    /// Checks every limit; [`super::encode_assignment`] and the decoder call it.
    ///
    /// ```
    /// use portal::assign::{Assignment, Field, Invalid};
    /// let mut a = Assignment {
    ///     id: "k3Vq9xZa".into(), title: "入门".into(), trainer: "王老师".into(),
    ///     note: "第一行\n第二行".into(), due: "2026-12-04".parse().unwrap(),
    ///     created: 1_795_737_600_000, items: vec!["module:grid-governance".parse().unwrap()],
    /// };
    /// assert_eq!(a.validate(), Ok(()));
    /// a.title = "长".repeat(61);
    /// assert_eq!(a.validate(), Err(Invalid::TooLong { field: Field::Title, chars: 61, max: 60 }));
    /// ```
    pub fn validate(&self) -> Result<(), Invalid> {
        if !valid_assignment_id(&self.id) {
            return Err(Invalid::Id(self.id.chars().take(20).collect()));
        }
        check_text(&self.title, Field::Title, MAX_TITLE_CHARS, true)?;
        check_text(&self.trainer, Field::Trainer, MAX_NAME_CHARS, true)?;
        check_text(&self.note, Field::Note, MAX_NOTE_CHARS, false)?;
        check_time(self.created, Field::Created)?;
        if self.items.is_empty() {
            return Err(Invalid::NoItems);
        }
        if self.items.len() > MAX_ITEMS {
            return Err(Invalid::TooManyItems {
                count: self.items.len(),
                max: MAX_ITEMS,
            });
        }
        let mut seen = BTreeSet::new();
        self.items
            .iter()
            .try_for_each(|item| check_item(item, &mut seen))
    }

    /// Whole days from today (at `now`, in the workers' time zone) to the due date: 0 on the due
    /// date itself, negative once it has passed.
    ///
    /// ```
    /// # use portal::assign::Assignment;
    /// # let a = Assignment { id: "k3Vq9xZa".into(), title: "入门".into(), trainer: "王".into(),
    /// #     note: String::new(), due: "2026-11-30".parse().unwrap(), created: 1_795_737_600_000,
    /// #     items: vec!["case:panjin-2018".parse().unwrap()] };
    /// // 2026-11-28 04:00 in Beijing.
    /// assert_eq!(a.days_left(1_795_809_600_000, 480), 2);
    /// ```
    pub fn days_left(&self, now: u64, utc_offset_minutes: i32) -> i64 {
        self.due.days_since_epoch() - local_day(now, utc_offset_minutes)
    }

    /// Whether the due date has passed at `now`.
    pub fn is_overdue(&self, now: u64, utc_offset_minutes: i32) -> bool {
        self.days_left(now, utc_offset_minutes) < 0
    }
}

/// A module's quiz as the worker reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QuizScore {
    /// The best score of any attempt, in percent.
    pub best: u8,
    /// Whether any attempt passed.
    pub passed: bool,
}

/// One item of a receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptItem {
    pub item: Ref,
    /// True for an item the assignment lists, false for an item of an assigned module.
    pub assigned: bool,
    /// When the item became completed (epoch ms); `None` if it is not completed.
    pub completed_at: Option<u64>,
    /// A module's quiz; `None` if it was never tried (or the item is not a module).
    pub quiz: Option<QuizScore>,
}

/// What a worker reports back: how far they got with one assignment. Self-reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The assignment's id.
    pub assignment: String,
    /// The assignment's title, so a trainer without the assignment on this device sees it.
    pub title: String,
    /// The worker's display name.
    pub worker: String,
    /// When the receipt was made, in epoch milliseconds.
    pub created: u64,
    /// The assigned items, each module followed by its own items.
    pub items: Vec<ReceiptItem>,
}

impl Receipt {
    /// The receipt of `assignment` from the worker's learning record, made at `now`.
    ///
    /// Each assigned item is listed, and each assigned module is followed by its items (as the
    /// catalog lists them, nested modules too), each once, so the trainer sees which parts are
    /// done. When that would pass [`MAX_RECEIPT_ITEMS`], the module items beyond it are left out;
    /// assigned items never are. Leading and trailing spaces of `worker` are dropped.
    ///
    /// ```
    /// use portal::assign::{Assignment, Overall, Receipt};
    /// use portal::progress::{Event, NoCatalog, Payload, Progress};
    /// let a = Assignment {
    ///     id: "k3Vq9xZa".into(), title: "读案例".into(), trainer: "王老师".into(),
    ///     note: String::new(), due: "2026-12-04".parse().unwrap(), created: 1_795_737_600_000,
    ///     items: vec!["case:panjin-2018".parse().unwrap(), "case:fengqiao-jingyan".parse().unwrap()],
    /// };
    /// let mut p = Progress::new();
    /// p.record(Event::new("t-1", 1_795_800_000_000, Payload::Read { item: a.items[0].clone() })).unwrap();
    /// let r = Receipt::from_progress(&a, " 张三 ", &p, &NoCatalog, 1_795_900_000_000).unwrap();
    /// assert_eq!(r.worker, "张三");
    /// assert_eq!(r.items[0].completed_at, Some(1_795_800_000_000));
    /// assert_eq!(r.items[1].completed_at, None);
    /// assert_eq!(r.status(), Overall::Partial { done: 1, total: 2 });
    /// ```
    pub fn from_progress(
        assignment: &Assignment,
        worker: &str,
        progress: &Progress,
        catalog: &dyn Catalog,
        now: u64,
    ) -> Result<Receipt, Invalid> {
        assignment.validate()?;
        let refs = expand(assignment, catalog);
        let items = refs
            .into_iter()
            .map(|(item, assigned)| {
                let status = progress.status(catalog, &item);
                let completed_at = status
                    .completed_at
                    .filter(|_| status.state == ItemState::Completed);
                let quiz = (item.kind == Kind::Module && !progress.attempts(&item).is_empty())
                    .then(|| QuizScore {
                        best: progress.best_score(&item).unwrap_or(0),
                        passed: progress.quiz_passed(&item),
                    });
                ReceiptItem {
                    item,
                    assigned,
                    completed_at,
                    quiz,
                }
            })
            .collect();
        let receipt = Receipt {
            assignment: assignment.id.clone(),
            title: assignment.title.clone(),
            worker: worker.trim().to_string(),
            created: now,
            items,
        };
        receipt.validate()?;
        Ok(receipt)
    }

    /// Checks every limit; [`super::encode_receipt`] and the decoder call it.
    pub fn validate(&self) -> Result<(), Invalid> {
        if !valid_assignment_id(&self.assignment) {
            return Err(Invalid::Id(self.assignment.chars().take(20).collect()));
        }
        check_text(&self.title, Field::Title, MAX_TITLE_CHARS, true)?;
        check_text(&self.worker, Field::Worker, MAX_NAME_CHARS, true)?;
        check_time(self.created, Field::Created)?;
        if self.items.is_empty() {
            return Err(Invalid::NoItems);
        }
        if self.items.len() > MAX_RECEIPT_ITEMS {
            return Err(Invalid::TooManyItems {
                count: self.items.len(),
                max: MAX_RECEIPT_ITEMS,
            });
        }
        if !self.items.iter().any(|i| i.assigned) {
            return Err(Invalid::NoAssignedItems);
        }
        let mut seen = BTreeSet::new();
        for i in &self.items {
            check_item(&i.item, &mut seen)?;
            if let Some(at) = i.completed_at {
                check_time(at, Field::CompletedAt)?;
            }
            if let Some(q) = i.quiz {
                if i.item.kind != Kind::Module {
                    return Err(Invalid::QuizOnNonModule(i.item.to_string()));
                }
                if q.best > 100 {
                    return Err(Invalid::Score {
                        item: i.item.to_string(),
                        score: q.best,
                    });
                }
            }
        }
        Ok(())
    }

    /// How far the worker got, counting every item of the receipt.
    pub fn status(&self) -> Overall {
        Overall::of(
            self.items
                .iter()
                .map(|i| (i.completed_at.is_some(), i.quiz.is_some())),
        )
    }

    /// The receipt's entry for `item`, if it lists it.
    pub fn item(&self, item: &Ref) -> Option<&ReceiptItem> {
        self.items
            .iter()
            .find(|i| i.item.kind == item.kind && i.item.id == item.id)
    }
}

/// The receipt's items in order: each assigned item, and after each module its items.
fn expand(assignment: &Assignment, catalog: &dyn Catalog) -> Vec<(Ref, bool)> {
    let assigned: BTreeSet<(Kind, &str)> = assignment
        .items
        .iter()
        .map(|r| (r.kind, r.id.as_str()))
        .collect();
    let mut budget = MAX_RECEIPT_ITEMS.saturating_sub(assignment.items.len());
    let mut seen: BTreeSet<(Kind, String)> = BTreeSet::new();
    let mut out = Vec::new();
    // Assigned items are never listed as a module's part (push_parts skips them), so each
    // appears once, at its own place.
    for item in &assignment.items {
        let plain = Ref {
            kind: item.kind,
            id: item.id.clone(),
            anchor: None,
        };
        seen.insert((plain.kind, plain.id.clone()));
        out.push((plain.clone(), true));
        push_parts(
            &plain,
            catalog,
            &assigned,
            &mut seen,
            &mut budget,
            &mut out,
            0,
        );
    }
    out
}

/// Appends a module's items (depth first) that are neither assigned nor already listed.
fn push_parts(
    module: &Ref,
    catalog: &dyn Catalog,
    assigned: &BTreeSet<(Kind, &str)>,
    seen: &mut BTreeSet<(Kind, String)>,
    budget: &mut usize,
    out: &mut Vec<(Ref, bool)>,
    depth: usize,
) {
    if module.kind != Kind::Module || depth >= MAX_NESTING {
        return;
    }
    let Some(m) = catalog.module(module) else {
        return;
    };
    for part in &m.items {
        if *budget == 0 {
            return;
        }
        if assigned.contains(&(part.kind, part.id.as_str()))
            || !is_valid_id(&part.id)
            || !seen.insert((part.kind, part.id.clone()))
        {
            continue;
        }
        let plain = Ref {
            kind: part.kind,
            id: part.id.clone(),
            anchor: None,
        };
        *budget -= 1;
        out.push((plain.clone(), false));
        push_parts(&plain, catalog, assigned, seen, budget, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_both_ways_across_the_range() {
        for days in [10_957, 10_958, 20_000, 20_454, 365_242, 376_199] {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days, "{d}");
            assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        }
        assert_eq!(Date::from_days_since_epoch(10_956), None); // 1999-12-31
        assert_eq!(Date::from_days_since_epoch(376_200), None); // 3000-01-01
        assert_eq!(Date::new(2000, 1, 1).unwrap().days_since_epoch(), 10_957);
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2100, 2, 29).is_none());
        for bad in [
            "",
            "2026-12-4",
            "2026/12/04",
            "20261204xx",
            "2026-13-01",
            "2026-00-10",
            "１２３４-12-04",
            "1999-12-31",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn text_rules() {
        assert_eq!(check_text("a\nb", Field::Note, 10, false), Ok(()));
        assert_eq!(
            check_text("a\nb", Field::Title, 10, true),
            Err(Invalid::Hidden(Field::Title))
        );
        assert_eq!(
            check_text("a\u{202E}b", Field::Note, 10, false),
            Err(Invalid::Hidden(Field::Note))
        );
        assert_eq!(
            check_text(" a", Field::Worker, 10, true),
            Err(Invalid::Untrimmed(Field::Worker))
        );
        assert_eq!(
            check_text("  ", Field::Worker, 10, true),
            Err(Invalid::Empty(Field::Worker))
        );
        assert_eq!(check_text("", Field::Note, 10, false), Ok(()));
        // A joiner in a name could make 张‍三 pass for 张三; a note may keep its emoji.
        assert_eq!(
            check_text("张\u{200D}三", Field::Worker, 10, true),
            Err(Invalid::Hidden(Field::Worker))
        );
        assert_eq!(
            check_text("👨‍👩‍👧", Field::Worker, 10, true),
            Err(Invalid::Hidden(Field::Worker))
        );
        assert_eq!(check_text("好的👨‍👩‍👧❤️", Field::Note, 10, false), Ok(()));
        assert_eq!(
            check_text("a\u{200B}b", Field::Note, 10, false),
            Err(Invalid::Hidden(Field::Note))
        );
        for hidden in [
            '\u{00AD}',
            '\u{180E}',
            '\u{2066}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{E0001}',
        ] {
            for field in [Field::Worker, Field::Trainer, Field::Title] {
                assert_eq!(
                    check_text(&format!("张{hidden}三"), field, 10, true),
                    Err(Invalid::Hidden(field))
                );
            }
        }
    }

    #[test]
    fn ids() {
        assert!(valid_assignment_id("k3Vq9xZa"));
        assert!(valid_assignment_id("-_8A"));
        assert!(!valid_assignment_id("abc"));
        assert!(!valid_assignment_id("abcdefghijklmnopq"));
        assert!(!valid_assignment_id("abc def"));
        assert!(!valid_assignment_id("任务编号"));
    }

    #[test]
    fn overall_counts() {
        assert_eq!(Overall::of([]), Overall::NotStarted);
        assert_eq!(Overall::of([(false, false)]), Overall::NotStarted);
        assert_eq!(
            Overall::of([(false, true)]),
            Overall::Partial { done: 0, total: 1 }
        );
        assert_eq!(
            Overall::of([(true, false), (true, true)]),
            Overall::Complete
        );
    }
}
