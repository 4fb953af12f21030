//! Answering a query: candidates from the postings of each group's terms (AND), verified against
//! the stored text so every result contains every group as written, ranked by BM25 with field
//! boosts and an adjacency bonus; pinyin keys of titles, tags and headings for Latin queries.

use std::collections::HashMap;

use super::index::{Postings, SearchIndex, HEADING, TITLE};
use super::normalize::{is_han, Mapped};
use super::tokenize::{self, Group};

/// A lone Chinese character (a one-character query).
fn lone_han(term: &str) -> bool {
    let mut chars = term.chars();
    chars.next().is_some_and(is_han) && chars.next().is_none()
}

/// Ranking knobs, documented field by field.
#[derive(Clone, Copy, Debug)]
pub struct Ranking {
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalisation (0 = none, 1 = full).
    pub b: f32,
    /// Multiplier for a term found in the title.
    pub title_boost: f32,
    /// Multiplier for a term found in a heading or tag.
    pub heading_boost: f32,
    /// Added when all groups of a multi-group query stand next to each other in the text.
    pub adjacency_bonus: f32,
    /// Score of a pinyin match in a title (tags and headings get half).
    pub pinyin_score: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            k1: 1.2,
            b: 0.75,
            title_boost: 3.0,
            heading_boost: 1.5,
            adjacency_bonus: 2.0,
            pinyin_score: 6.0,
        }
    }
}

/// Restricts results; empty means no restriction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: Option<String>,
    pub tag: Option<String>,
    pub region: Option<String>,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// True when the document matched through pinyin rather than the text.
    pub by_pinyin: bool,
}

/// A piece of a snippet: text, and whether it is part of a match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub matched: bool,
}

/// What a search needs before it can answer: shard files to fetch (names relative to the root).
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Fetch these files, add them with [`SearchIndex::add_file`], and ask again.
    Need(Vec<String>),
    Ready(Results),
}

/// Verified results, best first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Candidates not verified yet because a limit was reached and their text is not loaded;
    /// asking again without a limit verifies them (each may or may not be a result).
    pub unverified: usize,
}

/// Filters resolved to the root's codes; `None` inside means "no such value", so nothing passes.
struct ResolvedFilters {
    kind: Option<Option<u32>>,
    tag: Option<Option<u32>>,
    region: Option<Option<u32>>,
}

impl SearchIndex {
    fn resolve(&self, f: &Filters) -> ResolvedFilters {
        let find = |v: &Option<String>, table: &[String]| {
            v.as_ref()
                .map(|v| table.iter().position(|t| t == v).map(|i| i as u32))
        };
        ResolvedFilters {
            kind: find(&f.kind, &self.kinds),
            tag: find(&f.tag, &self.tags),
            region: find(&f.region, &self.regions),
        }
    }

    fn passes(&self, doc: u32, c: &ResolvedFilters) -> bool {
        let d = &self.meta[doc as usize];
        c.kind.is_none_or(|k| k == Some(d.kind))
            && c.region.is_none_or(|r| r == Some(d.region))
            && c.tag.is_none_or(|t| t.is_some_and(|t| d.tags.contains(&t)))
    }

    /// The term shards a query's terms live in. A lone Chinese character also matches bigrams
    /// ending with it, which can be in any shard, so it needs them all.
    fn shards_for(&self, groups: &[Group]) -> Vec<u32> {
        let n = self.term_shard_count();
        let mut out = Vec::new();
        for t in groups.iter().flat_map(|g| &g.terms) {
            if lone_han(t) {
                return (0..n).collect();
            }
            out.push(self.key.of(t));
        }
        out
    }

    /// The postings a group's term stands for: its own, all terms it prefixes (words), or every
    /// bigram containing it (a lone Chinese character). Only called with the shards loaded.
    fn term_postings(&self, term: &str) -> Vec<&Postings> {
        let n = self.term_shard_count();
        let Some(own) = self.term_shard(self.key.of(term)) else {
            return Vec::new();
        };
        if lone_han(term) {
            let c = term.chars().next().unwrap_or_default();
            // The character's own term, and every bigram starting or ending with it, which can be
            // in any shard: only one-character queries pay for this scan.
            let mut out: Vec<&Postings> = own.postings(term).into_iter().collect();
            for s in (0..n).filter_map(|s| self.term_shard(s)) {
                out.extend(
                    s.terms
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| {
                            let mut cs = t.chars();
                            let (a, b) = (cs.next(), cs.next());
                            b.is_some() && cs.next().is_none() && (a == Some(c) || b == Some(c))
                        })
                        .map(|(i, _)| &s.postings[i]),
                );
            }
            out
        } else if term.chars().all(|c| !is_han(c)) {
            own.with_prefix(term).map(|i| &own.postings[i]).collect()
        } else {
            own.postings(term).into_iter().collect()
        }
    }

    /// Documents containing all terms of a group, with their BM25 score for the group.
    fn group_candidates(&self, group: &Group, ranking: &Ranking) -> HashMap<u32, f32> {
        let n = self.len() as f32;
        let mut result: Option<HashMap<u32, f32>> = None;
        // Rarest terms first keeps the intersection small.
        let mut lists: Vec<Vec<&Postings>> =
            group.terms.iter().map(|t| self.term_postings(t)).collect();
        lists.sort_by_key(|l| l.iter().map(|p| p.docs.len()).sum::<usize>());
        for list in lists {
            let mut scores: HashMap<u32, f32> = HashMap::new();
            for p in list {
                let df = p.docs.len() as f32;
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                for (i, &d) in p.docs.iter().enumerate() {
                    if result.as_ref().is_some_and(|r| !r.contains_key(&d)) {
                        continue;
                    }
                    let len = self.meta[d as usize].len as f32;
                    let tf = p.tf[i] as f32;
                    let norm = tf * (ranking.k1 + 1.0)
                        / (tf + ranking.k1 * (1.0 - ranking.b + ranking.b * len / self.avg_len));
                    let boost = if p.flags[i] & TITLE != 0 {
                        ranking.title_boost
                    } else if p.flags[i] & HEADING != 0 {
                        ranking.heading_boost
                    } else {
                        1.0
                    };
                    *scores.entry(d).or_default() += idf * norm * boost;
                }
            }
            result = Some(match result {
                None => scores,
                Some(prev) => scores
                    .into_iter()
                    .filter_map(|(d, s)| prev.get(&d).map(|p| (d, p + s)))
                    .collect(),
            });
        }
        result.unwrap_or_default()
    }

    /// Searches a fully loaded index (every shard added): every group must be contained in a
    /// result (AND), results best first; ties keep index order. Latin-letter queries also match
    /// pinyin of titles, tags and headings. Shards that are not loaded count as empty; use
    /// [`SearchIndex::answer`] to learn what to fetch.
    ///
    /// ```
    /// use portal::search::index::{DocInput, Field, IndexBuilder, SearchIndex};
    /// use portal::search::query::{Filters, Ranking};
    /// let mut b = IndexBuilder::default();
    /// b.add(DocInput { key: "a".into(), parts: vec![(Field::Body, "社区党建中心开放".into())], ..Default::default() });
    /// b.add(DocInput { key: "b".into(), parts: vec![(Field::Body, "党员中心户和建设".into())], ..Default::default() });
    /// let index = SearchIndex::from_bytes(&b.build().files[0].1).unwrap();
    /// let hits = index.search("黨建中心", &Filters::default(), &Ranking::default());
    /// assert_eq!(hits.len(), 1);
    /// assert_eq!(index.doc(hits[0].doc).unwrap().key, "a");
    /// ```
    pub fn search(&self, query: &str, filters: &Filters, ranking: &Ranking) -> Vec<Hit> {
        match self.answer(query, filters, ranking, None) {
            Answer::Ready(r) => r.hits,
            Answer::Need(_) => Vec::new(),
        }
    }

    /// Answers a query, or says which shard files it needs first. With a `limit`, candidates are
    /// verified in order of their score until `limit` results are found, so only the text of
    /// those (and of the candidates that failed) has to be fetched; the rest are counted in
    /// [`Results::unverified`]. A group that is a single term (`党建`, `xapi`) needs no
    /// verification: its postings are exact.
    pub fn answer(
        &self,
        query: &str,
        filters: &Filters,
        ranking: &Ranking,
        limit: Option<usize>,
    ) -> Answer {
        let groups = tokenize::query(self.normalizer(), query);
        if groups.is_empty() {
            return Answer::Ready(Results::default());
        }
        let missing = self.missing_terms(self.shards_for(&groups));
        if !missing.is_empty() {
            return Answer::Need(missing);
        }
        let codes = self.resolve(filters);
        let mut combined: Option<HashMap<u32, f32>> = None;
        for g in &groups {
            let c = self.group_candidates(g, ranking);
            combined = Some(match combined {
                None => c,
                Some(prev) => c
                    .into_iter()
                    .filter_map(|(d, s)| prev.get(&d).map(|p| (d, p + s)))
                    .collect(),
            });
        }
        let mut candidates: Vec<(u32, f32)> = combined
            .unwrap_or_default()
            .into_iter()
            .filter(|(d, _)| self.passes(*d, &codes))
            .collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

        let exact = groups
            .iter()
            .all(|g| g.terms.len() == 1 && g.terms[0].chars().eq(g.text.iter().copied()));
        let adjacency = groups.len() > 1;
        let joined: Vec<char> = groups.iter().flat_map(|g| g.text.iter().copied()).collect();
        let mut hits: Vec<Hit> = Vec::new();
        let mut need: Vec<u32> = Vec::new();
        let mut unverified = 0;
        // Text is needed to verify a phrase made of several terms and for the adjacency bonus.
        let needs_text = !exact || adjacency;
        for (d, score) in candidates {
            let doc = if needs_text { self.doc(d) } else { None };
            let bonus = match doc {
                None if needs_text => {
                    if limit.is_some_and(|l| hits.len() + need.len() >= l) {
                        unverified += 1;
                        continue;
                    }
                    if !exact {
                        need.push(d);
                        continue;
                    }
                    // Exact but the adjacency bonus is unknown without the text: a result all
                    // the same, ranked without the bonus.
                    0.0
                }
                None => 0.0,
                Some(doc) => {
                    let text = &doc.mapped(self.normalizer()).chars;
                    if !exact && !groups.iter().all(|g| contains(text, &g.text)) {
                        continue;
                    }
                    if adjacency && contains(text, &joined) {
                        ranking.adjacency_bonus
                    } else {
                        0.0
                    }
                }
            };
            hits.push(Hit {
                doc: d,
                score: score + bonus,
                by_pinyin: false,
            });
        }
        if !need.is_empty() {
            return Answer::Need(self.missing_texts(need));
        }
        let latin: String = query
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if !latin.is_empty() && latin.len() <= 40 && latin.chars().all(|c| c.is_ascii_lowercase()) {
            let found: std::collections::HashSet<u32> = hits.iter().map(|h| h.doc).collect();
            for (d, meta) in self.meta.iter().enumerate() {
                let d = d as u32;
                if found.contains(&d) || !self.passes(d, &codes) {
                    continue;
                }
                let best = meta
                    .pinyin
                    .iter()
                    .filter(|key| pinyin_matches(&key.syllables, &latin))
                    .map(|key| {
                        if key.title {
                            ranking.pinyin_score
                        } else {
                            ranking.pinyin_score / 2.0
                        }
                    })
                    .fold(0.0f32, f32::max);
                if best > 0.0 {
                    hits.push(Hit {
                        doc: d,
                        score: best,
                        by_pinyin: true,
                    });
                }
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        Answer::Ready(Results { hits, unverified })
    }

    /// A short passage of a document around the first match of the query, split into matched
    /// and unmatched pieces of the original text (the UI renders them as text, never as HTML).
    pub fn snippet(&self, doc: u32, query: &str, width: usize) -> Vec<Segment> {
        let Some(d) = self.doc(doc) else {
            return Vec::new();
        };
        let m = d.mapped(self.normalizer());
        let groups = tokenize::query(self.normalizer(), query);
        let mut marks = vec![false; m.chars.len()];
        for g in &groups {
            let n = g.text.len();
            let mut i = 0;
            while n > 0 && i + n <= m.chars.len() {
                if m.chars[i..i + n] == g.text[..] {
                    marks[i..i + n].iter_mut().for_each(|x| *x = true);
                    i += n;
                } else {
                    i += 1;
                }
            }
        }
        // Skip the title line (shown separately) when the match is also further in.
        let body_start = m.chars.iter().position(|c| *c == '\n').map_or(0, |p| p + 1);
        let first = marks[body_start..]
            .iter()
            .position(|x| *x)
            .map(|p| p + body_start)
            .or_else(|| marks.iter().position(|x| *x))
            .unwrap_or(body_start.min(m.chars.len()));
        let start =
            first
                .saturating_sub(width / 3)
                .max(if first >= body_start { body_start } else { 0 });
        let end = (start + width).min(m.chars.len());
        let cut_before = start > body_start || (first < body_start && start > 0);
        segments(&d.text, m, &marks, start, end, cut_before)
    }
}

fn segments(
    text: &str,
    m: &Mapped,
    marks: &[bool],
    start: usize,
    end: usize,
    cut_before: bool,
) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    if start >= end {
        return out;
    }
    let mut i = start;
    while i < end {
        let matched = marks[i];
        let mut j = i;
        while j < end && marks[j] == matched {
            j += 1;
        }
        let from = m.origin[i].0 as usize;
        let to = m.origin[j - 1].1 as usize;
        let piece = text.get(from..to).unwrap_or_default().replace('\n', " ");
        // Several normalised characters can come from one original one: don't repeat it.
        if let Some(last) = out.last_mut() {
            if from < m.origin[i.saturating_sub(1)].1 as usize && i > start {
                last.matched |= matched;
                i = j;
                continue;
            }
        }
        out.push(Segment {
            text: piece,
            matched,
        });
        i = j;
    }
    if cut_before {
        if let Some(f) = out.first_mut() {
            f.text.insert(0, '…');
        }
    }
    if end < m.chars.len() {
        if let Some(l) = out.last_mut() {
            l.text.push('…');
        }
    }
    out
}

/// True when `needle` occurs in `hay`.
fn contains(hay: &[char], needle: &[char]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// True when `q` (lowercase letters, no spaces) spells a run of the phrase's syllables: in full
/// (the last one may be cut short: `dangji`), or by initials (`djzx`).
pub fn pinyin_matches(phrase: &[String], q: &str) -> bool {
    if q.len() < 2 {
        return false;
    }
    for start in 0..phrase.len() {
        let mut rest = q;
        for s in &phrase[start..] {
            if let Some(r) = rest.strip_prefix(s.as_str()) {
                rest = r;
            } else if s.starts_with(rest) {
                rest = "";
            } else {
                break;
            }
            if rest.is_empty() {
                return true;
            }
        }
        let initials: String = phrase[start..]
            .iter()
            .filter_map(|s| s.chars().next())
            .collect();
        if initials.starts_with(q) {
            return true;
        }
    }
    false
}

// The tests build indexes with pinyin keys, which only the native side makes.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::search::index::{DocInput, Field, IndexBuilder};

    fn doc(key: &str, title: &str, body: &str) -> DocInput {
        DocInput {
            key: key.into(),
            title: title.into(),
            kind: if key.starts_with('w') {
                "workflow"
            } else {
                "case"
            }
            .into(),
            tags: vec![if key == "a" { "grid" } else { "other" }.into()],
            region: if key == "a" { "辽宁省" } else { "北京市" }.into(),
            parts: vec![(Field::Title, title.into()), (Field::Body, body.into())],
            pinyin: crate::search::pinyin::keys(title, true),
        }
    }

    fn index() -> SearchIndex {
        let mut b = IndexBuilder::default();
        b.add(doc(
            "a",
            "盘锦党建中心",
            "四级党建中心上下贯通，网格员走访居民。",
        ));
        b.add(doc("b", "街乡吹哨", "党建工作和中心任务结合，部门报到。"));
        b.add(doc(
            "w1",
            "三会一课",
            "支部委员会一般每月召开1次，XAPI 与 xAPI-2 记录。",
        ));
        SearchIndex::from_bytes(&b.build().files[0].1).unwrap()
    }

    fn keys(ix: &SearchIndex, q: &str) -> Vec<String> {
        ix.search(q, &Filters::default(), &Ranking::default())
            .iter()
            .map(|h| ix.doc(h.doc).unwrap().key.clone())
            .collect()
    }

    #[test]
    fn candidates_are_verified_so_results_contain_the_query() {
        let ix = index();
        // b has 党建 and 中心 but not 党建中心: it is a candidate for neither phrase match.
        assert_eq!(keys(&ix, "党建中心"), ["a"]);
        // As two groups (AND), both qualify, and the adjacent one ranks first.
        assert_eq!(keys(&ix, "党建 中心"), ["a", "b"]);
    }

    #[test]
    fn traditional_queries_find_simplified_text() {
        let ix = index();
        assert_eq!(keys(&ix, "黨建中心"), ["a"]);
        assert_eq!(keys(&ix, "網格員"), ["a"]);
    }

    #[test]
    fn single_characters_and_latin_prefixes() {
        let ix = index();
        assert_eq!(keys(&ix, "锦"), ["a"]);
        assert_eq!(keys(&ix, "哨"), ["b"]);
        assert_eq!(keys(&ix, "xap"), ["w1"]);
        assert_eq!(keys(&ix, "ＸＡＰＩ"), ["w1"]);
        assert_eq!(keys(&ix, "1次"), ["w1"]);
    }

    #[test]
    fn title_matches_rank_first_and_ties_are_stable() {
        let ix = index();
        assert_eq!(keys(&ix, "党建")[0], "a");
        let again = keys(&ix, "党建");
        assert_eq!(again, keys(&ix, "党建"));
    }

    #[test]
    fn filters_restrict_results() {
        let ix = index();
        let f = Filters {
            region: Some("北京市".into()),
            ..Filters::default()
        };
        let hits = ix.search("党建", &f, &Ranking::default());
        assert_eq!(hits.len(), 1);
        assert_eq!(ix.doc(hits[0].doc).unwrap().key, "b");
        let f = Filters {
            kind: Some("workflow".into()),
            ..Filters::default()
        };
        assert!(ix.search("党建", &f, &Ranking::default()).is_empty());
        let f = Filters {
            tag: Some("grid".into()),
            ..Filters::default()
        };
        assert_eq!(ix.search("中心", &f, &Ranking::default()).len(), 1);
    }

    #[test]
    fn pinyin_and_initials_find_titles() {
        let ix = index();
        for q in ["dangjian", "dang jian", "djzx", "panjin", "jiexiang"] {
            let k = keys(&ix, q);
            assert!(!k.is_empty(), "{q}");
        }
        assert_eq!(keys(&ix, "djzx"), ["a"]);
        assert_eq!(keys(&ix, "shyk"), ["w1"]);
        assert!(ix.search("djzx", &Filters::default(), &Ranking::default())[0].by_pinyin);
    }

    #[test]
    fn snippets_highlight_in_the_original_script() {
        let mut b = IndexBuilder::default();
        b.add(doc("t", "標題", "這是黨建中心的介紹，黨建中心很好。"));
        let ix = SearchIndex::from_bytes(&b.build().files[0].1).unwrap();
        let s = ix.snippet(0, "党建中心", 40);
        let marked: Vec<&str> = s
            .iter()
            .filter(|x| x.matched)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(marked, ["黨建中心", "黨建中心"]);
        let all: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(all, "這是黨建中心的介紹，黨建中心很好。");
    }

    #[test]
    fn adversarial_queries_do_not_panic_or_match_everything() {
        let ix = index();
        for q in [
            "",
            "   ",
            "😀",
            "<script>alert(1)</script>",
            "，。！",
            "\u{0}",
            &"党".repeat(10_000),
            &"a ".repeat(5_000),
        ] {
            let hits = ix.search(q, &Filters::default(), &Ranking::default());
            assert!(hits.len() <= 3);
            let _ = ix.snippet(0, q, 30);
        }
        assert!(keys(&ix, "").is_empty());
        assert!(keys(&ix, "<b>").is_empty());
    }

    #[test]
    fn corrupt_indexes_are_refused() {
        let mut b = IndexBuilder::default();
        b.add(doc("a", "标题", "正文"));
        let bytes = b.build().files.remove(0).1;
        for cut in [0, 3, 5, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                SearchIndex::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut wrong = bytes.clone();
        wrong[4] = 99;
        assert_eq!(
            SearchIndex::from_bytes(&wrong).unwrap_err(),
            crate::search::SearchError::Version(99)
        );
        assert_eq!(
            SearchIndex::from_bytes(b"<html>").unwrap_err(),
            crate::search::SearchError::NotAnIndex
        );
    }

    /// Answers a query on a sharded index the way the app does: fetch what it asks for, ask again.
    fn answer_fetching(
        ix: &mut SearchIndex,
        files: &HashMap<String, Vec<u8>>,
        q: &str,
        limit: Option<usize>,
    ) -> (Results, usize) {
        let mut fetched = 0;
        loop {
            match ix.answer(q, &Filters::default(), &Ranking::default(), limit) {
                Answer::Ready(r) => return (r, fetched),
                Answer::Need(names) => {
                    assert!(!names.is_empty());
                    for n in names {
                        ix.add_file(&n, &files[&n]).unwrap();
                        fetched += 1;
                    }
                }
            }
        }
    }

    fn big() -> IndexBuilder {
        let mut b = IndexBuilder::default();
        let words = [
            "党建", "网格", "志愿", "服务", "中心", "议事", "居民", "楼栋",
        ];
        for i in 0..120 {
            let text: String = (0..6)
                .map(|k| words[(i * 7 + k * 3) % words.len()])
                .collect();
            b.add(DocInput {
                key: format!("d{i}"),
                parts: vec![(Field::Body, format!("{text}，第{i}号"))],
                ..Default::default()
            });
        }
        b
    }

    /// [`big`] split into small shards, and its files by name (what a server would hand out).
    fn sharded() -> (crate::search::index::Built, HashMap<String, Vec<u8>>) {
        let plan = crate::search::index::ShardPlan {
            single_file_max: 0,
            term_shard_bytes: 300,
            docs_per_text_shard: 4,
        };
        let built = big().build_with(&plan);
        let files = built.files.iter().cloned().collect();
        (built, files)
    }

    #[test]
    fn a_sharded_index_answers_like_a_single_file_after_fetching_what_it_asks_for() {
        let single = SearchIndex::from_bytes(&big().build().files[0].1).unwrap();
        let (built, files) = sharded();
        for q in [
            "党建",
            "网格志愿",
            "党建 中心",
            "居民楼栋服务",
            "中",
            "第7号",
            "议事中心党建",
        ] {
            let mut ix = SearchIndex::from_bytes(&built.files[0].1).unwrap();
            let (r, fetched) = answer_fetching(&mut ix, &files, q, None);
            let want = single.search(q, &Filters::default(), &Ranking::default());
            assert_eq!(r.hits, want, "{q}");
            assert_eq!(r.unverified, 0);
            assert!(fetched < built.files.len(), "{q}: fetched everything");
        }
    }

    #[test]
    fn with_a_limit_only_the_first_results_text_is_fetched() {
        let (built, files) = sharded();
        let q = "党建服务居民";
        let mut all = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        let (full, fetched_all) = answer_fetching(&mut all, &files, q, None);
        assert!(full.hits.len() > 5, "{}", full.hits.len());
        let mut ix = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        let (first, fetched) = answer_fetching(&mut ix, &files, q, Some(3));
        assert_eq!(first.hits.len(), 3);
        assert!(first.unverified > 0);
        assert!(fetched < fetched_all, "{fetched} < {fetched_all}");
        // Every result on the first page is a real result.
        for h in &first.hits {
            assert!(full.hits.iter().any(|f| f.doc == h.doc));
        }
    }

    #[test]
    fn exact_queries_need_no_text() {
        let (built, files) = sharded();
        let mut ix = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        let (r, fetched) = answer_fetching(&mut ix, &files, "党建", None);
        assert!(!r.hits.is_empty());
        assert_eq!(fetched, 1, "one term shard, no text");
    }
}
