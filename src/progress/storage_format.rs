//! The stored and exported form of a record: a JSON document that carries its schema version, and
//! the migration of older versions to the current one.
//!
//! Schema 2 (current), one event per line when exported:
//!
//! ```json
//! {
//!   "schema": 2,
//!   "format": "portal-learning-record",
//!   "learner": "d7f3c2",
//!   "events": [
//!     {"id":"d7f3c2-1","at":1764000000000,"type":"opened","item":"case:panjin-2018"},
//!     {"id":"d7f3c2-2","at":1764000300000,"type":"step_ticked","item":"workflow:sanhui-yike","step":0,"done":true}
//!   ]
//! }
//! ```
//!
//! Schema 1 (the first release) kept one state per item and quiz scores, with no event ids:
//!
//! ```json
//! {
//!   "schema": 1,
//!   "name": "张三",
//!   "items": {
//!     "case:panjin-2018": {"state": "completed", "updated": 1764000000000},
//!     "workflow:sanhui-yike": {"state": "opened", "updated": 1764000300000, "steps": [true, false]}
//!   },
//!   "quizzes": {
//!     "module:grid-governance": {"best": 80, "attempts": [{"at": 1764000600000, "score": 80, "passed": true}]}
//!   }
//! }
//! ```
//!
//! Migration turns each schema 1 state into the events that produce it, with ids derived from
//! their content (`v1:case:panjin-2018:read:1764000000000`): two devices that migrate the same
//! old record produce the same events, and merging them does not double anything.
//!
//! Records that cannot be read are reported one by one ([`RecordProblem`]) and left out; only a
//! document that is not a record at all, or of an unknown schema, is refused as a whole.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::content::{Kind, Ref};

use super::model::{Event, Payload, QuizAttempt, MAX_STEP, MIN_TIMESTAMP};
use super::{Inserted, Progress};

/// How many problems are listed one by one; the rest are only counted, so a hostile file of a
/// million bad records cannot fill the phone's memory with messages.
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// The schema this build writes.
pub const SCHEMA: u32 = 2;
/// The marker that tells our documents from other JSON (schema 2 and later).
pub const FORMAT: &str = "portal-learning-record";

/// Why a document could not be read as a record at all. Nothing is changed when this happens.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("学习记录是空的")]
    Empty,
    #[error("学习记录不完整（文件可能被截断），请重新导出后再试")]
    Truncated,
    #[error("学习记录已损坏：第 {line} 行第 {column} 列无法读取")]
    Corrupt { line: usize, column: usize },
    #[error("这不是学习记录文件：内容不是 JSON 格式")]
    NotJson,
    #[error("这不是本平台导出的学习记录文件")]
    NotOurs,
    #[error(
        "这是 xAPI 语句文件，供单位的学习记录系统（LRS）使用，不能导入本平台；请选择“导出学习记录（JSON）”得到的文件"
    )]
    XapiStatements,
    #[error("不支持的学习记录格式版本：{0}")]
    UnsupportedSchema(String),
    #[error(
        "这份学习记录来自更新版本的平台（格式版本 {found}，本页面只支持到 {SCHEMA}），请刷新页面更新后再试"
    )]
    NewerSchema { found: u64 },
    #[error("学习记录结构有误：{0}")]
    Malformed(String),
    #[error("无法生成学习记录：{0}")]
    Encode(String),
}

/// One record of a document that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordProblem {
    /// Where it is: the event's position (schema 2) or the item's reference (schema 1).
    pub place: String,
    pub message: String,
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.place, self.message)
    }
}

/// A document read into a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedRecord {
    pub progress: Progress,
    /// The schema the document was written in; less than [`SCHEMA`] means it was migrated and
    /// should be written back.
    pub schema: u32,
    /// Records left out: the first [`MAX_LISTED_PROBLEMS`] of them.
    pub problems: Vec<RecordProblem>,
    /// How many records were left out in all.
    pub skipped: usize,
    /// Event ids that appeared twice with different content; one of each was kept.
    pub conflicts: usize,
}

impl DecodedRecord {
    /// Whether everything in the document was read as it was.
    pub fn is_clean(&self) -> bool {
        self.skipped == 0 && self.conflicts == 0
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    learner: Option<&'a str>,
    events: Vec<&'a Event>,
}

fn encode_error(e: serde_json::Error) -> FormatError {
    FormatError::Encode(e.to_string())
}

/// The record as compact JSON, for storage.
///
/// ```
/// use portal::progress::{storage_format, Progress};
/// let json = storage_format::encode(&Progress::with_learner("d7f3")).unwrap();
/// assert_eq!(json, r#"{"schema":2,"format":"portal-learning-record","learner":"d7f3","events":[]}"#);
/// ```
pub fn encode(progress: &Progress) -> Result<String, FormatError> {
    serde_json::to_string(&Document {
        schema: SCHEMA,
        format: FORMAT,
        learner: progress.learner(),
        events: progress.events(),
    })
    .map_err(encode_error)
}

/// The record as JSON with one event per line, for an export file a person may open.
pub fn encode_pretty(progress: &Progress) -> Result<String, FormatError> {
    let mut out = format!("{{\n  \"schema\": {SCHEMA},\n  \"format\": \"{FORMAT}\",\n");
    if let Some(learner) = progress.learner() {
        let learner = serde_json::to_string(learner).map_err(encode_error)?;
        out.push_str(&format!("  \"learner\": {learner},\n"));
    }
    out.push_str("  \"events\": [");
    let events = progress.events();
    for (i, e) in events.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(&serde_json::to_string(e).map_err(encode_error)?);
    }
    out.push_str(if events.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    Ok(out)
}

/// Reads a document of schema 1 or 2 (migrating schema 1), leaving out unreadable records.
///
/// ```
/// use portal::progress::{storage_format::decode, FormatError};
/// let d = decode(r#"{"schema":2,"format":"portal-learning-record","events":[
///     {"id":"t-1","at":1764000000000,"type":"read","item":"case:panjin-2018"},
///     {"id":"t-2","at":0,"type":"read","item":"case:x"}]}"#).unwrap();
/// assert_eq!(d.progress.len(), 1);
/// assert_eq!(d.problems.len(), 1);
/// assert_eq!(decode(r#"{"schema":9,"format":"portal-learning-record"}"#), Err(FormatError::NewerSchema { found: 9 }));
/// assert_eq!(decode(r#"{"schema":2,"format":"portal-learning-record","events":["#), Err(FormatError::Truncated));
/// ```
pub fn decode(text: &str) -> Result<DecodedRecord, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim();
    if text.is_empty() {
        return Err(FormatError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            FormatError::Truncated
        } else if text.starts_with(['{', '[']) {
            FormatError::Corrupt {
                line: e.line(),
                column: e.column(),
            }
        } else {
            FormatError::NotJson
        }
    })?;
    let doc = match value {
        Value::Object(doc) => doc,
        Value::Array(items) if items.iter().any(looks_like_statement) => {
            return Err(FormatError::XapiStatements)
        }
        _ => return Err(FormatError::NotOurs),
    };
    let format = doc.get("format");
    if format.is_some_and(|f| f.as_str() != Some(FORMAT)) {
        return Err(FormatError::NotOurs);
    }
    let schema = match doc.get("schema") {
        None => return Err(FormatError::NotOurs),
        Some(s) => s.as_u64().ok_or_else(|| {
            FormatError::UnsupportedSchema(s.to_string().chars().take(20).collect())
        })?,
    };
    match (schema, format.is_some()) {
        (1, _) if doc.get("items").is_some_and(Value::is_object) => decode_v1(&doc),
        (1, _) => Err(FormatError::NotOurs),
        (_, false) => Err(FormatError::NotOurs),
        (2, true) => decode_v2(&doc),
        (0, true) => Err(FormatError::UnsupportedSchema("0".into())),
        (found, true) => Err(FormatError::NewerSchema { found }),
    }
}

/// What a stored record is, for the app deciding how to load it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Read in full (maybe migrated from schema 1: then write it back).
    Clean(DecodedRecord),
    /// Read, but some records were left out or clashed: keep the raw text as a backup before
    /// writing the cleaned record over it.
    Partial(DecodedRecord),
    /// Written by a newer version of the platform. `shown` is what this build understands of it
    /// (perhaps nothing); it is shown read-only and must never be written over, since writing
    /// would drop everything the newer version added.
    Newer { found: u64, shown: Progress },
    /// Not readable at all: keep the raw text as a backup, then start afresh.
    Unreadable(FormatError),
}

/// Why the record is shown but not written to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadOnly {
    #[error("这份学习记录来自更新版本的平台（格式版本 {found}），本页只读显示；请刷新或更新后再修改。新的学习进度不会保存，以免覆盖这份记录")]
    NewerVersion { found: u64 },
    #[error("本机保存的学习记录无法读取，存储空间不足，也无法另存备份，原始数据已原样保留。请在“学习档案”页下载原始数据并删除后，新的学习进度才能保存")]
    NotBackedUp,
}

/// Reads the record found in storage and says what it is; see [`Stored`].
///
/// ```
/// use portal::progress::storage_format::{read_stored, Stored};
/// let newer = r#"{"schema":3,"format":"portal-learning-record","events":[
///   {"id":"t-1","at":1764000000000,"type":"read","item":"case:a"},
///   {"id":"t-2","at":1764000000001,"type":"hologram","item":"case:a"}]}"#;
/// let Stored::Newer { found, shown } = read_stored(newer) else { panic!() };
/// assert_eq!((found, shown.len()), (3, 1));
/// assert!(matches!(read_stored("{oops"), Stored::Unreadable(_)));
/// ```
pub fn read_stored(raw: &str) -> Stored {
    match decode(raw) {
        Ok(d) if d.is_clean() => Stored::Clean(d),
        Ok(d) => Stored::Partial(d),
        Err(FormatError::NewerSchema { found }) => Stored::Newer {
            found,
            shown: decode_newer(raw).map(|d| d.progress).unwrap_or_default(),
        },
        Err(e) => Stored::Unreadable(e),
    }
}

/// The schema a stored document declares, read without building its events (cheap enough to
/// check before every save that no newer version has written since).
///
/// ```
/// use portal::progress::storage_format::declared_schema;
/// assert_eq!(declared_schema(r#"{"events":[],"schema":3}"#), Some(3));
/// assert_eq!(declared_schema("{oops"), None);
/// ```
pub fn declared_schema(text: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Head {
        schema: Option<u64>,
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // What this build writes starts so: no need to scan megabytes of events to see it.
    let ours = format!("{{\"schema\":{SCHEMA},\"format\":\"{FORMAT}\",");
    if text.starts_with(&ours) {
        return Some(u64::from(SCHEMA));
    }
    serde_json::from_str::<Head>(text).ok()?.schema
}

/// Reads a document of a newer schema as far as this build understands it: the events that
/// parse as schema 2 events. Only for showing it read-only.
fn decode_newer(text: &str) -> Result<DecodedRecord, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim();
    let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(text) else {
        return Err(FormatError::NotOurs);
    };
    let mut d = decode_v2(&doc)?;
    d.schema = doc
        .get("schema")
        .and_then(Value::as_u64)
        .map_or(u32::MAX, |s| u32::try_from(s).unwrap_or(u32::MAX));
    Ok(d)
}

fn looks_like_statement(v: &Value) -> bool {
    v.get("verb").is_some() && v.get("actor").is_some()
}

/// Builds a record from events, validating each and counting id clashes.
struct Builder {
    progress: Progress,
    problems: Vec<RecordProblem>,
    skipped: usize,
    conflicts: usize,
}

impl Builder {
    fn new(learner: Option<&str>) -> Builder {
        let mut progress = Progress::new();
        if let Some(l) = learner {
            progress.adopt_learner(l);
        }
        Builder {
            progress,
            problems: Vec::new(),
            skipped: 0,
            conflicts: 0,
        }
    }

    fn problem(&mut self, place: String, message: String) {
        self.skipped += 1;
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(RecordProblem { place, message });
        }
    }

    fn add(&mut self, place: impl Fn() -> String, event: Event) {
        if let Err(e) = event.validate() {
            self.problem(place(), e.to_string());
            return;
        }
        if self.progress.insert(event.normalized()) == Inserted::Conflict {
            self.conflicts += 1;
        }
    }

    fn finish(self, schema: u32) -> DecodedRecord {
        DecodedRecord {
            progress: self.progress,
            schema,
            problems: self.problems,
            skipped: self.skipped,
            conflicts: self.conflicts,
        }
    }
}

fn decode_v2(doc: &serde_json::Map<String, Value>) -> Result<DecodedRecord, FormatError> {
    let learner = match doc.get("learner") {
        None | Some(Value::Null) => None,
        Some(Value::String(l)) => Some(l.as_str()),
        Some(_) => return Err(FormatError::Malformed("learner 应为文本".into())),
    };
    let Some(events) = doc.get("events").and_then(Value::as_array) else {
        return Err(FormatError::Malformed("缺少记录列表 events".into()));
    };
    let mut b = Builder::new(learner);
    for (i, v) in events.iter().enumerate() {
        let place = || match v.get("id").and_then(Value::as_str) {
            Some(id) => format!(
                "第 {} 条记录（{}）",
                i + 1,
                id.chars().take(40).collect::<String>()
            ),
            None => format!("第 {} 条记录", i + 1),
        };
        if let Some(event) = quick_event(v) {
            b.add(place, event);
            continue;
        }
        match Event::deserialize(v) {
            Ok(event) => b.add(place, event),
            Err(e) => b.problem(place(), format!("无法读取（{e}）")),
        }
    }
    Ok(b.finish(2))
}

/// The common events read straight from the parsed JSON, without serde's buffering of a
/// flattened, tagged enum (half the cost of reading a large file). `None` means "let serde
/// decide": anything unusual, and every error, goes through `Event::deserialize`, so the two
/// paths cannot disagree on what is accepted or on the message.
fn quick_event(v: &Value) -> Option<Event> {
    let o = v.as_object()?;
    let id = o.get("id")?.as_str()?.to_string();
    let at = o.get("at")?.as_u64()?;
    let clock = match o.get("clock") {
        None | Some(Value::Null) => None,
        Some(c) => Some(c.as_u64()?),
    };
    let item = || o.get("item")?.as_str()?.parse::<Ref>().ok();
    let payload = match o.get("type")?.as_str()? {
        "opened" => Payload::Opened { item: item()? },
        "read" => Payload::Read { item: item()? },
        "step_ticked" => Payload::StepTicked {
            item: item()?,
            step: usize::try_from(o.get("step")?.as_u64()?).ok()?,
            done: o.get("done")?.as_bool()?,
        },
        "display_name_set" => Payload::DisplayNameSet {
            name: o.get("name")?.as_str()?.to_string(),
        },
        _ => return None,
    };
    Some(Event {
        id,
        at,
        clock,
        payload,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum V1State {
    NotStarted,
    Opened,
    Read,
    Completed,
}

#[derive(Deserialize)]
struct V1Item {
    state: V1State,
    updated: u64,
    #[serde(default)]
    steps: Option<Vec<bool>>,
}

#[derive(Deserialize)]
struct V1Attempt {
    at: u64,
    score: u8,
    passed: bool,
}

#[derive(Deserialize)]
struct V1Quiz {
    attempts: Vec<V1Attempt>,
}

fn decode_v1(doc: &serde_json::Map<String, Value>) -> Result<DecodedRecord, FormatError> {
    let items = doc
        .get("items")
        .and_then(Value::as_object)
        .ok_or_else(|| FormatError::Malformed("缺少 items".into()))?;
    let empty = serde_json::Map::new();
    let quizzes = match doc.get("quizzes") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(q)) => q,
        Some(_) => return Err(FormatError::Malformed("quizzes 应为对象".into())),
    };
    let mut b = Builder::new(None);
    let mut latest = None;
    for (key, value) in items {
        let place = || format!("旧版记录“{}”", key.chars().take(100).collect::<String>());
        let item: Ref = match key.parse() {
            Ok(r) => r,
            Err(e) => {
                b.problem(place(), e.to_string());
                continue;
            }
        };
        let v1 = match V1Item::deserialize(value) {
            Ok(v) => v,
            Err(e) => {
                b.problem(place(), format!("无法读取（{e}）"));
                continue;
            }
        };
        latest = latest.max(Some(v1.updated));
        let at = v1.updated;
        let id = |what: &str| format!("v1:{item}:{what}:{at}");
        let event = |what: &str, payload| Event::new(id(what), at, payload);
        let mut events = Vec::new();
        if !matches!(v1.state, V1State::NotStarted) {
            events.push(event("opened", Payload::Opened { item: item.clone() }));
        }
        let read = match v1.state {
            V1State::Read => true,
            V1State::Completed => item.kind != Kind::Workflow || v1.steps.is_none(),
            _ => false,
        };
        if read {
            events.push(event("read", Payload::Read { item: item.clone() }));
        }
        if item.kind == Kind::Workflow
            && matches!(v1.state, V1State::Completed)
            && v1.steps.is_none()
        {
            b.problem(
                place(),
                "旧版记录没有保存步骤勾选情况，该流程按“已读完”迁移，请重新勾选步骤".into(),
            );
        }
        let steps = v1.steps.as_deref().unwrap_or_default();
        if steps.len() > MAX_STEP + 1 {
            b.problem(
                place(),
                format!("步骤超过 {} 个，多出的部分未迁移", MAX_STEP + 1),
            );
        }
        for (step, done) in steps.iter().take(MAX_STEP + 1).enumerate() {
            if *done {
                events.push(event(
                    &format!("step{step}"),
                    Payload::StepTicked {
                        item: item.clone(),
                        step,
                        done: true,
                    },
                ));
            }
        }
        for e in events {
            b.add(place, e);
        }
    }
    for (key, value) in quizzes {
        let place = || {
            format!(
                "旧版测验记录“{}”",
                key.chars().take(100).collect::<String>()
            )
        };
        let module: Ref = match key.parse() {
            Ok(r) => r,
            Err(e) => {
                b.problem(place(), e.to_string());
                continue;
            }
        };
        let quiz = match V1Quiz::deserialize(value) {
            Ok(q) => q,
            Err(e) => {
                b.problem(place(), format!("无法读取（{e}）"));
                continue;
            }
        };
        for a in quiz.attempts {
            latest = latest.max(Some(a.at));
            let id = format!("v1:{module}:attempt:{}:{}:{}", a.at, a.score, a.passed);
            // Schema 1 kept neither answers nor duration: the attempt starts and ends at once.
            let attempt = QuizAttempt {
                module: module.clone(),
                answers: BTreeMap::new(),
                incorrect: Vec::new(),
                score: a.score,
                passed: a.passed,
                started: a.at,
                finished: a.at,
            };
            b.add(place, Event::new(id, a.at, Payload::QuizAttempt(attempt)));
        }
    }
    match doc.get("name") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) if name.trim().is_empty() => {}
        Some(Value::String(name)) => {
            let at = latest.unwrap_or(MIN_TIMESTAMP);
            let event = Event::new(
                format!("v1:name:{at}"),
                at,
                Payload::DisplayNameSet { name: name.clone() },
            );
            b.add(|| "旧版显示名称".to_string(), event);
        }
        Some(_) => b.problem("旧版显示名称".into(), "应为文本".into()),
    }
    Ok(b.finish(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoCatalog;

    const V1: &str = r#"{
      "schema": 1,
      "name": "张三",
      "items": {
        "case:panjin-2018": {"state": "completed", "updated": 1764000000000},
        "community:hangzhou-wangma": {"state": "read", "updated": 1764000100000},
        "workflow:sanhui-yike": {"state": "opened", "updated": 1764000300000, "steps": [true, false, true]},
        "workflow:fazhan-dangyuan": {"state": "completed", "updated": 1764000400000},
        "case:old": {"state": "not_started", "updated": 1764000000000},
        "case:Bad Id": {"state": "opened", "updated": 1764000000000},
        "case:zero-time": {"state": "opened", "updated": 0}
      },
      "quizzes": {
        "module:grid-governance": {"best": 80, "attempts": [
          {"at": 1764000500000, "score": 60, "passed": false},
          {"at": 1764000600000, "score": 80, "passed": true}
        ]}
      }
    }"#;

    fn r(s: &str) -> Ref {
        s.parse().unwrap()
    }

    #[test]
    fn schema_1_migrates_to_events() {
        let d = decode(V1).unwrap();
        assert_eq!(d.schema, 1);
        let p = &d.progress;
        assert_eq!(
            p.state(&NoCatalog, &r("case:panjin-2018")),
            crate::progress::ItemState::Completed
        );
        assert_eq!(
            p.state(&NoCatalog, &r("community:hangzhou-wangma")),
            crate::progress::ItemState::Completed
        );
        assert_eq!(
            p.state(&NoCatalog, &r("case:old")),
            crate::progress::ItemState::NotStarted
        );
        assert_eq!(
            p.ticked_steps(&r("workflow:sanhui-yike"), 3),
            vec![true, false, true]
        );
        assert_eq!(
            p.state(&NoCatalog, &r("workflow:fazhan-dangyuan")),
            crate::progress::ItemState::Read
        );
        let module = r("module:grid-governance");
        assert_eq!(p.attempts(&module).len(), 2);
        assert_eq!(p.best_score(&module), Some(80));
        assert!(p.quiz_passed(&module));
        assert_eq!(p.display_name(), Some("张三"));
        assert_eq!(p.learner(), None);
        assert!(p.event("v1:case:panjin-2018:read:1764000000000").is_some());
        // Bad id, zero time, and the workflow that lost its steps.
        let places: Vec<&str> = d.problems.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(d.problems.len(), 3, "{places:?}");
        assert!(places.iter().any(|p| p.contains("Bad Id")));
        assert!(places.iter().any(|p| p.contains("zero-time")));
        assert!(d
            .problems
            .iter()
            .any(|p| p.message.contains("按“已读完”迁移")));
    }

    #[test]
    fn migrating_twice_gives_identical_events() {
        let a = decode(V1).unwrap().progress;
        let b = decode(V1).unwrap().progress;
        assert_eq!(a.merge(&b), a);
    }

    #[test]
    fn migrated_record_writes_as_schema_2_and_reads_back() {
        let d = decode(V1).unwrap();
        let json = encode(&d.progress).unwrap();
        assert!(json.starts_with(r#"{"schema":2,"format":"portal-learning-record""#));
        let again = decode(&json).unwrap();
        assert_eq!(again.schema, 2);
        assert!(again.is_clean());
        assert_eq!(again.progress, d.progress);
    }

    #[test]
    fn pretty_and_compact_read_the_same() {
        let mut p = decode(V1).unwrap().progress;
        p.adopt_learner("abc");
        let pretty = encode_pretty(&p).unwrap();
        assert!(pretty.lines().count() > p.len());
        assert_eq!(decode(&pretty).unwrap().progress, p);
        let empty = encode_pretty(&Progress::new()).unwrap();
        assert_eq!(decode(&empty).unwrap().progress, Progress::new());
    }

    #[test]
    fn documents_that_are_not_records_are_refused() {
        assert_eq!(decode("  "), Err(FormatError::Empty));
        assert_eq!(decode("类型,标识"), Err(FormatError::NotJson));
        assert_eq!(decode("42"), Err(FormatError::NotOurs));
        assert_eq!(
            decode(r#"{"version":1,"items":[]}"#),
            Err(FormatError::NotOurs)
        );
        assert_eq!(
            decode(r#"{"schema":2,"events":[]}"#),
            Err(FormatError::NotOurs)
        );
        assert_eq!(decode(r#"{"schema":1}"#), Err(FormatError::NotOurs));
        assert_eq!(
            decode(r#"{"schema":2,"format":"other","events":[]}"#),
            Err(FormatError::NotOurs)
        );
        assert_eq!(
            decode(r#"[{"actor":{},"verb":{},"object":{}}]"#),
            Err(FormatError::XapiStatements)
        );
        assert_eq!(
            decode(r#"{"schema":"2","format":"portal-learning-record"}"#),
            Err(FormatError::UnsupportedSchema("\"2\"".into()))
        );
        assert_eq!(
            decode(r#"{"schema":0,"format":"portal-learning-record"}"#),
            Err(FormatError::UnsupportedSchema("0".into()))
        );
        assert_eq!(
            decode(r#"{"schema":3,"format":"portal-learning-record","events":[]}"#),
            Err(FormatError::NewerSchema { found: 3 })
        );
        assert_eq!(
            decode(r#"{"schema":2,"format":"portal-learning-record"}"#),
            Err(FormatError::Malformed("缺少记录列表 events".into()))
        );
        assert!(matches!(
            decode("{\"schema\":2,\n\"format\":x}"),
            Err(FormatError::Corrupt { line: 2, .. })
        ));
    }

    #[test]
    fn only_the_first_problems_are_listed() {
        let bad = r#"{"id":"t","at":1,"type":"read","item":"case:a"}"#;
        let doc = format!(
            r#"{{"schema":2,"format":"portal-learning-record","events":[{}]}}"#,
            vec![bad; 250].join(",")
        );
        let d = decode(&doc).unwrap();
        assert_eq!((d.problems.len(), d.skipped), (MAX_LISTED_PROBLEMS, 250));
        let v1 = format!(
            r#"{{"schema":1,"items":{{"workflow:w":{{"state":"opened","updated":1764000000000,"steps":[{}]}}}}}}"#,
            vec!["true"; 5000].join(",")
        );
        let d = decode(&v1).unwrap();
        assert_eq!(d.skipped, 1);
        assert_eq!(d.progress.len(), MAX_STEP + 2);
    }

    // proptest is a native dev-dependency only (the wasm32 test build has no proptest).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_quick_path_reads_what_serde_reads_and_nothing_else() {
        use proptest::prelude::*;
        use serde_json::json;
        let values = (
            prop::sample::select(vec![json!("t-1"), json!(7), json!(null)]),
            prop::sample::select(vec![
                json!(1_764_000_000_000u64),
                json!(-1),
                json!(1.5),
                json!("1"),
            ]),
            prop::option::of(prop::sample::select(vec![
                json!(null),
                json!(1_764_000_000_005u64),
                json!(-3),
                json!("x"),
            ])),
            prop::sample::select(vec![
                "opened",
                "read",
                "step_ticked",
                "display_name_set",
                "quiz_attempt",
                "other",
            ]),
            prop::option::of(prop::sample::select(vec![
                json!("case:a"),
                json!("case:a#h"),
                json!("case:A"),
                json!(3),
            ])),
            prop::option::of(prop::sample::select(vec![
                json!(0),
                json!(2),
                json!(-1),
                json!(1.0),
                json!(u64::MAX),
            ])),
            prop::option::of(prop::sample::select(vec![
                json!(true),
                json!(false),
                json!(1),
            ])),
            prop::option::of(prop::sample::select(vec![
                json!("张三"),
                json!(""),
                json!(5),
            ])),
        );
        let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
            cases: 4000,
            failure_persistence: None,
            ..Default::default()
        });
        runner
            .run(&values, |(id, at, clock, kind, item, step, done, name)| {
                let mut o = serde_json::Map::new();
                o.insert("id".into(), id);
                o.insert("at".into(), at);
                o.insert("type".into(), json!(kind));
                for (k, v) in [
                    ("clock", clock),
                    ("item", item),
                    ("step", step),
                    ("done", done),
                    ("name", name),
                ] {
                    if let Some(v) = v {
                        o.insert(k.into(), v);
                    }
                }
                let v = Value::Object(o);
                if let Some(quick) = quick_event(&v) {
                    prop_assert_eq!(Some(quick), Event::deserialize(&v).ok(), "{}", v);
                }
                Ok(())
            })
            .unwrap();
        // And it does take the common events.
        let read =
            json!({"id": "t-1", "at": 1_764_000_000_000u64, "type": "read", "item": "case:a"});
        assert!(quick_event(&read).is_some());
    }

    #[test]
    fn conflicting_ids_in_one_document_are_counted() {
        let d = decode(
            r#"{"schema":2,"format":"portal-learning-record","events":[
            {"id":"t-1","at":1764000000000,"type":"opened","item":"case:a"},
            {"id":"t-1","at":1764000000001,"type":"read","item":"case:a"},
            {"id":"t-1","at":1764000000001,"type":"read","item":"case:a"},
            {"id":"t-2","at":1764000000002,"type":"jumped","item":"case:a"}]}"#,
        )
        .unwrap();
        assert_eq!(d.conflicts, 1);
        assert_eq!(d.progress.len(), 1);
        assert!(matches!(
            d.progress.event("t-1").unwrap().payload,
            Payload::Read { .. }
        ));
        assert_eq!(d.problems.len(), 1);
        assert!(
            d.problems[0]
                .to_string()
                .starts_with("第 4 条记录（t-2）："),
            "{}",
            d.problems[0]
        );
        assert!(!d.is_clean());
    }
}
