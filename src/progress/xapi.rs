//! The record as xAPI 1.0.3 statements, so an organisation can load a learner's export into its
//! learning record store (LRS).
//!
//! What is sent, and why:
//! - a read → `experienced` the item;
//! - an item (or module) becoming completed → `completed`, at the moment it did;
//! - a quiz attempt → `passed` or `failed` the module's quiz (score scaled and raw, duration),
//!   and one `answered` per question with its success and response;
//! - openings and single step ticks are not sent: they are detail for this device, not learning
//!   outcomes an organisation reports on.
//!
//! Activity ids are IRIs under a base the caller passes (the site's address):
//! `{base}/cases/panjin-2018`, `{base}/modules/m/quiz`, `{base}/modules/m/quiz/q1`.
//!
//! The actor is identified by an account on the base (`homePage`) named by the anonymous learner
//! id; a display name, if set, is added as the agent's `name` (xAPI needs an identifier; a name
//! alone is not one).
//!
//! Statement ids are derived from the learner and event ids, so exporting twice and loading both
//! files into an LRS does not duplicate statements.

use serde_json::{json, Map, Value};

use crate::content::{Kind, Ref};

use super::catalog::Catalog;
use super::datetime::{iso8601, iso8601_duration};
use super::export::ExportError;
use super::model::{Payload, QuizAttempt};
use super::state::ActivityKind;
use super::Progress;

/// ADL verb IRIs.
pub const EXPERIENCED: &str = "http://adlnet.gov/expapi/verbs/experienced";
pub const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
pub const PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
pub const FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";

/// ADL activity type IRIs.
const LESSON: &str = "http://adlnet.gov/expapi/activities/lesson";
const MODULE: &str = "http://adlnet.gov/expapi/activities/module";
const ASSESSMENT: &str = "http://adlnet.gov/expapi/activities/assessment";
const INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";

/// The account name used when the record has no learner id.
pub const ANONYMOUS: &str = "anonymous";

/// Where the statements' activity ids live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XapiOptions {
    /// The site's address, e.g. `https://example.invalid/portal`; a trailing `/` is ignored.
    pub base: String,
}

fn verb(iri: &str) -> Value {
    let (en, zh) = match iri {
        EXPERIENCED => ("experienced", "学习了"),
        COMPLETED => ("completed", "完成了"),
        PASSED => ("passed", "通过了"),
        FAILED => ("failed", "未通过"),
        _ => ("answered", "回答了"),
    };
    json!({ "id": iri, "display": { "en-US": en, "zh-CN": zh } })
}

/// A 128-bit id from `parts`: two 64-bit FNV-1a hashes with different seeds, each finished with
/// the SplitMix64 mixer, laid out as an RFC 9562 version 8 (custom) UUID.
fn statement_id(parts: &[&str]) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for part in parts {
            for b in part.bytes().chain([0xff]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    };
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&hash(0xcbf2_9ce4_8422_2325).to_be_bytes());
    b[8..].copy_from_slice(&hash(0x6c62_272e_07bb_0142).to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

struct Builder<'a> {
    base: String,
    catalog: &'a dyn Catalog,
    actor: Value,
    learner: String,
    out: Vec<(u64, Value)>,
}

impl Builder<'_> {
    fn activity_id(&self, item: &Ref) -> String {
        format!("{}{}", self.base, item.kind.route(&item.id))
    }

    fn activity(&self, item: &Ref) -> Value {
        let kind = match item.kind {
            Kind::Module => MODULE,
            _ => LESSON,
        };
        let name = self.catalog.title(item).unwrap_or(&item.id);
        json!({
            "objectType": "Activity",
            "id": self.activity_id(item),
            "definition": { "type": kind, "name": { "zh-CN": name } },
        })
    }

    fn quiz_id(&self, module: &Ref) -> String {
        format!("{}/quiz", self.activity_id(module))
    }

    fn quiz(&self, module: &Ref) -> Value {
        let title = self.catalog.title(module).unwrap_or(&module.id);
        json!({
            "objectType": "Activity",
            "id": self.quiz_id(module),
            "definition": { "type": ASSESSMENT, "name": { "zh-CN": format!("{title} · 自测题") } },
        })
    }

    fn push(
        &mut self,
        at: u64,
        key: &[&str],
        verb_iri: &str,
        object: Value,
        extra: Map<String, Value>,
    ) {
        let mut s = json!({
            "id": statement_id(&[&[self.learner.as_str()], key].concat()),
            "actor": self.actor.clone(),
            "verb": verb(verb_iri),
            "object": object,
            "timestamp": iso8601(at),
        });
        if let Value::Object(map) = &mut s {
            map.extend(extra);
            let context = map.entry("context").or_insert_with(|| json!({}));
            if let Value::Object(c) = context {
                c.insert("language".into(), json!("zh-CN"));
            }
        }
        self.out.push((at, s));
    }

    fn attempt(&mut self, event_id: &str, a: &QuizAttempt) {
        let quiz_parent = json!({ "contextActivities": {
            "parent": [{ "objectType": "Activity", "id": self.quiz_id(&a.module) }],
        }});
        let mut questions: Vec<&str> = a.answers.keys().map(String::as_str).collect();
        questions.extend(a.incorrect.iter().map(String::as_str));
        questions.sort_unstable();
        questions.dedup();
        for q in questions {
            let response = a
                .answers
                .get(q)
                .map(|c| {
                    c.iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join("[,]")
                })
                .unwrap_or_default();
            let object = json!({
                "objectType": "Activity",
                "id": format!("{}/{q}", self.quiz_id(&a.module)),
                "definition": { "type": INTERACTION, "interactionType": "choice" },
            });
            let extra = json!({
                "result": { "success": !a.incorrect.iter().any(|i| i == q), "response": response },
                "context": quiz_parent,
            });
            self.push(
                a.finished,
                &[event_id, "answered", q],
                ANSWERED,
                object,
                as_map(extra),
            );
        }
        let module_parent = json!({ "contextActivities": {
            "parent": [{ "objectType": "Activity", "id": self.activity_id(&a.module) }],
        }});
        let extra = json!({
            "result": {
                "score": { "scaled": f64::from(a.score) / 100.0, "raw": a.score, "min": 0, "max": 100 },
                "success": a.passed,
                "completion": true,
                "duration": iso8601_duration(a.duration()),
            },
            "context": module_parent,
        });
        let verb_iri = if a.passed { PASSED } else { FAILED };
        let object = self.quiz(&a.module);
        self.push(
            a.finished,
            &[event_id, "attempt"],
            verb_iri,
            object,
            as_map(extra),
        );
    }
}

fn as_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn clean_base(base: &str) -> Result<String, ExportError> {
    let b = base.trim().trim_end_matches('/');
    let rest = b
        .strip_prefix("https://")
        .or_else(|| b.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.contains(|c: char| c.is_whitespace() || c == '?' || c == '#')
    });
    if ok {
        Ok(b.to_string())
    } else {
        Err(ExportError::BadBase(base.chars().take(100).collect()))
    }
}

/// The record as xAPI statements, oldest first.
///
/// ```
/// use portal::progress::{xapi, Event, NoCatalog, Payload, Progress};
/// let mut p = Progress::with_learner("d7f3");
/// p.record(Event::new("t-1", 1_795_809_600_000, Payload::Read { item: "case:panjin-2018".parse().unwrap() })).unwrap();
/// let options = xapi::XapiOptions { base: "https://example.invalid/portal/".into() };
/// let statements = xapi::statements(&p, &NoCatalog, &options).unwrap();
/// assert_eq!(statements.len(), 2); // experienced, then completed
/// assert_eq!(statements[0]["verb"]["id"], xapi::EXPERIENCED);
/// assert_eq!(statements[0]["object"]["id"], "https://example.invalid/portal/cases/panjin-2018");
/// assert_eq!(statements[0]["timestamp"], "2026-11-27T20:00:00.000Z");
/// assert_eq!(statements[0]["actor"]["account"]["name"], "d7f3");
/// ```
pub fn statements(
    progress: &Progress,
    catalog: &dyn Catalog,
    options: &XapiOptions,
) -> Result<Vec<Value>, ExportError> {
    let base = clean_base(&options.base)?;
    let learner = progress.learner().unwrap_or(ANONYMOUS).to_string();
    let mut actor = json!({
        "objectType": "Agent",
        "account": { "homePage": base, "name": learner },
    });
    if let (Some(name), Value::Object(a)) = (progress.display_name(), &mut actor) {
        a.insert("name".into(), json!(name));
    }
    let mut b = Builder {
        base,
        catalog,
        actor,
        learner,
        out: Vec::new(),
    };
    let events = progress.events();
    for e in &events {
        match &e.payload {
            Payload::Read { item } => {
                let object = b.activity(item);
                b.push(
                    e.at,
                    &[&e.id, "experienced"],
                    EXPERIENCED,
                    object,
                    Map::new(),
                );
            }
            Payload::QuizAttempt(a) => b.attempt(&e.id, a),
            _ => {}
        }
    }
    for a in progress.timeline(catalog, 0) {
        if a.what == ActivityKind::Completed {
            let object = b.activity(&a.item);
            let extra = as_map(json!({ "result": { "completion": true } }));
            let item = a.item.to_string();
            b.push(
                a.at,
                &[&a.event, "completed", &item],
                COMPLETED,
                object,
                extra,
            );
        }
    }
    // Stable: statements of one moment keep the order they were made in.
    b.out.sort_by_key(|(at, _)| *at);
    Ok(b.out.into_iter().map(|(_, s)| s).collect())
}

/// The statements as a JSON array, ready to download or POST to an LRS.
pub fn statements_json(
    progress: &Progress,
    catalog: &dyn Catalog,
    options: &XapiOptions,
) -> Result<String, ExportError> {
    let statements = statements(progress, catalog, options)?;
    serde_json::to_string_pretty(&statements)
        .map_err(|e| ExportError::Format(super::FormatError::Encode(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_ids_are_uuids_and_stable() {
        let a = statement_id(&["d7f3", "t-1", "experienced"]);
        assert_eq!(a, statement_id(&["d7f3", "t-1", "experienced"]));
        assert_ne!(a, statement_id(&["d7f3", "t-1", "completed"]));
        // Parts are separated, so moving a character between them changes the id.
        assert_ne!(statement_id(&["ab", "c"]), statement_id(&["a", "bc"]));
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn bases_are_checked() {
        assert_eq!(clean_base("https://x.org/p/").unwrap(), "https://x.org/p");
        for bad in [
            "x.org",
            "https://",
            "https:///p",
            "https://x.org/p?q",
            "https://x y",
        ] {
            assert!(clean_base(bad).is_err(), "{bad}");
        }
    }
}
