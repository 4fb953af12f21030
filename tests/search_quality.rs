//! Search quality on the real content: full pinyin, spaced pinyin and initials queries built from every
//! item's title must put that item in the top 3 (goal: at least 95%). Prints the figures.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use portal::search::normalize::is_han;
use portal::search::pinyin::readings;
use portal::search::{Filters, Ranking, SearchIndex};
use portal::site::{check_folder, search_index};

fn index() -> SearchIndex {
    let checked = check_folder(Path::new("content"));
    assert_eq!(checked.errors(), 0);
    let built = search_index(&checked);
    // Today's content is one file with every shard inside.
    assert_eq!(built.files.len(), 1);
    SearchIndex::from_bytes(&built.files[0].1).unwrap()
}

/// The first four Chinese characters of a title after its place name prefix, as a user would
/// type the topic (e.g. 辽宁盘锦：以改革破题 → 以改革破).
fn topic(title: &str) -> String {
    let after = title.split(['：', ':']).nth(1).unwrap_or(title);
    after.chars().filter(|c| is_han(*c)).take(4).collect()
}

fn rank_of(index: &SearchIndex, q: &str, key: &str) -> Option<usize> {
    index
        .search(q, &Filters::default(), &Ranking::default())
        .iter()
        .position(|h| index.doc(h.doc).is_some_and(|d| d.key == key))
}

#[test]
fn pinyin_and_initials_queries_find_the_item_in_the_top_3() {
    let index = index();
    let mut total = 0;
    let mut hits = 0;
    let mut misses = Vec::new();
    for doc in (0..index.len() as u32).filter_map(|d| index.doc(d)) {
        for phrase in [
            doc.title
                .chars()
                .filter(|c| is_han(*c))
                .take(4)
                .collect::<String>(),
            topic(&doc.title),
        ] {
            let Some(syllables) = readings(&phrase).into_iter().next() else {
                continue;
            };
            let full = syllables.concat();
            let spaced = syllables.join(" ");
            let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
            for q in [full, spaced, initials] {
                total += 1;
                match rank_of(&index, &q, &doc.key) {
                    Some(r) if r < 3 => hits += 1,
                    r => misses.push(format!("{q} → {} (rank {r:?})", doc.key)),
                }
            }
        }
    }
    let rate = hits as f64 / total as f64;
    println!("pinyin/initials queries: {hits}/{total} = {rate:.3} in the top 3");
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(rate >= 0.95, "{rate:.3}: {misses:#?}");
}
