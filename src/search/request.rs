//! One search as a page runs it, in the way `pagefind_web` answers: ask the index with a
//! [`Request`]; it either names the files it still needs ([`Step::Fetch`]: term shards, text
//! shards), which the caller fetches, adds with [`SearchIndex::add_file`] and asks again, or it
//! gives the rows ready to show ([`Step::Done`]). The caller's loop holds no search logic:
//! limits, which texts the shown rows need, snippets and the status line are decided here.
//!
//! Every [`Step::Fetch`] names only files that are not loaded, so a loop that adds what it
//! fetched ends: each round loads at least one more of a finite number of files.

use super::index::SearchIndex;
use super::query::{Answer, Filters, Ranking, Segment};

/// How many results are verified and shown at first; "继续查找" asks for the rest.
pub const FIRST_PAGE: usize = 50;

/// How many characters of text a row's snippet shows.
pub const SNIPPET_CHARS: usize = 80;

/// What a page asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub query: String,
    pub filters: Filters,
    /// At most this many verified results (only their text is fetched); `None` verifies every
    /// candidate.
    pub limit: Option<usize>,
}

impl Request {
    /// The first page of results: the best [`FIRST_PAGE`] verified ones.
    pub fn first_page(query: String, filters: Filters) -> Request {
        Request {
            query,
            filters,
            limit: Some(FIRST_PAGE),
        }
    }

    /// Every result, every candidate verified.
    pub fn all(query: String, filters: Filters) -> Request {
        Request {
            query,
            filters,
            limit: None,
        }
    }
}

/// One round of a search.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Fetch these files (names relative to the index root), add them, and ask again.
    Fetch(Vec<String>),
    Done(Found),
}

/// One result, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// What the result points to, e.g. `case:panjin-2018`.
    pub key: String,
    pub title: String,
    /// Matched through the pinyin of a title, tag or heading rather than the text.
    pub by_pinyin: bool,
    /// A passage around the first match, matches marked.
    pub snippet: Vec<Segment>,
}

/// The results of a request, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub rows: Vec<Row>,
    /// Candidates not verified because of the limit; [`Request::all`] verifies them.
    pub unverified: usize,
}

impl Found {
    /// Nothing found, and nothing left to verify.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.unverified == 0
    }

    /// The line above the results.
    ///
    /// ```
    /// use portal::search::request::Found;
    /// assert_eq!(Found::default().status(), "共 0 条结果");
    /// assert_eq!(Found { unverified: 3, ..Found::default() }.status(), "前 0 条结果，另有 3 篇可能相关");
    /// ```
    pub fn status(&self) -> String {
        let count = self.rows.len();
        if self.unverified > 0 {
            format!("前 {count} 条结果，另有 {} 篇可能相关", self.unverified)
        } else if count >= FIRST_PAGE {
            format!("前 {count} 条结果")
        } else {
            format!("共 {count} 条结果")
        }
    }
}

impl SearchIndex {
    /// One round of `request`: the files still needed, or the rows. With a limit, at most that
    /// many rows, and only their text is needed.
    ///
    /// ```
    /// use portal::search::index::{DocInput, Field, IndexBuilder, SearchIndex};
    /// use portal::search::request::{Request, Step};
    /// let mut b = IndexBuilder::default();
    /// b.add(DocInput { key: "case:a".into(), title: "党建".into(), parts: vec![(Field::Body, "社区党建中心".into())], ..Default::default() });
    /// let index = SearchIndex::from_bytes(&b.build().files[0].1).unwrap();
    /// let Step::Done(found) = index.step(&Request::first_page("黨建".into(), Default::default())) else { panic!() };
    /// assert_eq!(found.rows[0].key, "case:a");
    /// assert!(found.rows[0].snippet.iter().any(|s| s.matched && s.text == "党建"));
    /// ```
    pub fn step(&self, request: &Request) -> Step {
        let results = match self.answer(
            &request.query,
            &request.filters,
            &Ranking::default(),
            request.limit,
        ) {
            Answer::Need(files) => return Step::Fetch(files),
            Answer::Ready(results) => results,
        };
        let mut hits = results.hits;
        if let Some(limit) = request.limit {
            hits.truncate(limit);
        }
        // Exact queries are answered from the postings alone; the rows still need their text.
        let missing = self.missing_texts(hits.iter().map(|h| h.doc));
        if !missing.is_empty() {
            return Step::Fetch(missing);
        }
        let rows = hits
            .iter()
            .filter_map(|h| {
                let doc = self.doc(h.doc)?;
                Some(Row {
                    key: doc.key.clone(),
                    title: doc.title.clone(),
                    by_pinyin: h.by_pinyin,
                    snippet: self.snippet(h.doc, &request.query, SNIPPET_CHARS),
                })
            })
            .collect();
        Step::Done(Found {
            rows,
            unverified: results.unverified,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::search::index::{Built, DocInput, Field, IndexBuilder, ShardPlan};

    fn corpus() -> IndexBuilder {
        let words = [
            "党建", "网格", "志愿", "服务", "中心", "议事", "居民", "楼栋",
        ];
        let mut b = IndexBuilder::default();
        for i in 0..120 {
            let text: String = (0..6)
                .map(|k| words[(i * 7 + k * 3) % words.len()])
                .collect();
            b.add(DocInput {
                key: format!("case:d{i}"),
                title: format!("第{i}篇"),
                kind: "case".into(),
                parts: vec![
                    (Field::Title, format!("第{i}篇")),
                    (Field::Body, format!("{text}，第{i}号")),
                ],
                pinyin: crate::search::pinyin::keys(&format!("第{i}篇"), true),
                ..Default::default()
            });
        }
        b
    }

    fn sharded() -> Built {
        corpus().build_with(&ShardPlan {
            single_file_max: 0,
            term_shard_bytes: 300,
            docs_per_text_shard: 4,
        })
    }

    /// The app's loop: ask, fetch what is named, add it, ask again. Returns the rows and every
    /// round's file list.
    fn run(index: &mut SearchIndex, built: &Built, request: &Request) -> (Found, Vec<Vec<String>>) {
        let files: HashMap<&str, &[u8]> = built
            .files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let mut rounds = Vec::new();
        loop {
            match index.step(request) {
                Step::Done(found) => return (found, rounds),
                Step::Fetch(names) => {
                    assert!(!names.is_empty(), "asked for nothing");
                    assert!(rounds.len() <= built.files.len(), "no progress: {rounds:?}");
                    for n in &names {
                        let before = index.loaded();
                        index.add_file(n, files[n.as_str()]).unwrap();
                        assert_ne!(index.loaded(), before, "{n} was already loaded");
                    }
                    rounds.push(names);
                }
            }
        }
    }

    #[test]
    fn a_one_file_index_answers_in_one_round_with_rows_ready_to_show() {
        let index = SearchIndex::from_bytes(&corpus().build().files[0].1).unwrap();
        let Step::Done(found) = index.step(&Request::first_page("黨建".into(), Filters::default()))
        else {
            panic!("a one-file index needs nothing");
        };
        assert!(!found.rows.is_empty());
        for row in &found.rows {
            assert!(row.key.starts_with("case:d"), "{row:?}");
            assert!(row.title.starts_with('第'), "{row:?}");
            let marked: Vec<&str> = row
                .snippet
                .iter()
                .filter(|s| s.matched)
                .map(|s| s.text.as_str())
                .collect();
            assert!(marked.contains(&"党建"), "{row:?}");
        }
        assert_eq!(found.unverified, 0, "a one-file index has every text");
        assert_eq!(found.rows.len(), FIRST_PAGE);
        assert_eq!(found.status(), "前 50 条结果");
    }

    #[test]
    fn a_sharded_index_names_what_it_needs_until_the_rows_equal_the_one_file_rows() {
        let single = SearchIndex::from_bytes(&corpus().build().files[0].1).unwrap();
        let built = sharded();
        for q in ["党建", "网格志愿", "党建 中心", "中", "第7号", "di7pian"] {
            for request in [
                Request::first_page(q.into(), Filters::default()),
                Request::all(q.into(), Filters::default()),
            ] {
                let mut index = SearchIndex::from_bytes(&built.files[0].1).unwrap();
                let (found, rounds) = run(&mut index, &built, &request);
                let Step::Done(want) = single.step(&request) else {
                    panic!("a one-file index needs nothing");
                };
                // The same rows; a split index counts what it did not verify, a one-file index
                // has every text, so it verifies everything it shows.
                assert!(found.rows == want.rows, "{request:?}");
                if request.limit.is_none() {
                    assert_eq!(found.unverified, 0, "{request:?}");
                }
                assert!(!rounds.is_empty(), "{q}: a split root has no shard loaded");
                // Asked again, the loaded index answers at once.
                assert!(index.step(&request) == Step::Done(found), "{request:?}");
            }
        }
    }

    #[test]
    fn the_first_page_is_limited_and_fetches_less_than_all() {
        let built = sharded();
        let q = "党建服务居民";
        let mut index = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        let (all, all_rounds) = run(
            &mut index,
            &built,
            &Request::all(q.into(), Filters::default()),
        );
        assert!(all.rows.len() > 5, "{}", all.rows.len());
        assert_eq!(all.unverified, 0);
        let mut index = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        let limited = Request {
            limit: Some(3),
            ..Request::all(q.into(), Filters::default())
        };
        let (first, rounds) = run(&mut index, &built, &limited);
        assert_eq!(first.rows.len(), 3);
        assert!(first.unverified > 0);
        assert_eq!(
            first.status(),
            format!("前 3 条结果，另有 {} 篇可能相关", first.unverified)
        );
        let fetched = |r: &[Vec<String>]| r.iter().map(Vec::len).sum::<usize>();
        assert!(fetched(&rounds) < fetched(&all_rounds));
        assert!(first.rows.iter().all(|r| all.rows.contains(r)));
    }

    #[test]
    fn exact_queries_fetch_only_the_text_of_the_rows_shown() {
        let built = sharded();
        let mut index = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        let request = Request {
            limit: Some(2),
            ..Request::all("党建".into(), Filters::default())
        };
        let (found, rounds) = run(&mut index, &built, &request);
        assert_eq!(found.rows.len(), 2);
        assert_eq!(
            rounds.len(),
            2,
            "the term shard, then the rows' text: {rounds:?}"
        );
        assert!(rounds[1].iter().all(|n| n.starts_with('t')), "{rounds:?}");
        assert!(rounds[1].len() <= 2, "{rounds:?}");
    }

    #[test]
    fn empty_queries_and_filters_that_match_nothing_find_nothing() {
        let index = SearchIndex::from_bytes(&corpus().build().files[0].1).unwrap();
        for request in [
            Request::first_page(String::new(), Filters::default()),
            Request::first_page("   ".into(), Filters::default()),
            Request::first_page(
                "党建".into(),
                Filters {
                    kind: Some("module".into()),
                    ..Filters::default()
                },
            ),
        ] {
            let Step::Done(found) = index.step(&request) else {
                panic!("{request:?} needs nothing");
            };
            assert!(found.is_empty(), "{request:?}");
        }
    }

    #[test]
    fn the_status_line_says_how_many_and_whether_there_may_be_more() {
        let row = Row {
            key: "case:a".into(),
            title: "a".into(),
            by_pinyin: false,
            snippet: Vec::new(),
        };
        let found = |n: usize, unverified: usize| Found {
            rows: vec![row.clone(); n],
            unverified,
        };
        assert_eq!(found(3, 0).status(), "共 3 条结果");
        assert_eq!(found(FIRST_PAGE, 0).status(), "前 50 条结果");
        assert_eq!(
            found(FIRST_PAGE, 7).status(),
            "前 50 条结果，另有 7 篇可能相关"
        );
        assert!(found(0, 0).is_empty());
        assert!(!found(0, 1).is_empty());
    }
}
