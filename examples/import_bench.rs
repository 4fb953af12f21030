//! How long the import preview takes for the largest accepted file merged over a large record.
//!
//! Run with `cargo run --release --example import_bench`. It builds a record of about 5 MB on
//! "this device" and an export file just under the 5 MB import limit from "another device" that
//! shares a quarter of its events, then times `preview_import` (decode, dedup against the current
//! record, merge, and the list of state changes) and `ImportPreview::apply_to`. Every event is on
//! its own item, the worst case for the list of changes. The goal is under one second natively.

use std::time::{Duration, Instant};

use portal::content::Ref;
use portal::progress::{
    export, preview_import, storage_format, Event, NoCatalog, Payload, Progress, MAX_IMPORT_BYTES,
};

/// 2026-11-27T00:00:00Z.
const T0: u64 = 1_795_737_600_000;
/// The importing device's clock: a year later, so no event is refused as dated in the future.
const NOW: u64 = T0 + 365 * 86_400_000;

fn case(n: usize) -> Ref {
    format!("case:item-{n}").parse().expect("a valid reference")
}

/// `events` events of `writer`, alternating opened / ticked / read, each on its own item from
/// `first_item`.
fn device(writer: &str, first_item: usize, events: usize) -> Progress {
    let mut p = Progress::with_learner(format!("{writer}-learner"));
    for n in 0..events {
        let item = case(first_item + n);
        let payload = match n % 3 {
            0 => Payload::Opened { item },
            1 => Payload::StepTicked {
                item: format!("workflow:flow-{}", first_item + n)
                    .parse()
                    .expect("ref"),
                step: n % 7,
                done: n % 2 == 0,
            },
            _ => Payload::Read { item },
        };
        let id = format!("{writer}-{}", n + 1);
        p.record(Event::new(id, T0 + n as u64 * 1000, payload))
            .expect("a valid event");
    }
    p
}

/// CPU time this process has used so far (user + system), from `/proc/self/stat` on Linux: on
/// a shared machine the wall clock also counts the time other programs had the CPU.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // Grow the file until it is as large as an import may be.
    let mut events = 40_000;
    let (current, file) = loop {
        let current = device("phone0001", 0, events);
        let mut other = device("laptop01", events, events * 3 / 4);
        // A quarter of the file is events this device already has.
        let shared = device("phone0001", 0, events / 4);
        other = other.merge(&shared);
        let file = export::json(&other).expect("export");
        if file.len() > MAX_IMPORT_BYTES * 95 / 100 || file.len() > MAX_IMPORT_BYTES {
            break (current, file);
        }
        events = events * 11 / 10;
    };
    let current_bytes = export::json(&current).expect("export").len();
    println!(
        "current record: {} events, {:.2} MB; import file: {:.2} MB",
        current.len(),
        current_bytes as f64 / 1_048_576.0,
        file.len() as f64 / 1_048_576.0
    );

    let mut preview_times = Vec::new();
    let mut preview_cpu = Vec::new();
    let mut apply_times = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let (start, cpu_start) = (Instant::now(), cpu_time());
        let preview = preview_import(&current, &NoCatalog, file.as_bytes(), NOW).expect("preview");
        preview_times.push(start.elapsed());
        if let (Some(a), Some(b)) = (cpu_start, cpu_time()) {
            preview_cpu.push(b.saturating_sub(a));
        }
        let start = Instant::now();
        let merged = preview.apply_to(&current);
        apply_times.push(start.elapsed());
        last = Some((preview, merged.len()));
    }
    let (preview, merged) = last.expect("ran");
    // Where the time goes, phase by phase.
    let phase = |f: &dyn Fn()| {
        median(
            (0..5)
                .map(|_| {
                    let start = Instant::now();
                    f();
                    start.elapsed()
                })
                .collect(),
        )
    };
    let decode = phase(&|| {
        storage_format::decode(&file).expect("decode");
    });
    let parse = phase(&|| {
        serde_json::from_str::<serde_json::Value>(&file).expect("json");
    });
    let decoded = storage_format::decode(&file).expect("decode").progress;
    let statuses = phase(&|| {
        current.statuses(&NoCatalog);
    });
    let sort = phase(&|| {
        current.events();
    });
    let merge = phase(&|| {
        current.merge(&decoded);
    });
    println!(
        "phases (median of 5): JSON parse {:.3} s, decode (parse and check) {:.3} s, replay and statuses of the current record {:.3} s, of which replay order {:.3} s, merge {:.3} s",
        parse.as_secs_f64(),
        decode.as_secs_f64(),
        statuses.as_secs_f64(),
        sort.as_secs_f64(),
        merge.as_secs_f64()
    );
    println!(
        "preview: {} incoming, {} new, {} already here, {} items change; merged record: {} events",
        preview.incoming,
        preview.new_events,
        preview.already_here,
        preview.changes.len(),
        merged
    );
    println!(
        "preview_import (median of 5): {:.3} s",
        median(preview_times).as_secs_f64()
    );
    if !preview_cpu.is_empty() {
        println!(
            "preview_import CPU time (median of 5, 10 ms resolution): {:.2} s",
            median(preview_cpu).as_secs_f64()
        );
    }
    println!(
        "apply_to (median of 5): {:.3} s",
        median(apply_times).as_secs_f64()
    );
}
