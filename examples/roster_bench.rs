//! Benchmark: how long the trainer's largest allowed table takes to build (issue 14: under
//! 200 ms natively). A program that prints figures, not a timed test.
//!
//! ```sh
//! cargo run --release --example roster_bench            # 15 runs each
//! cargo run --release --example roster_bench -- 5       # fewer runs
//! ```
//!
//! It takes in, through the real intake rules ([`Roster::take`]), one receipt from each of
//! [`MAX_TABLE_ROWS`] workers for one assignment of [`MAX_ITEMS`] modules. Each receipt lists
//! [`MAX_RECEIPT_ITEMS`] items: the 60 assigned modules and 60 of 90 further items, a different
//! window per worker, so the table has the full [`MAX_TABLE_COLUMNS`] columns. It then times
//! `Roster::table` (the table the page draws), reading the stored roster back
//! (`Roster::read_json`, what opening the page does) and the CSV export, and replays the review's
//! attack (300 receipts of 120 distinct items each) to show what the caps keep of it.

use std::time::{Duration, Instant};

use portal::assign::{
    Assignment, Intake, QuizScore, Receipt, ReceiptItem, Roster, MAX_ITEMS, MAX_RECEIPT_ITEMS,
    MAX_TABLE_COLUMNS, MAX_TABLE_ROWS,
};
use portal::content::{Kind, Ref};
use portal::progress::NoCatalog;

const T0: u64 = 1_795_737_600_000;
const DAY: u64 = 86_400_000;
const ID: &str = "k3Vq9xZa";

fn item(kind: Kind, id: String) -> Ref {
    Ref {
        kind,
        id,
        anchor: None,
    }
}

fn assignment() -> Assignment {
    Assignment {
        id: ID.into(),
        title: "街道全体社区工作者轮训".into(),
        trainer: "街道党工委组织科".into(),
        note: String::new(),
        due: "2026-12-31".parse().expect("a valid date"),
        created: T0,
        items: (0..MAX_ITEMS)
            .map(|i| item(Kind::Module, format!("module-{i:02}")))
            .collect(),
    }
}

/// Worker `w`'s receipt: every assigned module, then a window of the further items.
fn receipt(a: &Assignment, w: usize) -> Receipt {
    let extra = MAX_TABLE_COLUMNS - MAX_ITEMS;
    let window = MAX_RECEIPT_ITEMS - MAX_ITEMS;
    let done = |n: usize| !(n + w).is_multiple_of(3);
    let mut items: Vec<ReceiptItem> = a
        .items
        .iter()
        .enumerate()
        .map(|(n, r)| ReceiptItem {
            item: r.clone(),
            assigned: true,
            completed_at: done(n).then_some(T0 + DAY + (n as u64) * 60_000),
            quiz: (n % 4 == 0).then_some(QuizScore {
                best: 60 + (w % 41) as u8,
                passed: w.is_multiple_of(2),
            }),
        })
        .collect();
    items.extend((0..window).map(|j| {
        let n = (w * 7 + j) % extra;
        ReceiptItem {
            item: item(Kind::Case, format!("case-{n:03}")),
            assigned: false,
            completed_at: done(n + 1).then_some(T0 + 2 * DAY),
            quiz: None,
        }
    }));
    Receipt {
        assignment: ID.into(),
        title: a.title.clone(),
        worker: format!("社区工作者{w:04}"),
        created: T0 + 3 * DAY + w as u64 * 1000,
        items,
    }
}

/// Median of `runs` timings of `f`.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15)
        .max(1);
    let now = T0 + 10 * DAY;
    let a = assignment();
    let receipts: Vec<Receipt> = (0..MAX_TABLE_ROWS).map(|w| receipt(&a, w)).collect();

    let mut roster = Roster::new();
    roster
        .add_assignment(a.clone())
        .expect("the assignment is valid");
    let start = Instant::now();
    for r in receipts {
        let intake = roster.take(r, now);
        assert_eq!(intake, Intake::New, "every receipt is within the caps");
    }
    let took = start.elapsed();

    let (build, table) = median(runs, || roster.table(ID).expect("the table is there"));
    assert_eq!(table.rows.len(), MAX_TABLE_ROWS);
    assert_eq!(table.columns.len(), MAX_TABLE_COLUMNS);
    let cells = table.rows.len() * table.columns.len();

    let json = roster.to_json().expect("the roster serialises");
    let (read, loaded) = median(runs.min(5), || Roster::read_json(&json));
    let loaded = loaded.expect("the stored roster reads back");
    assert!(loaded.left_out.is_empty());
    let (csv, text) = median(runs.min(5), || table.csv(&NoCatalog, 480));
    let csv_bytes = text.map(|t| t.len()).unwrap_or(0);

    // The review's attack: 300 receipts of one assignment, each listing 120 items no other lists.
    let mut attacked = Roster::new();
    let mut kept = 0;
    for w in 0..300 {
        let r = Receipt {
            assignment: "zzzz9999".into(),
            title: "【紧急】请全体学员重新登记".into(),
            worker: format!("w{w:03}"),
            created: T0,
            items: (0..MAX_RECEIPT_ITEMS)
                .map(|j| ReceiptItem {
                    item: item(Kind::Case, format!("x{w:03}-{j:03}")),
                    assigned: true,
                    completed_at: None,
                    quiz: None,
                })
                .collect(),
        };
        kept += usize::from(attacked.take(r, now).changes());
    }
    let (attack_build, attack) = median(runs, || attacked.table("zzzz9999"));
    let attack = attack.expect("the kept receipts make a table");

    println!("Roster benchmark (median of {runs} runs, release build expected)");
    println!(
        "largest allowed table: {} rows x {} columns = {cells} cells",
        table.rows.len(),
        table.columns.len()
    );
    println!(
        "  Roster::table          {:>10}   (goal: under 200 ms)",
        ms(build)
    );
    println!(
        "  Roster::take x {:<5}   {:>10}   (taking in every receipt, one by one)",
        MAX_TABLE_ROWS,
        ms(took)
    );
    println!(
        "  Roster::read_json      {:>10}   ({} kB stored)",
        ms(read),
        json.len() / 1000
    );
    println!(
        "  Table::csv             {:>10}   ({} kB)",
        ms(csv),
        csv_bytes / 1000
    );
    println!(
        "attack, 300 receipts x 120 distinct items: {kept} kept, table {} x {}, built in {}",
        attack.rows.len(),
        attack.columns.len(),
        ms(attack_build)
    );
}
