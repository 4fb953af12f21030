//! Property and end-to-end tests of the progress core through its public API: merging is
//! commutative, associative and idempotent and never loses an event; records survive storage
//! and export round trips; the import path never panics on any input.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use portal::content::{Manifest, Ref};
use portal::progress::datetime::iso8601;
use portal::progress::model::{MAX_TIMESTAMP, MIN_TIMESTAMP};
use portal::progress::{
    export, preview_import, storage_format, xapi, Answers, Event, ImportError, ItemState,
    NoCatalog, Payload, Progress, QuizAttempt,
};
use proptest::prelude::*;

/// 2026-11-27T00:00:00Z.
const T0: u64 = 1_795_737_600_000;
/// The importing device's clock in these tests: a month after `T0`.
const NOW: u64 = T0 + 30 * 86_400_000;

const MANIFEST: &str = r#"{
  "version": 1,
  "tags": [],
  "items": [
    {"id": "a", "title": "案例甲", "summary": "", "tags": [], "updated": "2026-11-27",
     "body": "content/cases/a.md", "kind": "case",
     "region": {"province": "辽宁省"}, "date": "2018"},
    {"id": "c", "title": "社区丙", "summary": "", "tags": [], "updated": "2026-11-27",
     "body": "content/communities/c.md", "kind": "community",
     "region": {"province": "浙江省"}, "facts": []},
    {"id": "w", "title": "流程乙", "summary": "", "tags": [], "updated": "2026-11-27",
     "body": "content/workflows/w.md", "kind": "workflow", "steps": 3},
    {"id": "m", "title": "模块丁", "summary": "", "tags": [], "updated": "2026-11-27",
     "body": "content/modules/m.md", "kind": "module",
     "items": ["case:a", "workflow:w", "community:c"], "minutes": 30, "goals": [],
     "pass_mark": 80, "questions": 2}
  ]
}"#;

fn catalog() -> Manifest {
    Manifest::from_json(MANIFEST).unwrap()
}

fn r(s: &str) -> Ref {
    s.parse().unwrap()
}

/// Failures are shown, not written to regression files beside the sources.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- strategies -------------------------------------------------------------------------------

fn item() -> impl Strategy<Value = Ref> {
    prop::sample::select(vec![
        "case:a",
        "case:b",
        "community:c",
        "workflow:w",
        "module:m",
        "case:a#anchor",
    ])
    .prop_map(r)
}

fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        item().prop_map(|item| Payload::Opened { item }),
        item().prop_map(|item| Payload::Read { item }),
        (item(), 0..4usize, any::<bool>()).prop_map(|(item, step, done)| Payload::StepTicked {
            item,
            step,
            done
        }),
        (
            0..=100u8,
            prop::collection::btree_set("q[1-3]", 0..3),
            0..5_000u64
        )
            .prop_map(|(score, incorrect, took)| {
                let answers: Answers = incorrect
                    .iter()
                    .map(|q| (q.clone(), vec![usize::from(score % 4)]))
                    .collect();
                Payload::QuizAttempt(QuizAttempt {
                    module: r("module:m"),
                    answers,
                    incorrect: incorrect.into_iter().collect(),
                    score,
                    passed: score >= 80,
                    started: T0,
                    finished: T0 + took,
                })
            }),
        prop::sample::select(vec!["", "张三", "李四"]).prop_map(|n| Payload::DisplayNameSet {
            name: n.to_string()
        }),
    ]
}

/// Events from a small id pool and a narrow time window, so that id clashes and equal
/// timestamps, the hard cases for merging, happen often.
fn event() -> impl Strategy<Value = Event> {
    ("[ab]-[1-6]", 0..20u64, payload())
        .prop_map(|(id, dt, payload)| Event::new(id, T0 + dt, payload))
}

/// A record of one writer without unticks: merging such records may only move items forward.
fn forward_progress(writer: &'static str) -> impl Strategy<Value = Progress> {
    prop::collection::vec(event(), 0..24).prop_map(move |events| {
        let mut p = Progress::new();
        for (n, e) in events.into_iter().enumerate() {
            if !matches!(e.payload, Payload::StepTicked { done: false, .. }) {
                let id = format!("{writer}-{n}");
                p.record(Event { id, ..e }).unwrap();
            }
        }
        p
    })
}

fn progress() -> impl Strategy<Value = Progress> {
    (
        prop::option::of(prop::sample::select(vec!["x1", "y2", "z3"])),
        prop::collection::vec(event(), 0..24),
    )
        .prop_map(|(learner, events)| {
            let mut p = learner.map_or_else(Progress::new, Progress::with_learner);
            for e in events {
                // A clashing id is refused by `record`; clashes between records are what merge
                // must handle, and the strategy makes plenty of those.
                let _ = p.record(e);
            }
            p
        })
}

/// JSON documents built from our own field names, to reach past the first checks of the
/// import path.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        (MIN_TIMESTAMP..MIN_TIMESTAMP + 10).prop_map(Value::from),
        prop::sample::select(vec![
            "portal-learning-record",
            "case:a",
            "module:m",
            "workflow:w",
            "opened",
            "read",
            "step_ticked",
            "quiz_attempt",
            "display_name_set",
            "not_started",
            "completed",
            "case:Bad",
        ])
        .prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    let keys = prop::sample::select(vec![
        "schema",
        "format",
        "learner",
        "events",
        "id",
        "at",
        "type",
        "item",
        "step",
        "done",
        "module",
        "answers",
        "incorrect",
        "score",
        "passed",
        "started",
        "finished",
        "name",
        "items",
        "quizzes",
        "state",
        "updated",
        "steps",
        "attempts",
        "verb",
        "actor",
    ]);
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(String::from), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ---- merge ------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn merge_is_commutative(a in progress(), b in progress()) {
        prop_assert_eq!(a.merge(&b), b.merge(&a));
    }

    #[test]
    fn merge_is_associative(a in progress(), b in progress(), c in progress()) {
        prop_assert_eq!(a.merge(&b).merge(&c), a.merge(&b.merge(&c)));
    }

    #[test]
    fn merge_is_idempotent(a in progress(), b in progress()) {
        prop_assert_eq!(a.merge(&a), a.clone());
        let ab = a.merge(&b);
        prop_assert_eq!(ab.merge(&b), ab.clone());
        prop_assert_eq!(ab.merge(&a), ab);
    }

    #[test]
    fn merge_never_loses_an_event(a in progress(), b in progress()) {
        let m = a.merge(&b);
        let ids = |p: &Progress| p.events().iter().map(|e| e.id.clone()).collect::<BTreeSet<_>>();
        prop_assert_eq!(ids(&m), &ids(&a) | &ids(&b));
        for e in a.events().into_iter().chain(b.events()) {
            let kept = m.event(&e.id).unwrap();
            // Only a different event under the same id can take an event's place.
            if kept != e {
                let other = if a.event(&e.id) == Some(e) { b.event(&e.id) } else { a.event(&e.id) };
                prop_assert_eq!(Some(kept), other);
            }
        }
        prop_assert!(m.len() <= a.len() + b.len());
    }

    #[test]
    fn merged_states_do_not_depend_on_order(a in progress(), b in progress(), c in progress()) {
        let cat = catalog();
        let one = a.merge(&b).merge(&c);
        let two = c.merge(&a).merge(&b);
        prop_assert_eq!(one.statuses(&cat), two.statuses(&cat));
        prop_assert_eq!(one.totals(&cat, 480), two.totals(&cat, 480));
        prop_assert_eq!(one.timeline(&cat, 480), two.timeline(&cat, 480));
    }

    #[test]
    fn more_events_only_move_states_forward(a in forward_progress("a"), b in forward_progress("b")) {
        let cat = catalog();
        let merged = a.merge(&b).statuses(&cat);
        for before in a.statuses(&cat) {
            let after = merged.iter().find(|s| s.item == before.item).unwrap();
            prop_assert!(after.state >= before.state, "{:?} -> {:?}", before, after);
        }
    }
}

// ---- storage and export round trips -----------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn storage_round_trip_is_lossless(p in progress()) {
        let d = storage_format::decode(&p.to_json().unwrap()).unwrap();
        prop_assert!(d.is_clean());
        prop_assert_eq!(&d.progress, &p);
        let pretty = storage_format::decode(&export::json(&p).unwrap()).unwrap();
        prop_assert_eq!(pretty.progress, p);
    }

    #[test]
    fn importing_an_export_into_an_empty_record_reproduces_it(p in progress()) {
        let file = export::json(&p).unwrap();
        let preview = preview_import(&Progress::new(), &catalog(), file.as_bytes(), NOW).unwrap();
        prop_assert_eq!(preview.new_events, p.len());
        prop_assert_eq!(preview.apply_to(&Progress::new()), p);
    }

    #[test]
    fn every_truncation_of_an_export_is_refused_or_a_subset(p in progress(), cut in any::<prop::sample::Index>()) {
        let file = export::json(&p).unwrap();
        let at = cut.index(file.len());
        match preview_import(&Progress::new(), &catalog(), &file.as_bytes()[..at], NOW) {
            Ok(preview) => {
                // Only whitespace was cut: the file is still whole.
                prop_assert!(file.as_bytes()[at..].iter().all(u8::is_ascii_whitespace));
                prop_assert_eq!(preview.incoming, p.len());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn xapi_export_is_well_formed(p in progress()) {
        let options = xapi::XapiOptions { base: "https://example.invalid/portal".into() };
        let statements = xapi::statements(&p, &catalog(), &options).unwrap();
        let mut ids = BTreeSet::new();
        let mut last = String::new();
        for s in &statements {
            prop_assert!(ids.insert(s["id"].as_str().unwrap().to_string()));
            let verb = s["verb"]["id"].as_str().unwrap();
            prop_assert!([xapi::EXPERIENCED, xapi::COMPLETED, xapi::PASSED, xapi::FAILED, xapi::ANSWERED].contains(&verb));
            prop_assert!(s["object"]["id"].as_str().unwrap().starts_with("https://example.invalid/portal/"));
            let ts = s["timestamp"].as_str().unwrap().to_string();
            prop_assert!(ts >= last, "statements out of order");
            last = ts;
            if verb == xapi::PASSED || verb == xapi::FAILED {
                let scaled = s["result"]["score"]["scaled"].as_f64().unwrap();
                prop_assert!((0.0..=1.0).contains(&scaled));
            }
        }
    }
}

// ---- the import path never panics -------------------------------------------------------------

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn import_of_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = preview_import(&Progress::new(), &catalog(), &bytes, NOW);
    }

    #[test]
    fn import_of_arbitrary_text_never_panics(text in "\\PC{0,256}") {
        let _ = preview_import(&Progress::new(), &catalog(), text.as_bytes(), NOW);
        let _ = storage_format::decode(&text);
    }

    #[test]
    fn import_of_json_shaped_like_ours_never_panics(value in json_value(), schema in 0..4u64) {
        let _ = preview_import(&Progress::new(), &NoCatalog, value.to_string().as_bytes(), NOW);
        // The same value inside a document header, so the event parser sees it too.
        for events in [value.clone(), serde_json::Value::Array(vec![value.clone()])] {
            let doc = serde_json::json!({"schema": schema, "format": "portal-learning-record", "events": events});
            if let Ok(preview) = preview_import(&Progress::new(), &catalog(), doc.to_string().as_bytes(), NOW) {
                let merged = preview.apply_to(&Progress::new());
                prop_assert_eq!(merged.len(), preview.incoming);
            }
            let v1 = serde_json::json!({"schema": 1, "name": value.clone(), "items": {"case:a": value.clone()}, "quizzes": {"module:m": value.clone()}});
            let _ = preview_import(&Progress::new(), &catalog(), v1.to_string().as_bytes(), NOW);
        }
    }

    #[test]
    fn import_of_a_damaged_export_never_panics(
        p in progress(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6),
    ) {
        let mut bytes = export::json(&p).unwrap().into_bytes();
        for (at, byte, how) in edits {
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            match how {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ if i < bytes.len() => { bytes.remove(i); }
                _ => {}
            }
        }
        if let Ok(preview) = preview_import(&p, &catalog(), &bytes, NOW) {
            let _ = preview.summary();
            let _ = preview.apply_to(&p);
        }
    }
}

// ---- time formatting --------------------------------------------------------------------------

/// The inverse of the formatter's calendar, written independently (days from civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn iso8601_reads_back_to_the_same_instant(ms in MIN_TIMESTAMP..=MAX_TIMESTAMP) {
        let s = iso8601(ms);
        prop_assert_eq!(s.len(), 24);
        let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
        let (y, mo, d, h, mi, sec, milli) = (n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 23));
        prop_assert!((1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && sec < 60);
        let back = days_from_civil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + milli;
        prop_assert_eq!(back, ms as i64);
    }
}

// ---- scenarios ----------------------------------------------------------------------------------

/// Two devices learn separately, exchange export files both ways and end with the same record
/// and the same states.
#[test]
fn two_devices_converge_by_exchanging_files() {
    let cat = catalog();
    let mut phone = Progress::with_learner("phone");
    let mut pc = Progress::with_learner("pc");
    let add = |p: &mut Progress, writer: &str, at: u64, payload: Payload| {
        let id = p.next_event_id(writer);
        p.record(Event::new(id, at, payload)).unwrap();
    };
    add(&mut phone, "p1", T0, Payload::Read { item: r("case:a") });
    add(
        &mut phone,
        "p1",
        T0 + 10,
        Payload::StepTicked {
            item: r("workflow:w"),
            step: 0,
            done: true,
        },
    );
    add(
        &mut pc,
        "c1",
        T0 + 20,
        Payload::StepTicked {
            item: r("workflow:w"),
            step: 1,
            done: true,
        },
    );
    add(
        &mut pc,
        "c1",
        T0 + 30,
        Payload::StepTicked {
            item: r("workflow:w"),
            step: 2,
            done: true,
        },
    );
    add(
        &mut pc,
        "c1",
        T0 + 40,
        Payload::Read {
            item: r("community:c"),
        },
    );
    assert_eq!(phone.state(&cat, &r("workflow:w")), ItemState::Opened);

    let to_pc = preview_import(&pc, &cat, export::json(&phone).unwrap().as_bytes(), NOW).unwrap();
    assert!(to_pc
        .changes
        .iter()
        .any(|c| c.item == r("workflow:w") && c.after == ItemState::Completed));
    let pc = to_pc.apply_to(&pc);
    let to_phone =
        preview_import(&phone, &cat, export::json(&pc).unwrap().as_bytes(), NOW).unwrap();
    let phone = to_phone.apply_to(&phone);

    assert_eq!(phone, pc);
    assert_eq!(phone.learner(), Some("pc"));
    assert_eq!(phone.state(&cat, &r("workflow:w")), ItemState::Completed);
    let module = phone.module_progress(&cat, &r("module:m")).unwrap();
    assert_eq!((module.completed, module.total), (3, 3));
    assert_eq!(module.next, portal::progress::Next::Quiz);
}

#[test]
fn a_schema_1_file_imports_through_the_public_path() {
    let v1 = r#"{"schema":1,"name":"张三","items":{
        "case:a":{"state":"completed","updated":1795737600000},
        "workflow:w":{"state":"completed","updated":1795737700000,"steps":[true,true,true]}},
      "quizzes":{"module:m":{"best":90,"attempts":[{"at":1795737800000,"score":90,"passed":true}]}}}"#;
    let preview = preview_import(&Progress::new(), &catalog(), v1.as_bytes(), NOW).unwrap();
    assert_eq!(preview.schema, 1);
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    let p = preview.apply_to(&Progress::new());
    let cat = catalog();
    assert_eq!(p.state(&cat, &r("workflow:w")), ItemState::Completed);
    assert_eq!(p.best_score(&r("module:m")), Some(90));
    assert_eq!(p.display_name(), Some("张三"));
    // The community was never touched in schema 1, so the module is not complete.
    assert_eq!(p.state(&cat, &r("module:m")), ItemState::Opened);
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let mut bytes = export::json(&Progress::new()).unwrap().into_bytes();
    bytes.resize(portal::progress::MAX_IMPORT_BYTES + 1, b' ');
    assert!(matches!(
        preview_import(&Progress::new(), &NoCatalog, &bytes, NOW),
        Err(ImportError::TooLarge { .. })
    ));
}
