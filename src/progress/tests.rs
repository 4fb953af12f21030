//! Unit tests of the progress rules against a small catalog.

use super::*;
use crate::content::{
    CaseStudy, Community, Details, Item, Manifest, Module, Region, Workflow, MANIFEST_VERSION,
};
use import::ImportError;

/// 2026-11-27T00:00:00Z.
const T0: u64 = 1_795_737_600_000;
/// The importing device's clock in these tests: a month after `T0`.
const NOW: u64 = T0 + 30 * 86_400_000;
const MIN: u64 = 60_000;

fn r(s: &str) -> Ref {
    s.parse().unwrap()
}

fn item(id: &str, title: &str, details: Details) -> Item {
    Item {
        id: id.into(),
        title: title.into(),
        summary: String::new(),
        tags: vec![],
        updated: "2026-11-27".into(),
        sources: vec![],
        body: String::new(),
        details,
    }
}

fn module(items: &[&str], questions: usize) -> Details {
    Details::Module(Module {
        items: items.iter().map(|s| r(s)).collect(),
        minutes: 30,
        goals: vec![],
        pass_mark: 80,
        questions,
    })
}

fn catalog() -> Manifest {
    let case = || {
        Details::Case(CaseStudy {
            region: Region::default(),
            date: "2018".into(),
            figures: vec![],
        })
    };
    Manifest {
        version: MANIFEST_VERSION,
        tags: vec![],
        items: vec![
            item("panjin-2018", "=盘锦", case()),
            item("fengqiao", "枫桥经验", case()),
            item(
                "wangma",
                "望马社区",
                Details::Community(Community {
                    region: Region::default(),
                    sample: false,
                    facts: vec![],
                }),
            ),
            item(
                "sanhui",
                "三会一课",
                Details::Workflow(Workflow { steps: 3 }),
            ),
            item("blank", "空流程", Details::Workflow(Workflow { steps: 0 })),
            item(
                "grid",
                "网格化治理",
                module(&["case:panjin-2018", "workflow:sanhui"], 2),
            ),
            item("no-quiz", "无测验", module(&["case:fengqiao"], 0)),
            item(
                "nested",
                "嵌套",
                module(&["module:no-quiz", "community:wangma"], 0),
            ),
            item("loop", "自指", module(&["module:loop"], 0)),
            item("bare", "空模块", module(&[], 0)),
        ],
    }
}

/// A record writer that numbers its events.
struct Writer {
    p: Progress,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            p: Progress::with_learner("learner-a"),
        }
    }
    fn at(&mut self, at: u64, payload: Payload) -> &mut Writer {
        let id = self.p.next_event_id("tab");
        self.p.record(Event::new(id, at, payload)).unwrap();
        self
    }
    fn open(&mut self, at: u64, item: &str) -> &mut Writer {
        self.at(at, Payload::Opened { item: r(item) })
    }
    fn read(&mut self, at: u64, item: &str) -> &mut Writer {
        self.at(at, Payload::Read { item: r(item) })
    }
    fn tick(&mut self, at: u64, item: &str, step: usize, done: bool) -> &mut Writer {
        self.at(
            at,
            Payload::StepTicked {
                item: r(item),
                step,
                done,
            },
        )
    }
    fn quiz(&mut self, at: u64, module: &str, score: u8, incorrect: &[&str]) -> &mut Writer {
        let answers: Answers = [("q1".to_string(), vec![1]), ("q2".to_string(), vec![0, 2])].into();
        self.at(
            at,
            Payload::QuizAttempt(QuizAttempt {
                module: r(module),
                answers,
                incorrect: incorrect.iter().map(|s| s.to_string()).collect(),
                score,
                passed: score >= 80,
                started: at - 2 * MIN,
                finished: at,
            }),
        )
    }
}

#[test]
fn case_goes_from_not_started_to_completed_when_read() {
    let c = catalog();
    let mut w = Writer::new();
    let case = r("case:panjin-2018#首段");
    assert_eq!(w.p.state(&c, &case), ItemState::NotStarted);
    w.open(T0, "case:panjin-2018");
    assert_eq!(w.p.state(&c, &case), ItemState::Opened);
    w.read(T0 + MIN, "case:panjin-2018#末段");
    let s = w.p.status(&c, &case);
    assert_eq!(s.state, ItemState::Completed);
    assert_eq!(s.item.to_string(), "case:panjin-2018");
    assert_eq!(
        (s.first_activity, s.last_activity, s.completed_at),
        (Some(T0), Some(T0 + MIN), Some(T0 + MIN))
    );
    w.open(T0 + 5 * MIN, "community:wangma")
        .read(T0 + 6 * MIN, "community:wangma");
    assert_eq!(w.p.state(&c, &r("community:wangma")), ItemState::Completed);
}

#[test]
fn workflow_completes_when_every_step_is_ticked_and_unticking_reopens_it() {
    let c = catalog();
    let wf = r("workflow:sanhui");
    let mut w = Writer::new();
    w.open(T0, "workflow:sanhui")
        .read(T0 + MIN, "workflow:sanhui");
    assert_eq!(w.p.state(&c, &wf), ItemState::Read);
    w.tick(T0 + 2 * MIN, "workflow:sanhui", 0, true)
        .tick(T0 + 3 * MIN, "workflow:sanhui", 2, true)
        .tick(T0 + 4 * MIN, "workflow:sanhui", 7, true);
    assert_eq!(w.p.state(&c, &wf), ItemState::Read);
    assert_eq!(w.p.ticked_steps(&wf, 3), vec![true, false, true]);
    w.tick(T0 + 5 * MIN, "workflow:sanhui", 1, true);
    let s = w.p.status(&c, &wf);
    assert_eq!(s.state, ItemState::Completed);
    assert_eq!(s.completed_at, Some(T0 + 5 * MIN));
    w.tick(T0 + 6 * MIN, "workflow:sanhui", 0, false);
    assert_eq!(w.p.state(&c, &wf), ItemState::Read);
    w.tick(T0 + 7 * MIN, "workflow:sanhui", 0, true);
    assert_eq!(w.p.status(&c, &wf).completed_at, Some(T0 + 7 * MIN));
    // Without the catalog the step count is unknown: never completed by ticks.
    assert_eq!(w.p.state(&NoCatalog, &wf), ItemState::Read);
}

#[test]
fn workflow_without_steps_completes_when_read() {
    let mut w = Writer::new();
    w.open(T0, "workflow:blank");
    assert_eq!(
        w.p.state(&catalog(), &r("workflow:blank")),
        ItemState::Opened
    );
    w.read(T0 + 1, "workflow:blank");
    assert_eq!(
        w.p.state(&catalog(), &r("workflow:blank")),
        ItemState::Completed
    );
}

#[test]
fn module_needs_all_items_and_a_passed_quiz() {
    let c = catalog();
    let m = r("module:grid");
    let mut w = Writer::new();
    w.open(T0, "module:grid");
    let mp = w.p.module_progress(&c, &m).unwrap();
    assert_eq!((mp.completed, mp.total), (0, 2));
    assert_eq!(mp.next, Next::Item(r("case:panjin-2018")));
    assert_eq!(mp.percent(), 0);
    assert_eq!(mp.quiz.pass_mark, 80);

    // A pass before the items are done does not complete the module yet.
    w.quiz(T0 + MIN, "module:grid", 100, &[]);
    w.read(T0 + 2 * MIN, "case:panjin-2018");
    let mp = w.p.module_progress(&c, &m).unwrap();
    assert_eq!(mp.next, Next::Item(r("workflow:sanhui")));
    assert_eq!(mp.status.state, ItemState::Opened);
    assert_eq!(mp.percent(), 66);
    for step in 0..3 {
        w.tick(T0 + (3 + step as u64) * MIN, "workflow:sanhui", step, true);
    }
    let mp = w.p.module_progress(&c, &m).unwrap();
    assert_eq!(mp.status.state, ItemState::Completed);
    assert_eq!(mp.status.completed_at, Some(T0 + 5 * MIN));
    assert_eq!(mp.next, Next::Done);
    assert_eq!(mp.percent(), 100);
}

#[test]
fn module_with_items_done_waits_for_the_quiz_and_keeps_every_attempt() {
    let c = catalog();
    let m = r("module:grid");
    let mut w = Writer::new();
    w.read(T0, "case:panjin-2018");
    for step in 0..3 {
        w.tick(T0 + MIN, "workflow:sanhui", step, true);
    }
    assert_eq!(w.p.module_progress(&c, &m).unwrap().next, Next::Quiz);
    w.quiz(T0 + 2 * MIN, "module:grid", 50, &["q1"]);
    assert_eq!(w.p.state(&c, &m), ItemState::Opened);
    assert_eq!(w.p.wrong_questions(&m), vec!["q1"]);
    w.quiz(T0 + 3 * MIN, "module:grid", 100, &[]);
    w.quiz(T0 + 4 * MIN, "module:grid", 0, &["q1", "q2"]);
    let quiz = w.p.module_progress(&c, &m).unwrap().quiz;
    assert_eq!(
        quiz,
        QuizStatus {
            questions: 2,
            pass_mark: 80,
            attempts: 3,
            best_score: Some(100),
            passed: true,
            last_attempt: Some(T0 + 4 * MIN),
        }
    );
    // A later failed attempt does not undo the pass; wrong questions come from the latest.
    let s = w.p.status(&c, &m);
    assert_eq!(s.state, ItemState::Completed);
    assert_eq!(s.completed_at, Some(T0 + 3 * MIN));
    assert_eq!(w.p.wrong_questions(&m), vec!["q1", "q2"]);
    assert_eq!(w.p.best_score(&m), Some(100));
    assert!(w.p.quiz_passed(&m));
    assert_eq!(w.p.attempts(&m).len(), 3);
}

#[test]
fn modules_without_quiz_nested_modules_and_loops() {
    let c = catalog();
    let mut w = Writer::new();
    w.read(T0, "case:fengqiao");
    assert_eq!(w.p.state(&c, &r("module:no-quiz")), ItemState::Completed);
    assert_eq!(w.p.state(&c, &r("module:nested")), ItemState::NotStarted);
    w.read(T0 + MIN, "community:wangma");
    assert_eq!(
        w.p.status(&c, &r("module:nested")).completed_at,
        Some(T0 + MIN)
    );
    w.read(T0, "module:loop");
    assert_eq!(w.p.state(&c, &r("module:loop")), ItemState::Read);
    assert_eq!(w.p.state(&c, &r("module:bare")), ItemState::NotStarted);
    w.read(T0, "module:bare");
    assert_eq!(w.p.state(&c, &r("module:bare")), ItemState::Completed);
    // An unknown module is never complete, whatever its events.
    w.quiz(T0 + MIN, "module:gone", 100, &[]);
    assert_eq!(w.p.state(&c, &r("module:gone")), ItemState::Opened);
    assert!(w.p.module_progress(&c, &r("module:gone")).is_none());
}

#[test]
fn statuses_list_catalog_items_then_unknown_ones() {
    let c = catalog();
    let mut w = Writer::new();
    w.read(T0, "case:gone").open(T0, "case:panjin-2018");
    let all = w.p.statuses(&c);
    assert_eq!(all.len(), c.items.len() + 1);
    assert_eq!(all[0].item, r("case:panjin-2018"));
    assert_eq!(all[0].state, ItemState::Opened);
    assert_eq!(all.last().unwrap().item, r("case:gone"));
    assert_eq!(w.p.modules(&c).len(), 5);
}

#[test]
fn resume_picks_the_latest_unfinished_known_item() {
    let c = catalog();
    let mut w = Writer::new();
    assert_eq!(w.p.resume(&c), None);
    w.open(T0, "workflow:sanhui")
        .open(T0 + MIN, "case:fengqiao")
        .read(T0 + 2 * MIN, "case:panjin-2018")
        .open(T0 + 3 * MIN, "case:gone");
    let s = w.p.resume(&c).unwrap();
    assert_eq!(s.item, r("case:fengqiao"));
    w.tick(T0 + 4 * MIN, "workflow:sanhui", 0, true);
    assert_eq!(w.p.resume(&c).unwrap().item, r("workflow:sanhui"));
}

#[test]
fn totals_count_days_in_the_learners_time_zone() {
    let c = catalog();
    let mut w = Writer::new();
    // 15:30Z and 16:30Z: the same UTC day, but 23:30 and 00:30 in Beijing.
    let late = T0 + 15 * 60 * MIN + 30 * MIN;
    w.read(late, "case:panjin-2018")
        .read(late + 60 * MIN, "case:fengqiao")
        .at(
            late + 61 * MIN,
            Payload::DisplayNameSet {
                name: "李四".into(),
            },
        );
    let utc = w.p.totals(&c, 0);
    assert_eq!(utc.days_active, 1);
    let beijing = w.p.totals(&c, 480);
    assert_eq!(beijing.days_active, 2);
    assert_eq!(beijing.items_completed, 2);
    assert_eq!(beijing.modules_completed, 1); // no-quiz: its only item is read
    assert_eq!(beijing.first_active, Some(late));
    assert_eq!(beijing.last_active, Some(late + 60 * MIN));
    w.quiz(late + 70 * MIN, "module:grid", 40, &["q1"]).quiz(
        late + 80 * MIN,
        "module:grid",
        90,
        &[],
    );
    let t = w.p.totals(&c, 480);
    assert_eq!((t.quiz_attempts, t.quizzes_passed), (2, 1));
}

#[test]
fn timeline_reports_state_changes_and_attempts_in_order() {
    let c = catalog();
    let mut w = Writer::new();
    w.open(T0, "case:panjin-2018")
        .read(T0 + MIN, "case:panjin-2018")
        .open(T0 + 2 * MIN, "case:panjin-2018")
        .tick(T0 + 3 * MIN, "workflow:sanhui", 0, true)
        .tick(T0 + 3 * MIN, "workflow:sanhui", 1, true)
        .tick(T0 + 3 * MIN, "workflow:sanhui", 2, true)
        .quiz(T0 + 4 * MIN, "module:grid", 100, &[])
        .tick(T0 + 5 * MIN, "workflow:sanhui", 2, false);
    let lines: Vec<String> =
        w.p.timeline(&c, 480)
            .iter()
            .map(|a| format!("{} {} {}", a.date, a.item, a.what.label()))
            .collect();
    assert_eq!(
        lines,
        [
            "2026-11-27 case:panjin-2018 开始学习",
            "2026-11-27 case:panjin-2018 完成",
            "2026-11-27 workflow:sanhui 开始学习",
            "2026-11-27 workflow:sanhui 完成",
            "2026-11-27 module:grid 自测 100 分（通过）",
            "2026-11-27 module:grid 完成",
            "2026-11-27 workflow:sanhui 重新学习",
            "2026-11-27 module:grid 重新学习",
        ]
    );
}

#[test]
fn later_tick_wins_whichever_way_records_merge() {
    let c = catalog();
    let wf = r("workflow:sanhui");
    let mut a = Progress::with_learner("zz");
    let mut b = Progress::with_learner("aa");
    for step in 0..3 {
        a.record(Event::new(
            format!("a-{step}"),
            T0 + step as u64,
            Payload::StepTicked {
                item: wf.clone(),
                step,
                done: true,
            },
        ))
        .unwrap();
    }
    b.record(Event::new(
        "b-1",
        T0 + MIN,
        Payload::StepTicked {
            item: wf.clone(),
            step: 1,
            done: false,
        },
    ))
    .unwrap();
    let ab = a.merge(&b);
    assert_eq!(ab, b.merge(&a));
    assert_eq!(ab.len(), 4);
    assert_eq!(ab.ticked_steps(&wf, 3), vec![true, false, true]);
    assert_eq!(ab.state(&c, &wf), ItemState::Opened);
    assert_eq!(ab.learner(), Some("aa"));
}

#[test]
fn conflicting_ids_merge_the_same_both_ways() {
    let open = Event::new("x-1", T0, Payload::Opened { item: r("case:a") });
    let read = Event::new("x-1", T0, Payload::Read { item: r("case:a") });
    let mut a = Progress::new();
    a.record(open).unwrap();
    let mut b = Progress::new();
    b.record(read).unwrap();
    assert_eq!(a.merge(&b), b.merge(&a));
    assert_eq!(a.merge(&b).len(), 1);
}

#[test]
fn events_of_one_millisecond_replay_in_counter_order() {
    let wf = r("workflow:sanhui");
    let mut w = Writer::new();
    for n in 1..=9 {
        w.tick(T0, "workflow:sanhui", n % 3, true);
    }
    w.tick(T0, "workflow:sanhui", 0, false); // tab-10, made after tab-9
    let ids: Vec<&str> = w.p.events().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.last(), Some(&"tab-10"));
    assert_eq!(w.p.ticked_steps(&wf, 3), vec![false, true, true]);
}

#[test]
fn event_ids_count_up_per_writer() {
    let mut p = Progress::new();
    for id in ["tab-1", "tab-9", "tab-x", "tabby-20", "ta-30"] {
        p.record(Event::new(id, T0, Payload::Opened { item: r("case:a") }))
            .unwrap();
    }
    assert_eq!(p.next_event_id("tab"), "tab-10");
    assert_eq!(p.next_event_id("tabby"), "tabby-21");
    assert_eq!(p.next_event_id("new"), "new-1");
}

#[test]
fn display_name_latest_wins_and_empty_clears() {
    let mut w = Writer::new();
    assert_eq!(w.p.display_name(), None);
    w.at(T0 + 1, Payload::DisplayNameSet { name: "乙".into() })
        .at(T0, Payload::DisplayNameSet { name: "甲".into() });
    assert_eq!(w.p.display_name(), Some("乙"));
    w.at(T0 + 2, Payload::DisplayNameSet { name: " ".into() });
    assert_eq!(w.p.display_name(), None);
}

#[test]
fn record_refuses_invalid_events_and_learner_ids() {
    let mut p = Progress::new();
    assert_eq!(
        p.record(Event::new("t-1", 5, Payload::Opened { item: r("case:a") })),
        Err(EventError::BadTime(5))
    );
    assert!(p.is_empty());
    assert!(!p.adopt_learner("has space"));
    assert!(!p.adopt_learner(""));
    assert!(p.adopt_learner("ok"));
    assert!(!p.adopt_learner("other"));
    assert_eq!(p.learner(), Some("ok"));
}

fn device_a() -> Progress {
    let mut w = Writer::new();
    w.read(T0, "case:panjin-2018")
        .tick(T0 + MIN, "workflow:sanhui", 0, true)
        .quiz(T0 + 2 * MIN, "module:grid", 50, &["q2"])
        .open(T0 + 3 * MIN, "case:gone")
        .at(
            T0 + 4 * MIN,
            Payload::DisplayNameSet {
                name: "王五".into(),
            },
        );
    w.p
}

#[test]
fn import_preview_shows_what_merging_changes() {
    let c = catalog();
    let a = device_a();
    let file = export::json(&a).unwrap();
    let mut b = Progress::with_learner("learner-b");
    b.record(a.events()[0].clone()).unwrap();
    b.record(Event::new(
        "b-1",
        T0,
        Payload::Opened {
            item: r("case:fengqiao"),
        },
    ))
    .unwrap();
    let preview = preview_import(&b, &c, file.as_bytes(), NOW).unwrap();
    assert_eq!(preview.schema, 2);
    assert_eq!(
        (
            preview.incoming,
            preview.new_events,
            preview.already_here,
            preview.conflicts
        ),
        (5, 4, 1, 0)
    );
    assert_eq!(preview.new_attempts, 1);
    let changed: Vec<String> = preview
        .changes
        .iter()
        .map(|ch| format!("{} {:?}->{:?}", ch.item, ch.before, ch.after))
        .collect();
    assert_eq!(
        changed,
        [
            "workflow:sanhui NotStarted->Opened",
            "module:grid NotStarted->Opened",
            "case:gone NotStarted->Opened",
        ]
    );
    assert_eq!(preview.changes[0].title.as_deref(), Some("三会一课"));
    assert_eq!(preview.display_name, Some((None, Some("王五".into()))));
    assert_eq!(preview.unknown_items, vec![r("case:gone")]);
    assert!(preview.problems.is_empty());
    assert!(!preview.changes_nothing());
    let summary = preview.summary();
    assert!(summary.contains("其中 4 条是新的"), "{summary}");
    assert!(summary.contains("显示名称将变为“王五”"), "{summary}");

    // Applying merges into the record as it is now, keeping what was written meanwhile.
    let mut now = b.clone();
    now.record(Event::new(
        "b-2",
        T0 + 9 * MIN,
        Payload::Read {
            item: r("case:fengqiao"),
        },
    ))
    .unwrap();
    let merged = preview.apply_to(&now);
    assert_eq!(merged.len(), 7);
    assert_eq!(merged, now.merge(&a));
    assert_eq!(merged.learner(), Some("learner-a"));

    // Importing the same file again changes nothing.
    let again = preview_import(&merged, &c, file.as_bytes(), NOW).unwrap();
    assert!(again.changes_nothing());
    assert!(again.changes.is_empty());
    assert!(
        again.summary().contains("不会改变任何内容"),
        "{}",
        again.summary()
    );
}

#[test]
fn import_errors_are_typed_and_worded_in_chinese() {
    let c = catalog();
    let p = device_a();
    let json = export::json(&p).unwrap();
    let err = |bytes: &[u8]| preview_import(&p, &c, bytes, NOW).unwrap_err();

    let big = vec![b' '; MAX_IMPORT_BYTES + 1];
    assert_eq!(
        err(&big),
        ImportError::TooLarge {
            size: MAX_IMPORT_BYTES + 1,
            limit: MAX_IMPORT_BYTES
        }
    );
    assert_eq!(err(b" \n"), ImportError::Empty);
    assert_eq!(err("\u{feff}".as_bytes()), ImportError::Empty);
    assert_eq!(err(&[0x7b, 0xc3, 0x28]), ImportError::NotText);
    assert_eq!(
        err(export::csv(&p, &c, 480).unwrap().as_bytes()),
        ImportError::CsvExport
    );
    let statements = xapi::statements_json(
        &p,
        &c,
        &xapi::XapiOptions {
            base: "https://example.invalid/portal".into(),
        },
    )
    .unwrap();
    assert_eq!(
        err(statements.as_bytes()),
        ImportError::Format(FormatError::XapiStatements)
    );
    assert_eq!(
        err(&json.as_bytes()[..json.len() / 2]),
        ImportError::Format(FormatError::Truncated)
    );
    assert_eq!(
        err(b"<html><body>404</body></html>"),
        ImportError::Format(FormatError::NotJson)
    );
    assert_eq!(
        err(br#"{"version":1,"tags":[],"items":[]}"#),
        ImportError::Format(FormatError::NotOurs)
    );
    let newer = json.replacen("\"schema\": 2", "\"schema\": 3", 1);
    assert_eq!(
        err(newer.as_bytes()),
        ImportError::Format(FormatError::NewerSchema { found: 3 })
    );
    let messages = [
        err(&big).to_string(),
        err(b"").to_string(),
        err(newer.as_bytes()).to_string(),
        err(&json.as_bytes()[..10]).to_string(),
    ];
    assert!(messages[0].starts_with("文件太大"), "{messages:?}");
    assert_eq!(messages[1], "文件是空的");
    assert!(messages[2].contains("更新版本"), "{messages:?}");
    assert!(messages[3].contains("截断"), "{messages:?}");
}

#[test]
fn import_reports_invalid_records_and_keeps_the_rest() {
    let c = catalog();
    let file = r#"{"schema":2,"format":"portal-learning-record","events":[
        {"id":"t-1","at":1795737600000,"type":"read","item":"case:panjin-2018"},
        {"id":"t-2","at":1795737600000,"type":"read","item":"case:Not Valid"},
        {"id":"t-3","at":99,"type":"read","item":"case:fengqiao"},
        {"id":"t-4","at":1795737600000,"type":"quiz_attempt","module":"module:grid","answers":{},"score":250,"passed":true,"started":1795737600000,"finished":1795737600000}
    ]}"#;
    let preview = preview_import(&Progress::new(), &c, file.as_bytes(), NOW).unwrap();
    assert_eq!(preview.incoming, 1);
    assert_eq!(preview.problems.len(), 3);
    assert!(
        preview.problems[1].message.contains("有效范围"),
        "{:?}",
        preview.problems
    );
    assert!(preview.summary().contains("3 条记录无法读取"));
}

#[test]
fn csv_lists_every_item_with_chinese_headers() {
    let c = catalog();
    let p = device_a();
    let text = export::csv(&p, &c, 480).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        export::CSV_HEADERS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), c.items.len() + 1);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        [
            "案例",
            "case:panjin-2018",
            "'=盘锦",
            "已完成",
            "2026-11-27 08:00",
            "2026-11-27 08:00",
            "2026-11-27 08:00",
            ""
        ]
    );
    assert_eq!(&rows[1][3], "未开始");
    let grid = rows.iter().find(|r| &r[1] == "module:grid").unwrap();
    assert_eq!(
        (&grid[2], &grid[3], &grid[7]),
        ("网格化治理", "学习中", "50")
    );
    assert_eq!(&rows.last().unwrap()[1], "case:gone");
}

#[test]
fn xapi_statements_have_the_expected_shape() {
    let c = catalog();
    let mut w = Writer::new();
    w.read(T0, "case:panjin-2018");
    for step in 0..3 {
        w.tick(T0 + MIN, "workflow:sanhui", step, true);
    }
    w.quiz(T0 + 2 * MIN, "module:grid", 50, &["q2"])
        .quiz(T0 + 3 * MIN, "module:grid", 100, &[])
        .at(
            T0 + 4 * MIN,
            Payload::DisplayNameSet {
                name: "赵六".into(),
            },
        );
    let options = xapi::XapiOptions {
        base: "https://example.invalid/portal".into(),
    };
    let s = xapi::statements(&w.p, &c, &options).unwrap();
    let verbs: Vec<&str> = s
        .iter()
        .map(|s| s["verb"]["display"]["en-US"].as_str().unwrap())
        .collect();
    assert_eq!(
        verbs,
        [
            "experienced",
            "completed",
            "completed",
            "answered",
            "answered",
            "failed",
            "answered",
            "answered",
            "passed",
            "completed",
        ]
    );
    for st in &s {
        assert_eq!(st["actor"]["name"], "赵六");
        assert_eq!(st["actor"]["account"]["homePage"], options.base);
        assert_eq!(st["actor"]["account"]["name"], "learner-a");
        assert!(st["verb"]["id"]
            .as_str()
            .unwrap()
            .starts_with("http://adlnet.gov/expapi/verbs/"));
        assert!(st["timestamp"].as_str().unwrap().ends_with('Z'));
        assert_eq!(st["context"]["language"], "zh-CN");
    }
    let failed = &s[5];
    assert_eq!(failed["verb"]["id"], xapi::FAILED);
    assert_eq!(
        failed["object"]["id"],
        "https://example.invalid/portal/modules/grid/quiz"
    );
    assert_eq!(failed["result"]["score"]["scaled"], 0.5);
    assert_eq!(failed["result"]["score"]["raw"], 50);
    assert_eq!(failed["result"]["success"], false);
    assert_eq!(failed["result"]["duration"], "PT2M");
    assert_eq!(failed["timestamp"], "2026-11-27T00:02:00.000Z");
    assert_eq!(
        failed["context"]["contextActivities"]["parent"][0]["id"],
        "https://example.invalid/portal/modules/grid"
    );
    let answered = &s[4];
    assert_eq!(
        answered["object"]["id"],
        "https://example.invalid/portal/modules/grid/quiz/q2"
    );
    assert_eq!(answered["result"]["success"], false);
    assert_eq!(answered["result"]["response"], "0[,]2");
    assert_eq!(
        s[9]["object"]["id"],
        "https://example.invalid/portal/modules/grid"
    );
    assert_eq!(s[9]["object"]["definition"]["name"]["zh-CN"], "网格化治理");
    assert_eq!(
        s[1]["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/lesson"
    );

    // Ids are unique and the same on every export.
    let ids: std::collections::BTreeSet<&str> =
        s.iter().map(|st| st["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), s.len());
    assert_eq!(xapi::statements(&w.p, &c, &options).unwrap(), s);

    let bad = xapi::XapiOptions {
        base: "portal".into(),
    };
    assert!(matches!(
        xapi::statements(&w.p, &c, &bad),
        Err(export::ExportError::BadBase(_))
    ));
}

#[test]
fn anonymous_actor_without_learner_or_name() {
    let mut p = Progress::new();
    p.record(Event::new("t-1", T0, Payload::Read { item: r("case:a") }))
        .unwrap();
    let options = xapi::XapiOptions {
        base: "https://example.invalid/portal".into(),
    };
    let s = xapi::statements(&p, &NoCatalog, &options).unwrap();
    assert_eq!(s[0]["actor"]["account"]["name"], xapi::ANONYMOUS);
    assert!(s[0]["actor"].get("name").is_none());
    assert_eq!(s[0]["object"]["definition"]["name"]["zh-CN"], "a");
}

// ---- issue 14: untrusted records cannot pin state, freeze, or hide text ----------------------

/// A file of schema 2 with these events.
fn file(events: &[&str]) -> String {
    format!(
        r#"{{"schema":2,"format":"portal-learning-record","events":[{}]}}"#,
        events.join(",")
    )
}

/// 9999-12-31T23:59:59.999Z, the latest time a record may carry.
const YEAR_9999: u64 = model::MAX_TIMESTAMP;
const DAY: u64 = 86_400_000;

#[test]
fn a_name_or_tick_dated_far_ahead_cannot_pin_the_record() {
    // A log that already holds events from the year 9999 (imported before imports were
    // checked, or edited by hand): what the learner does now must still take effect.
    let wf = r("workflow:sanhui");
    let mut p = Progress::with_learner("me");
    p.record(Event::new(
        "evil-1",
        YEAR_9999,
        Payload::DisplayNameSet {
            name: "钉住".into(),
        },
    ))
    .unwrap();
    p.record(Event::new(
        "evil-2",
        YEAR_9999,
        Payload::StepTicked {
            item: wf.clone(),
            step: 0,
            done: false,
        },
    ))
    .unwrap();
    assert_eq!(p.display_name(), Some("钉住"));

    p.append(
        "tab",
        T0,
        Payload::DisplayNameSet {
            name: "张三".into(),
        },
    )
    .unwrap();
    assert_eq!(p.display_name(), Some("张三"));
    for step in 0..3 {
        p.append(
            "tab",
            T0 + MIN,
            Payload::StepTicked {
                item: wf.clone(),
                step,
                done: true,
            },
        )
        .unwrap();
    }
    assert_eq!(p.ticked_steps(&wf, 3), vec![true, true, true]);
    assert_eq!(p.state(&catalog(), &wf), ItemState::Completed);
    // Unticking after that takes effect too: each new event goes after the one before.
    p.append(
        "tab",
        T0 + 2 * MIN,
        Payload::StepTicked {
            item: wf.clone(),
            step: 1,
            done: false,
        },
    )
    .unwrap();
    assert_eq!(p.ticked_steps(&wf, 3), vec![true, false, true]);

    // The new events keep the device's dates for people; only their replay clock moved.
    let named = p.event("tab-1").unwrap();
    assert_eq!(named.at, T0);
    assert_eq!(named.clock, Some(YEAR_9999 + 1));
    assert_eq!(p.event("tab-5").unwrap().clock, Some(YEAR_9999 + 5));
    let totals = p.totals(&catalog(), 480);
    assert_eq!(totals.last_active, Some(YEAR_9999));

    // The order survives storage, export and merging into another device's record.
    let stored = Progress::from_json(&p.to_json().unwrap()).unwrap().progress;
    assert_eq!(stored, p);
    let other = Progress::with_learner("zz").merge(&p);
    assert_eq!(other.display_name(), Some("张三"));
    assert_eq!(other.ticked_steps(&wf, 3), vec![true, false, true]);
}

#[test]
fn a_device_whose_clock_was_ahead_does_not_outvote_the_next_one() {
    // The phone's clock ran 20 hours fast (within the day an import accepts); the learner
    // unticks on the laptop, with the right time, an hour later.
    let wf = r("workflow:sanhui");
    let mut phone = Progress::with_learner("p");
    phone
        .append(
            "phone",
            T0 + 20 * 60 * MIN,
            Payload::StepTicked {
                item: wf.clone(),
                step: 0,
                done: true,
            },
        )
        .unwrap();
    let preview = preview_import(
        &Progress::new(),
        &catalog(),
        phone.to_json().unwrap().as_bytes(),
        T0,
    )
    .unwrap();
    assert_eq!(preview.from_the_future, 0);
    let mut laptop = preview.apply_to(&Progress::new());
    laptop
        .append(
            "laptop",
            T0 + 60 * MIN,
            Payload::StepTicked {
                item: wf.clone(),
                step: 0,
                done: false,
            },
        )
        .unwrap();
    assert_eq!(laptop.ticked_steps(&wf, 1), vec![false]);
    // And "continue where you left off" follows the learner, not the dates.
    laptop
        .append(
            "laptop",
            T0 + 61 * MIN,
            Payload::Opened {
                item: r("case:fengqiao"),
            },
        )
        .unwrap();
    let c = catalog();
    laptop
        .record(Event::new(
            "x-1",
            T0 + DAY / 2,
            Payload::Opened {
                item: r("community:wangma"),
            },
        ))
        .unwrap();
    laptop
        .append(
            "laptop",
            T0 + 62 * MIN,
            Payload::Opened {
                item: r("case:panjin-2018"),
            },
        )
        .unwrap();
    assert_eq!(laptop.resume(&c).unwrap().item, r("case:panjin-2018"));
}

#[test]
fn imported_events_more_than_a_day_ahead_are_refused_in_the_preview() {
    let c = catalog();
    let mut current = Progress::with_learner("me");
    current
        .append(
            "tab",
            NOW,
            Payload::DisplayNameSet {
                name: "张三".into(),
            },
        )
        .unwrap();
    let text = file(&[
        r#"{"id":"e-1","at":253402300799999,"type":"display_name_set","name":"钉住"}"#,
        r#"{"id":"e-2","at":253402300799999,"type":"step_ticked","item":"workflow:sanhui","step":0,"done":false}"#,
        // A clock (not the date) far ahead pins just the same.
        r#"{"id":"e-3","at":1795737600000,"clock":253402300799999,"type":"read","item":"case:fengqiao"}"#,
        r#"{"id":"e-4","at":1795737600000,"type":"quiz_attempt","module":"module:grid","answers":{},"score":100,"passed":true,"started":1795737600000,"finished":253402300799999}"#,
        // Just within a day: a clock a few hours fast, accepted.
        &format!(
            r#"{{"id":"e-5","at":{},"type":"read","item":"case:panjin-2018"}}"#,
            NOW + DAY
        ),
        &format!(
            r#"{{"id":"e-6","at":{},"type":"read","item":"community:wangma"}}"#,
            NOW + DAY + 1
        ),
    ]);
    let preview = preview_import(&current, &c, text.as_bytes(), NOW).unwrap();
    assert_eq!(preview.from_the_future, 5);
    assert_eq!(preview.incoming, 1);
    assert_eq!(preview.new_events, 1);
    assert_eq!(preview.display_name, None);
    let refusal = preview.refusal().unwrap();
    assert!(
        refusal.contains("有 5 条记录的日期比本机时间晚一天以上"),
        "{refusal}"
    );
    assert!(refusal.contains("9999-12-31"), "{refusal}");
    assert!(preview.summary().starts_with(&refusal));
    assert_eq!(preview.problems.len(), 5);
    assert!(preview.problems[0].message.contains("晚一天以上"));
    let merged = preview.apply_to(&current);
    assert_eq!(merged.display_name(), Some("张三"));
    assert_eq!(merged.len(), 2);
    assert!(merged.event("e-1").is_none());
    assert_eq!(
        merged.state(&c, &r("case:panjin-2018")),
        ItemState::Completed
    );
    assert_eq!(merged.state(&c, &r("case:fengqiao")), ItemState::NotStarted);

    // A file of nothing but future events changes nothing and says so.
    let only =
        file(&[r#"{"id":"e-1","at":253402300799999,"type":"display_name_set","name":"钉住"}"#]);
    let preview = preview_import(&current, &c, only.as_bytes(), NOW).unwrap();
    assert!(preview.changes_nothing());
    assert!(
        preview.summary().contains("导入不会改变任何内容"),
        "{}",
        preview.summary()
    );
}

#[test]
fn names_with_invisible_or_bidi_characters_are_refused_like_receipts() {
    let c = catalog();
    for name in [
        "张\u{202E}三",
        "张\u{200B}三",
        "\u{2066}张三\u{2069}",
        "张三\u{FE0F}",
        "\u{3164}",
        "张\u{E0041}三",
        "张\u{00AD}三",
    ] {
        let event =
            serde_json::json!({"id": "e-1", "at": T0, "type": "display_name_set", "name": name});
        let text = file(&[&event.to_string()]);
        let preview = preview_import(&Progress::new(), &c, text.as_bytes(), NOW).unwrap();
        assert_eq!(preview.incoming, 0, "{name:?}");
        assert_eq!(preview.display_name, None, "{name:?}");
        assert!(
            preview.problems[0].message.contains("不可见字符"),
            "{:?}",
            preview.problems
        );
        let mut p = Progress::new();
        assert_eq!(
            p.append("tab", T0, Payload::DisplayNameSet { name: name.into() }),
            Err(EventError::BadName)
        );
        assert!(p.is_empty());
    }
    // Schema 1 names go through the same check.
    let v1 = r#"{"schema":1,"name":"张\u202e三","items":{}}"#;
    let preview = preview_import(&Progress::new(), &c, v1.as_bytes(), NOW).unwrap();
    assert_eq!(preview.display_name, None);
    // Learner ids and event ids too.
    assert!(!Progress::new().adopt_learner("ab\u{200B}cd"));
    let hidden_id = Event::new("t\u{202E}-1", T0, Payload::Opened { item: r("case:a") });
    assert_eq!(hidden_id.validate(), Err(EventError::BadId));
}

#[test]
fn replay_clocks_are_checked_and_written_only_when_needed() {
    let open = |clock| Event {
        clock,
        ..Event::new("t-1", T0, Payload::Opened { item: r("case:a") })
    };
    assert_eq!(
        open(Some(T0 - 1)).validate(),
        Err(EventError::BadClock(T0 - 1))
    );
    assert_eq!(
        open(Some(model::MAX_CLOCK + 1)).validate(),
        Err(EventError::BadClock(model::MAX_CLOCK + 1))
    );
    assert_eq!(open(Some(T0 + 5)).validate(), Ok(()));
    // A clock equal to the date is the same event as none.
    let mut p = Progress::new();
    p.record(open(Some(T0))).unwrap();
    assert_eq!(p.record(open(None)), Ok(false));
    assert!(!p.to_json().unwrap().contains("clock"));
    // An ordinary append on a log with nothing ahead of the clock writes no clock.
    p.append("tab", T0 + MIN, Payload::Read { item: r("case:a") })
        .unwrap();
    assert_eq!(p.event("tab-1").unwrap().clock, None);
    // Two appends in the same millisecond still replay in the order made.
    p.append("tab", T0 + MIN, Payload::Opened { item: r("case:b") })
        .unwrap();
    let ids: Vec<&str> = p.events().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["t-1", "tab-1", "tab-2"]);
}

#[test]
fn a_record_of_a_newer_schema_is_shown_not_discarded() {
    use storage_format::{declared_schema, read_stored, ReadOnly, Stored};
    let newer = r#"{"schema":3,"format":"portal-learning-record","learner":"me","events":[
        {"id":"t-1","at":1795737600000,"type":"read","item":"case:panjin-2018"},
        {"id":"t-2","at":1795737600001,"type":"display_name_set","name":"新版"},
        {"id":"t-3","at":1795737600002,"type":"teleported","item":"case:fengqiao"}],
        "badges":[1,2,3]}"#;
    let Stored::Newer { found, shown } = read_stored(newer) else {
        panic!("a newer record is recognised");
    };
    assert_eq!(found, 3);
    assert_eq!(shown.len(), 2);
    assert_eq!(shown.display_name(), Some("新版"));
    assert_eq!(
        shown.state(&catalog(), &r("case:panjin-2018")),
        ItemState::Completed
    );
    // Even a newer record whose events this build cannot read at all is held, not replaced.
    let alien = r#"{"schema":7,"format":"portal-learning-record","log":"zipped"}"#;
    assert!(matches!(read_stored(alien), Stored::Newer { found: 7, shown } if shown.is_empty()));
    assert_eq!(declared_schema(alien), Some(7));
    assert_eq!(declared_schema(newer), Some(3));
    assert_eq!(
        declared_schema(&Progress::with_learner("x").to_json().unwrap()),
        Some(2)
    );
    assert!(ReadOnly::NewerVersion { found: 3 }.to_string().starts_with(
        "这份学习记录来自更新版本的平台（格式版本 3），本页只读显示；请刷新或更新后再修改"
    ));
    // The other kinds of stored record.
    assert!(matches!(
        read_stored(&Progress::new().to_json().unwrap()),
        Stored::Clean(_)
    ));
    assert!(matches!(
        read_stored(&file(&[
            r#"{"id":"t","at":1,"type":"read","item":"case:a"}"#
        ])),
        Stored::Partial(_)
    ));
    assert!(matches!(
        read_stored("{"),
        Stored::Unreadable(FormatError::Truncated)
    ));
}

/// Found by the e2e payload corpus: a file that reused the id of one of the device's events,
/// dated later, replaced it on 确认合并 (event ids are in every exported file). An import adds to
/// the device's record; it never replaces what is there.
#[test]
fn an_import_never_replaces_the_devices_own_events() {
    let c = catalog();
    let mut mine = Progress::with_learner("learner-b");
    let read = Event::new(
        "b-1",
        T0,
        Payload::Read {
            item: r("case:fengqiao"),
        },
    );
    mine.record(read.clone()).unwrap();
    let mut forged = Progress::with_learner("learner-b");
    forged
        .record(Event::new(
            "b-1",
            T0 + 5 * MIN,
            Payload::Opened {
                item: r("case:fengqiao"),
            },
        ))
        .unwrap();
    forged
        .record(Event::new(
            "x-1",
            T0 + 6 * MIN,
            Payload::Opened {
                item: r("workflow:sanhui"),
            },
        ))
        .unwrap();
    let file = export::json(&forged).unwrap();
    let preview = preview_import(&mine, &c, file.as_bytes(), NOW).unwrap();
    assert_eq!(
        (preview.incoming, preview.new_events, preview.clashing),
        (2, 1, 1)
    );
    let summary = preview.summary();
    assert!(
        summary.contains("1 条记录与本设备的记录编号相同但内容不同，不导入"),
        "{summary}"
    );
    let merged = preview.apply_to(&mine);
    assert_eq!(
        merged.event("b-1"),
        Some(&read),
        "the device's own event stays"
    );
    assert!(merged.event("x-1").is_some(), "the new event is added");
}
