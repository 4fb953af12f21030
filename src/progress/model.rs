//! The learner's record as data: events, what each one says, and the states derived from them.
//!
//! Events are facts ("opened this case at 10:02"), never states: two devices that each append
//! facts can be merged by taking the union, and the state is recomputed from the union. The caller
//! supplies every event id and timestamp; the core never reads a clock or a random source, so it
//! behaves identically in the browser, in tests and in the native tool.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::Ref;
use crate::text::plain_text;

/// The earliest timestamp accepted: 2000-01-01T00:00:00Z. Anything earlier is a clock that was
/// never set (or a zero written by a bug), not a learning session.
pub const MIN_TIMESTAMP: u64 = 946_684_800_000;
/// The latest timestamp accepted: 9999-12-31T23:59:59.999Z, the last instant ISO 8601 writes
/// with four year digits.
pub const MAX_TIMESTAMP: u64 = 253_402_300_799_999;
/// The highest replay clock accepted: 2^53 - 1, the largest integer a JavaScript number holds
/// exactly, so a record read by any JSON tool keeps its order. A clock only moves one
/// millisecond past the latest event of the log, so this is never reached by a real record.
pub const MAX_CLOCK: u64 = (1 << 53) - 1;
/// A day in milliseconds: how far in the future of the importing device's clock an imported
/// event may be dated (time zones and a clock a few hours off are normal; a year 9999 is not).
pub const FUTURE_TOLERANCE_MS: u64 = 86_400_000;
/// Longest event id, in characters.
pub const MAX_EVENT_ID_CHARS: usize = 128;
/// Longest display name, in characters: it is printed on one line of the A4 record.
pub const MAX_DISPLAY_NAME_CHARS: usize = 40;
/// Highest step index accepted; a workflow with a thousand steps is a corrupted record.
pub const MAX_STEP: usize = 999;
/// Most questions (and highest choice index) accepted in one quiz attempt.
pub const MAX_QUESTIONS: usize = 500;

/// The chosen choice indexes, per question id (`q1`, `q2`, …).
pub type Answers = BTreeMap<String, Vec<usize>>;

/// One fact in the learner's append-only log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Unique across every device of the learner; the caller builds it from a writer id and a
    /// counter (see [`crate::progress::Progress::next_event_id`]).
    pub id: String,
    /// When it happened, in milliseconds since 1970-01-01T00:00:00Z. Shown to the learner and
    /// counted as a day of learning; not what decides which of two events is the later one.
    pub at: u64,
    /// Where the event sits in replay order when that differs from `at`: the device stamped it
    /// after the latest event already in its log (see [`crate::progress::Progress::append`]),
    /// because that event was dated later than the device's clock. `None` means `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<u64>,
    #[serde(flatten)]
    pub payload: Payload,
}

/// What an event says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payload {
    /// The learner opened the item's page.
    Opened { item: Ref },
    /// The learner reached the end of the item's text.
    Read { item: Ref },
    /// A workflow step was ticked (`done: true`) or unticked. Steps are 0-based.
    StepTicked { item: Ref, step: usize, done: bool },
    /// A submitted quiz.
    QuizAttempt(QuizAttempt),
    /// The display name printed on the learning record; empty clears it.
    DisplayNameSet { name: String },
}

/// A submitted quiz, kept in full so every attempt can be shown and wrong answers offered again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAttempt {
    pub module: Ref,
    pub answers: Answers,
    /// Ids of the questions answered wrongly or not at all. Stored rather than recomputed so the
    /// review still works after an editor changes the quiz.
    #[serde(default)]
    pub incorrect: Vec<String>,
    /// Percent correct, rounded down (0–100).
    pub score: u8,
    /// Whether the score reached the pass mark in force when the quiz was taken.
    pub passed: bool,
    pub started: u64,
    pub finished: u64,
}

/// How far the learner has got with one item. Ordered: a later state is further along.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    NotStarted,
    Opened,
    Read,
    Completed,
}

impl ItemState {
    /// The state's name in the UI and in the CSV export.
    pub fn label(self) -> &'static str {
        match self {
            ItemState::NotStarted => "未开始",
            ItemState::Opened => "学习中",
            ItemState::Read => "已读完",
            ItemState::Completed => "已完成",
        }
    }
}

/// Why an event cannot be recorded or imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("记录编号为空、过长（最多 {MAX_EVENT_ID_CHARS} 个字符）或含控制字符")]
    BadId,
    #[error("时间 {0} 不在有效范围内（2000 年至 9999 年）")]
    BadTime(u64),
    #[error("步骤序号 {0} 过大")]
    BadStep(usize),
    #[error("测验得分 {0} 超出 0–100")]
    BadScore(u8),
    #[error("测验的结束时间早于开始时间")]
    AttemptEndsBeforeStart,
    #[error("测验答案过多或选项序号过大")]
    BadAnswers,
    #[error("显示名称过长（最多 {MAX_DISPLAY_NAME_CHARS} 个字）或含控制字符、不可见字符或文字方向控制符")]
    BadName,
    #[error("记录的排序时间 {0} 无效")]
    BadClock(u64),
    #[error("记录日期 {} 比本机时间晚一天以上，可能来自时钟有误的设备或被改动的文件，不能导入", super::datetime::LocalDate::from_millis(*.0, 0))]
    FromTheFuture(u64),
    #[error("记录编号“{0}”已被另一条内容不同的记录使用")]
    DuplicateId(String),
}

fn check_time(at: u64) -> Result<(), EventError> {
    if (MIN_TIMESTAMP..=MAX_TIMESTAMP).contains(&at) {
        Ok(())
    } else {
        Err(EventError::BadTime(at))
    }
}

/// The item part of a reference: progress is kept per item, not per heading.
pub(crate) fn plain(r: &Ref) -> Ref {
    Ref {
        kind: r.kind,
        id: r.id.clone(),
        anchor: None,
    }
}

impl Event {
    /// An event; the id and the time come from the caller.
    ///
    /// ```
    /// use portal::progress::{Event, Payload};
    /// let e = Event::new("tab1-1", 1_764_000_000_000, Payload::Opened { item: "case:panjin-2018".parse().unwrap() });
    /// assert!(e.validate().is_ok());
    /// ```
    pub fn new(id: impl Into<String>, at: u64, payload: Payload) -> Event {
        Event {
            id: id.into(),
            at,
            clock: None,
            payload,
        }
    }

    /// The key of replay order, in milliseconds: the clock if the writer set one, else `at`.
    pub fn replay_at(&self) -> u64 {
        self.clock.unwrap_or(self.at)
    }

    /// The latest time the event claims for itself: its date, its replay clock and, for a quiz
    /// attempt, the attempt's end. An import refuses events whose claim is past tomorrow.
    pub fn latest_time(&self) -> u64 {
        let finished = match &self.payload {
            Payload::QuizAttempt(a) => a.finished,
            _ => 0,
        };
        self.at.max(self.replay_at()).max(finished)
    }

    /// Checks the event's own fields (not whether its item exists: content can differ between
    /// devices, and progress on an item that is gone must not be thrown away).
    pub fn validate(&self) -> Result<(), EventError> {
        if self.id.is_empty()
            || self.id.chars().count() > MAX_EVENT_ID_CHARS
            || !plain_text(&self.id)
        {
            return Err(EventError::BadId);
        }
        check_time(self.at)?;
        if let Some(clock) = self.clock {
            // A clock only ever moves an event later than its date.
            if clock < self.at || clock > MAX_CLOCK {
                return Err(EventError::BadClock(clock));
            }
        }
        match &self.payload {
            Payload::Opened { .. } | Payload::Read { .. } => Ok(()),
            Payload::StepTicked { step, .. } if *step > MAX_STEP => Err(EventError::BadStep(*step)),
            Payload::StepTicked { .. } => Ok(()),
            Payload::QuizAttempt(a) => a.validate(),
            Payload::DisplayNameSet { name } => {
                if name.chars().count() > MAX_DISPLAY_NAME_CHARS || !plain_text(name) {
                    Err(EventError::BadName)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The item the event is about (the module, for a quiz attempt); `None` for settings.
    pub fn item(&self) -> Option<&Ref> {
        match &self.payload {
            Payload::Opened { item }
            | Payload::Read { item }
            | Payload::StepTicked { item, .. } => Some(item),
            Payload::QuizAttempt(a) => Some(&a.module),
            Payload::DisplayNameSet { .. } => None,
        }
    }

    /// The same event with anchors dropped from its references, and a clock equal to its date
    /// written as no clock (so the two spellings are one event).
    pub(crate) fn normalized(mut self) -> Event {
        if self.clock == Some(self.at) {
            self.clock = None;
        }
        match &mut self.payload {
            Payload::Opened { item }
            | Payload::Read { item }
            | Payload::StepTicked { item, .. } => item.anchor = None,
            Payload::QuizAttempt(a) => a.module.anchor = None,
            Payload::DisplayNameSet { name } => *name = name.trim().to_string(),
        }
        self
    }

    /// A total order used only to pick one of two different events that share an id (a writer
    /// bug or a tampered file): the later one, then the one whose payload sorts higher. Any fixed
    /// rule keeps merging commutative; this one at least prefers newer data.
    pub(crate) fn wins_over(&self, other: &Event) -> bool {
        let canon = |e: &Event| serde_json::to_string(&e.payload).unwrap_or_default();
        (self.replay_at(), self.at, canon(self)) > (other.replay_at(), other.at, canon(other))
    }
}

impl QuizAttempt {
    fn validate(&self) -> Result<(), EventError> {
        if self.score > 100 {
            return Err(EventError::BadScore(self.score));
        }
        check_time(self.started)?;
        check_time(self.finished)?;
        if self.finished < self.started {
            return Err(EventError::AttemptEndsBeforeStart);
        }
        let too_many = self.answers.len() > MAX_QUESTIONS
            || self.incorrect.len() > MAX_QUESTIONS
            || self
                .answers
                .values()
                .any(|c| c.len() > MAX_QUESTIONS || c.iter().any(|&i| i > MAX_QUESTIONS));
        if too_many {
            return Err(EventError::BadAnswers);
        }
        Ok(())
    }

    /// How long the attempt took, in milliseconds.
    pub fn duration(&self) -> u64 {
        self.finished.saturating_sub(self.started)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Ref {
        s.parse().unwrap()
    }

    #[test]
    fn events_serialize_flat_with_a_type_tag() {
        let e = Event::new(
            "a-1",
            MIN_TIMESTAMP,
            Payload::StepTicked {
                item: r("workflow:sanhui-yike"),
                step: 2,
                done: true,
            },
        );
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"id":"a-1","at":946684800000,"type":"step_ticked","item":"workflow:sanhui-yike","step":2,"done":true}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    }

    #[test]
    fn quiz_attempts_round_trip() {
        let e = Event::new(
            "a-2",
            MIN_TIMESTAMP + 5,
            Payload::QuizAttempt(QuizAttempt {
                module: r("module:grid-governance"),
                answers: [("q1".to_string(), vec![0, 2])].into(),
                incorrect: vec!["q2".into()],
                score: 50,
                passed: false,
                started: MIN_TIMESTAMP,
                finished: MIN_TIMESTAMP + 5,
            }),
        );
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""type":"quiz_attempt""#), "{json}");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    }

    #[test]
    fn validation_catches_each_bad_field() {
        let ok = Event::new("x", MIN_TIMESTAMP, Payload::Opened { item: r("case:a") });
        assert_eq!(ok.validate(), Ok(()));
        let bad_id = Event {
            id: String::new(),
            ..ok.clone()
        };
        assert_eq!(bad_id.validate(), Err(EventError::BadId));
        let bad_time = Event {
            at: 0,
            ..ok.clone()
        };
        assert_eq!(bad_time.validate(), Err(EventError::BadTime(0)));
        let late = Event {
            at: MAX_TIMESTAMP + 1,
            ..ok.clone()
        };
        assert!(matches!(late.validate(), Err(EventError::BadTime(_))));
        let step = Event {
            payload: Payload::StepTicked {
                item: r("workflow:a"),
                step: MAX_STEP + 1,
                done: true,
            },
            ..ok.clone()
        };
        assert_eq!(step.validate(), Err(EventError::BadStep(MAX_STEP + 1)));
        let attempt = QuizAttempt {
            module: r("module:m"),
            answers: Answers::new(),
            incorrect: vec![],
            score: 101,
            passed: true,
            started: MIN_TIMESTAMP + 10,
            finished: MIN_TIMESTAMP,
        };
        let quiz = |a: QuizAttempt| Event {
            payload: Payload::QuizAttempt(a),
            ..ok.clone()
        };
        assert_eq!(
            quiz(attempt.clone()).validate(),
            Err(EventError::BadScore(101))
        );
        let backwards = QuizAttempt {
            score: 100,
            ..attempt.clone()
        };
        assert_eq!(
            quiz(backwards.clone()).validate(),
            Err(EventError::AttemptEndsBeforeStart)
        );
        let huge = QuizAttempt {
            finished: MIN_TIMESTAMP + 20,
            answers: [("q1".to_string(), vec![MAX_QUESTIONS + 1])].into(),
            ..backwards
        };
        assert_eq!(quiz(huge).validate(), Err(EventError::BadAnswers));
        let name = Event {
            payload: Payload::DisplayNameSet {
                name: "名".repeat(MAX_DISPLAY_NAME_CHARS + 1),
            },
            ..ok
        };
        assert_eq!(name.validate(), Err(EventError::BadName));
    }

    #[test]
    fn normalizing_drops_anchors_and_trims_names() {
        let e = Event::new(
            "x",
            MIN_TIMESTAMP,
            Payload::Read {
                item: r("case:a#heading"),
            },
        )
        .normalized();
        assert_eq!(e.item().unwrap().to_string(), "case:a");
        let n = Event::new(
            "y",
            MIN_TIMESTAMP,
            Payload::DisplayNameSet {
                name: "  张三 ".into(),
            },
        )
        .normalized();
        assert_eq!(
            n.payload,
            Payload::DisplayNameSet {
                name: "张三".into()
            }
        );
    }

    #[test]
    fn states_are_ordered_and_labelled() {
        assert!(ItemState::NotStarted < ItemState::Opened);
        assert!(ItemState::Read < ItemState::Completed);
        assert_eq!(ItemState::Completed.label(), "已完成");
    }
}
