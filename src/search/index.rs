//! The inverted index, split into files so that a large corpus is fetched piece by piece:
//!
//! - the **root** (`index.bin`, always loaded): per document only what ranking and filters need
//!   (length, kind, region, tags, pinyin keys), the shard layout and the build id;
//! - **term shards** (`p{i}-{build}.bin`): the terms whose first character hashes to shard `i`,
//!   with their postings (documents, term frequency, title/heading flags). Bigrams starting with
//!   the same character share a shard, so a word's prefix range lives in one shard;
//! - **text shards** (`t{j}-{build}.bin`): key, title and stored text of documents
//!   `j*T .. (j+1)*T`, for verifying candidates, snippets and showing a hit.
//!
//! When everything together is small (today's content), the builder puts one term shard and one
//! text shard inside the root, so the app fetches a single file. Built natively by the content
//! tool, read in the browser; every file starts with magic bytes and the format version.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use super::normalize::{self, Mapped, Normalizer};
use super::tokenize;
use super::SearchError;
use crate::varint::{Reader, Writer};

/// The search files' folder under the site's `content/`: the root, any shards, and the
/// normaliser's tables (`normalize::TABLES_FILE`).
pub const SEARCH_DIR: &str = "search";

/// The root file's name, next to the shards.
pub const ROOT_FILE: &str = "index.bin";
/// Magic bytes of the root, a term shard and a text shard.
pub const MAGIC: &[u8; 4] = b"DJSX";
const TERM_MAGIC: &[u8; 4] = b"DJSP";
const TEXT_MAGIC: &[u8; 4] = b"DJST";
pub const FORMAT_VERSION: u8 = 2;

/// Where a piece of a document's text comes from; titles and headings rank higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    Heading,
    Body,
}

impl Field {
    fn flag(self) -> u8 {
        match self {
            Field::Title => TITLE,
            Field::Heading => HEADING,
            Field::Body => 0,
        }
    }
}

/// Posting flags: the term occurs in the title / in a heading or tag.
pub const TITLE: u8 = 1;
pub const HEADING: u8 = 2;

/// A document as the builder takes it.
#[derive(Clone, Debug, Default)]
pub struct DocInput {
    /// What a hit points to, e.g. `case:panjin-2018`.
    pub key: String,
    pub title: String,
    /// `case`, `workflow`, … (filters).
    pub kind: String,
    pub tags: Vec<String>,
    /// The province (filters).
    pub region: String,
    /// The text, in order, with the field each part belongs to.
    pub parts: Vec<(Field, String)>,
    /// Pinyin of titles, tags and headings: one entry per phrase and reading.
    pub pinyin: Vec<PinyinKey>,
}

/// The syllables of one reading of a title, tag or heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinyinKey {
    pub title: bool,
    pub syllables: Vec<String>,
}

/// What the root keeps of every document: what ranking and filters need.
#[derive(Debug, Clone, PartialEq)]
pub struct DocMeta {
    /// Number of terms, for length normalisation.
    pub len: u32,
    /// Codes into [`SearchIndex::kinds`], [`SearchIndex::regions`], [`SearchIndex::tags`].
    pub kind: u32,
    pub region: u32,
    pub tags: Vec<u32>,
    pub pinyin: Vec<PinyinKey>,
}

/// A document's stored text, from its text shard.
#[derive(Debug)]
pub struct Doc {
    pub key: String,
    pub title: String,
    /// The original text (title, headings and body joined by newlines), for verification and
    /// snippets.
    pub text: String,
    normalized: OnceLock<Mapped>,
}

impl Doc {
    /// The normalised text, computed on first use and kept (always with the index's normaliser).
    pub(crate) fn mapped(&self, normalizer: &Normalizer) -> &Mapped {
        self.normalized
            .get_or_init(|| normalizer.mapped(&self.text))
    }
}

/// The documents containing one term.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Postings {
    pub docs: Vec<u32>,
    pub tf: Vec<u32>,
    /// [`TITLE`] and [`HEADING`] bits per document (0 = body only).
    pub flags: Vec<u8>,
}

/// One loaded term shard.
#[derive(Debug, Default)]
pub struct TermShard {
    /// Sorted, for prefix lookups.
    pub terms: Vec<String>,
    pub postings: Vec<Postings>,
    lookup: HashMap<String, u32>,
}

impl TermShard {
    pub fn postings(&self, term: &str) -> Option<&Postings> {
        self.lookup.get(term).map(|&i| &self.postings[i as usize])
    }

    /// Indexes of the terms that start with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        (start..self.terms.len()).take_while(move |&i| self.terms[i].starts_with(prefix))
    }
}

/// How the builder splits the index.
#[derive(Clone, Copy, Debug)]
pub struct ShardPlan {
    /// Below this many bytes in all, everything goes into the root (one file).
    pub single_file_max: usize,
    /// Aim for term shards of about this many (uncompressed) bytes.
    pub term_shard_bytes: usize,
    /// Documents per text shard.
    pub docs_per_text_shard: u32,
}

impl Default for ShardPlan {
    fn default() -> Self {
        ShardPlan {
            single_file_max: 512 * 1024,
            term_shard_bytes: 24 * 1024,
            docs_per_text_shard: 4,
        }
    }
}

/// Which term shard a term belongs to: a hash of its first character, so that all terms
/// starting with a character sit together (sharing prefixes, which compresses well, and keeping
/// a word's prefix range in one shard). A few very frequent characters (的, 是, 一) have more
/// bigrams than a shard should hold: for those `split` characters a bigram goes by both of its
/// characters instead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShardKey {
    pub shards: u32,
    /// Sorted.
    pub split: Vec<char>,
}

impl ShardKey {
    pub fn of(&self, term: &str) -> u32 {
        let mut chars = term.chars();
        let first = chars.next().map_or(0, u32::from);
        let key = match chars.next() {
            Some(second)
                if chars.next().is_none()
                    && self
                        .split
                        .binary_search(&char::from_u32(first).unwrap_or_default())
                        .is_ok() =>
            {
                first.wrapping_mul(31).wrapping_add(u32::from(second))
            }
            _ => first,
        };
        // Fibonacci hashing spreads neighbouring code points over the shards.
        (key.wrapping_mul(0x9E37_79B1) >> 8) % self.shards.max(1)
    }
}

/// The files of a built index: the root first, then the shards, each with its file name.
pub struct Built {
    pub files: Vec<(String, Vec<u8>)>,
    pub term_shards: u32,
    pub text_shards: u32,
}

/// Collects documents and writes the index, normalising their text with its normaliser.
pub struct IndexBuilder {
    docs: Vec<DocInput>,
    normalizer: Normalizer,
}

/// A builder with the compiled-in tables (the content tool's).
#[cfg(not(feature = "fetched-tables"))]
impl Default for IndexBuilder {
    fn default() -> Self {
        IndexBuilder::new(Normalizer::compiled())
    }
}

/// The table of one field's values (kinds, regions or tags) and the code each gets in the root.
struct CodeTable(Vec<String>, HashMap<String, u32>);

impl CodeTable {
    fn new() -> Self {
        // Code 0 is "none" (an empty kind or region).
        CodeTable(vec![String::new()], HashMap::from([(String::new(), 0)]))
    }
    fn code(&mut self, s: &str) -> u32 {
        if let Some(&c) = self.1.get(s) {
            return c;
        }
        let c = self.0.len() as u32;
        self.0.push(s.to_string());
        self.1.insert(s.to_string(), c);
        c
    }
}

impl IndexBuilder {
    pub fn new(normalizer: Normalizer) -> Self {
        IndexBuilder {
            docs: Vec::new(),
            normalizer,
        }
    }

    pub fn add(&mut self, doc: DocInput) {
        self.docs.push(doc);
    }

    /// Tokenises every document and encodes the index with the default plan.
    pub fn build(self) -> Built {
        self.build_with(&ShardPlan::default())
    }

    /// Tokenises every document and encodes the index, split as `plan` says.
    pub fn build_with(self, plan: &ShardPlan) -> Built {
        let mut terms: BTreeMap<String, Postings> = BTreeMap::new();
        let mut lens = Vec::with_capacity(self.docs.len());
        for (id, doc) in self.docs.iter().enumerate() {
            let mut counts: HashMap<String, (u32, u8)> = HashMap::new();
            let mut len = 0u32;
            for (field, text) in &doc.parts {
                let chars: Vec<char> = self.normalizer.normalize(text).chars().collect();
                tokenize::terms(&chars, |t| {
                    len += 1;
                    let e = counts.entry(t).or_default();
                    e.0 += 1;
                    e.1 |= field.flag();
                });
            }
            let mut counts: Vec<_> = counts.into_iter().collect();
            counts.sort_unstable();
            for (term, (tf, flags)) in counts {
                let p = terms.entry(term).or_default();
                p.docs.push(id as u32);
                p.tf.push(tf);
                p.flags.push(flags);
            }
            lens.push(len);
        }

        // All terms in one shard first: its size decides how many shards there will be.
        let whole = encode_terms(terms.iter());
        let texts = encode_texts(&self.docs);
        let single = whole.len() + texts.len() <= plan.single_file_max;
        let target = plan.term_shard_bytes.max(1);
        let term_shards = if single {
            1
        } else {
            (whole.len() / target).max(1).next_power_of_two() as u32
        };
        // Chinese characters whose bigrams alone would fill half a shard are split.
        let mut split = Vec::new();
        if !single {
            let mut by_first: BTreeMap<char, Vec<(&String, &Postings)>> = BTreeMap::new();
            for (t, p) in &terms {
                if let Some(c) = t.chars().next() {
                    by_first.entry(c).or_default().push((t, p));
                }
            }
            for (c, group) in by_first {
                if normalize::is_han(c) && encode_terms(group.into_iter()).len() > target / 2 {
                    split.push(c);
                }
            }
        }
        let key = ShardKey {
            shards: term_shards,
            split,
        };
        let per_text = if single {
            self.docs.len().max(1) as u32
        } else {
            plan.docs_per_text_shard.max(1)
        };
        let mut term_files = Vec::new();
        if single {
            term_files.push(whole);
        } else {
            for s in 0..term_shards {
                term_files.push(encode_terms(terms.iter().filter(|(t, _)| key.of(t) == s)));
            }
        }
        let text_files: Vec<Vec<u8>> = self
            .docs
            .chunks(per_text as usize)
            .map(encode_texts)
            .collect();
        let build = {
            let mut h = crate::hash::Fnv::default();
            for f in term_files.iter().chain(&text_files) {
                h.write(f);
            }
            format!("{:08x}", h.finish() as u32)
        };

        let mut kinds = CodeTable::new();
        let mut regions = CodeTable::new();
        let mut tags = CodeTable::new();
        let metas: Vec<(u32, u32, Vec<u32>)> = self
            .docs
            .iter()
            .map(|d| {
                (
                    kinds.code(&d.kind),
                    regions.code(&d.region),
                    d.tags.iter().map(|t| tags.code(t)).collect(),
                )
            })
            .collect();
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.u8(FORMAT_VERSION);
        w.str(&build);
        w.varint(self.docs.len() as u32);
        w.varint(term_shards);
        w.str(&key.split.iter().collect::<String>());
        w.varint(per_text);
        for codes in [&kinds, &regions, &tags] {
            w.varint(codes.0.len() as u32);
            for s in &codes.0 {
                w.str(s);
            }
        }
        for (doc, ((kind, region, tag_codes), len)) in self.docs.iter().zip(metas.iter().zip(&lens))
        {
            w.varint(*len);
            w.varint(*kind);
            w.varint(*region);
            w.varint(tag_codes.len() as u32);
            for t in tag_codes {
                w.varint(*t);
            }
            w.varint(doc.pinyin.len() as u32);
            for key in &doc.pinyin {
                w.u8(u8::from(key.title));
                w.varint(key.syllables.len() as u32);
                for s in &key.syllables {
                    w.str(s);
                }
            }
        }
        let text_shards = text_files.len() as u32;
        let mut files = Vec::new();
        if single {
            // Embedded: the term shard, then the text shard (if any document).
            w.u8(1);
            for f in term_files.iter().chain(&text_files) {
                w.varint(f.len() as u32);
                w.bytes.extend_from_slice(f);
            }
            files.push((ROOT_FILE.to_string(), w.bytes));
        } else {
            w.u8(0);
            files.push((ROOT_FILE.to_string(), w.bytes));
            for (i, f) in term_files.into_iter().enumerate() {
                files.push((term_file(i as u32, &build), f));
            }
            for (j, f) in text_files.into_iter().enumerate() {
                files.push((text_file(j as u32, &build), f));
            }
        }
        Built {
            files,
            term_shards,
            text_shards,
        }
    }
}

fn term_file(i: u32, build: &str) -> String {
    format!("p{i}-{build}.bin")
}

fn text_file(j: u32, build: &str) -> String {
    format!("t{j}-{build}.bin")
}

/// A term shard: first the terms with their document counts, then all postings, then the
/// title/heading flags of the few terms that have any. Keeping the three streams apart lets gzip
/// see the terms' regularity and the postings' small numbers.
///
/// Terms are sorted and grouped by their first character: a group is the character (as a delta
/// from the previous group's) and its term count; a term is the rest after the first character:
/// one varint `(df << 3) | (shape << 1) | flagged`, then for a single-character rest its delta
/// from the previous one (most terms are bigrams: usually one or two bytes), for a longer rest
/// its length and UTF-8. A posting is
/// one varint `(doc delta << 1) | (tf > 1)`, then `tf - 1` when set.
fn encode_terms<'a>(terms: impl Iterator<Item = (&'a String, &'a Postings)>) -> Vec<u8> {
    let terms: Vec<_> = terms.collect();
    let mut w = Writer::default();
    w.bytes.extend_from_slice(TERM_MAGIC);
    w.u8(FORMAT_VERSION);
    w.varint(terms.len() as u32);
    let mut groups: Vec<(char, Vec<(&String, &Postings)>)> = Vec::new();
    for &(t, p) in &terms {
        let first = t.chars().next().unwrap_or_default();
        match groups.last_mut() {
            Some((c, g)) if *c == first => g.push((t, p)),
            _ => groups.push((first, vec![(t, p)])),
        }
    }
    w.varint(groups.len() as u32);
    let mut previous_first = 0u32;
    for (first, group) in &groups {
        w.varint(u32::from(*first) - previous_first);
        previous_first = u32::from(*first);
        w.varint(group.len() as u32);
        let mut previous_rest = 0u32;
        for (t, p) in group {
            // One varint says the rest's shape, the document count and whether flags follow:
            // `(df << 3) | (shape << 1) | flagged`.
            let rest = &t[first.len_utf8()..];
            let mut chars = rest.chars();
            let shape = match (chars.next(), chars.next()) {
                (None, _) => 0,
                (Some(_), None) => 1,
                _ => 2,
            };
            let flagged = p.flags.iter().any(|f| *f != 0);
            w.varint(((p.docs.len() as u32) << 3) | (shape << 1) | u32::from(flagged));
            match shape {
                0 => {}
                1 => {
                    let c = u32::from(rest.chars().next().unwrap_or_default());
                    w.varint(c - previous_rest);
                    previous_rest = c;
                }
                _ => w.str(rest),
            }
        }
    }
    for (_, p) in &terms {
        let mut last = 0;
        for (&d, &tf) in p.docs.iter().zip(&p.tf) {
            w.varint(((d - last) << 1) | u32::from(tf > 1));
            if tf > 1 {
                w.varint(tf - 1);
            }
            last = d;
        }
    }
    for (_, p) in &terms {
        let flagged: Vec<(usize, u8)> = p
            .flags
            .iter()
            .enumerate()
            .filter(|(_, f)| **f != 0)
            .map(|(i, f)| (i, *f))
            .collect();
        if flagged.is_empty() {
            continue;
        }
        w.varint(flagged.len() as u32);
        let mut last = 0;
        for (i, f) in flagged {
            w.varint((i - last) as u32);
            w.u8(f);
            last = i;
        }
    }
    w.bytes
}

fn encode_texts(docs: &[DocInput]) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(TEXT_MAGIC);
    w.u8(FORMAT_VERSION);
    w.varint(docs.len() as u32);
    for doc in docs {
        let text = doc
            .parts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        w.str(&doc.key);
        w.str(&doc.title);
        w.str(&text);
    }
    w.bytes
}

fn check_header(r: &mut Reader, magic: &[u8; 4]) -> Result<(), SearchError> {
    if r.take(4).map_err(|_| SearchError::NotAnIndex)? != magic {
        return Err(SearchError::NotAnIndex);
    }
    let version = r.u8()?;
    if version != FORMAT_VERSION {
        return Err(SearchError::Version(version));
    }
    Ok(())
}

fn decode_terms(bytes: &[u8], n_docs: usize) -> Result<TermShard, SearchError> {
    let mut r = Reader::new(bytes);
    check_header(&mut r, TERM_MAGIC)?;
    let n_terms = r.count()?;
    let mut terms: Vec<String> = Vec::with_capacity(n_terms);
    let mut heads: Vec<(usize, bool)> = Vec::with_capacity(n_terms);
    let mut first = 0u32;
    for _ in 0..r.count()? {
        first = first
            .checked_add(r.varint_u32()?)
            .ok_or(SearchError::Corrupt("term"))?;
        let c = char::from_u32(first).ok_or(SearchError::Corrupt("term"))?;
        let mut previous_rest = 0u32;
        for _ in 0..r.count()? {
            let mut term = String::from(c);
            let v = r.varint_u32()?;
            match (v >> 1) & 3 {
                0 => {}
                1 => {
                    previous_rest = previous_rest
                        .checked_add(r.varint_u32()?)
                        .ok_or(SearchError::Corrupt("term"))?;
                    term.push(char::from_u32(previous_rest).ok_or(SearchError::Corrupt("term"))?);
                }
                2 => term.push_str(r.str()?),
                _ => return Err(SearchError::Corrupt("term")),
            }
            let df = (v >> 3) as usize;
            if df > r.remaining() {
                return Err(SearchError::Corrupt("count"));
            }
            terms.push(term);
            heads.push((df, v & 1 == 1));
        }
    }
    if terms.len() != n_terms || !terms.is_sorted() {
        return Err(SearchError::Corrupt("terms"));
    }
    let mut postings = Vec::with_capacity(n_terms);
    for &(df, _) in &heads {
        let mut p = Postings {
            docs: Vec::with_capacity(df),
            tf: Vec::with_capacity(df),
            flags: vec![0; df],
        };
        let mut last = 0u32;
        for _ in 0..df {
            let v = r.varint_u32()?;
            last = last
                .checked_add(v >> 1)
                .ok_or(SearchError::Corrupt("doc id"))?;
            if last as usize >= n_docs {
                return Err(SearchError::Corrupt("doc id"));
            }
            p.docs.push(last);
            p.tf.push(if v & 1 == 1 {
                r.varint_u32()?.saturating_add(1)
            } else {
                1
            });
        }
        postings.push(p);
    }
    for (p, &(_, flagged)) in postings.iter_mut().zip(&heads) {
        if !flagged {
            continue;
        }
        let mut at = 0usize;
        for _ in 0..r.count()? {
            at += r.varint_u32()? as usize;
            let f = r.u8()?;
            *p.flags.get_mut(at).ok_or(SearchError::Corrupt("flags"))? = f;
        }
    }
    if !r.at_end() {
        return Err(SearchError::Corrupt("trailing bytes"));
    }
    let lookup = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32))
        .collect();
    Ok(TermShard {
        terms,
        postings,
        lookup,
    })
}

fn decode_texts(bytes: &[u8]) -> Result<Vec<Doc>, SearchError> {
    let mut r = Reader::new(bytes);
    check_header(&mut r, TEXT_MAGIC)?;
    let n = r.count()?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        docs.push(Doc {
            key: r.str()?.to_string(),
            title: r.str()?.to_string(),
            text: r.str()?.to_string(),
            normalized: OnceLock::new(),
        });
    }
    if !r.at_end() {
        return Err(SearchError::Corrupt("trailing bytes"));
    }
    Ok(docs)
}

/// The loaded index: the root, whichever shards have been added so far, and the normaliser its
/// queries and texts go through (the one the index was built with).
#[derive(Debug)]
pub struct SearchIndex {
    /// Part of every shard's file name; changes whenever any shard changes.
    pub build: String,
    /// Which shard holds a term.
    pub key: ShardKey,
    pub meta: Vec<DocMeta>,
    pub kinds: Vec<String>,
    pub regions: Vec<String>,
    pub tags: Vec<String>,
    pub avg_len: f32,
    per_text: u32,
    terms: Vec<Option<TermShard>>,
    texts: Vec<Option<Vec<Doc>>>,
    normalizer: Normalizer,
}

impl SearchIndex {
    /// Reads a root written by [`IndexBuilder::build`] (with its embedded shards, if any), with
    /// the compiled-in tables.
    #[cfg(not(feature = "fetched-tables"))]
    pub fn from_bytes(bytes: &[u8]) -> Result<SearchIndex, SearchError> {
        SearchIndex::from_bytes_with(bytes, Normalizer::compiled())
    }

    /// Reads a root written by [`IndexBuilder::build`], with the tables it was built with (as the
    /// app fetches them: [`Normalizer::from_tables_file`]).
    pub fn from_bytes_with(
        bytes: &[u8],
        normalizer: Normalizer,
    ) -> Result<SearchIndex, SearchError> {
        let mut r = Reader::new(bytes);
        check_header(&mut r, MAGIC)?;
        let build = r.str()?.to_string();
        let n = r.count()?;
        let term_shards = r.varint_u32()?;
        let split: Vec<char> = r.str()?.chars().collect();
        if !split.is_sorted() {
            return Err(SearchError::Corrupt("split characters"));
        }
        let per_text = r.varint_u32()?.max(1);
        if term_shards == 0 || term_shards > 1 << 16 {
            return Err(SearchError::Corrupt("shard count"));
        }
        let mut tables: [Vec<String>; 3] = Default::default();
        for table in &mut tables {
            for _ in 0..r.count()? {
                table.push(r.str()?.to_string());
            }
        }
        let [kinds, regions, tags] = tables;
        let code = |v: u32, table: &[String]| {
            if (v as usize) < table.len() {
                Ok(v)
            } else {
                Err(SearchError::Corrupt("code"))
            }
        };
        let mut meta = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.varint_u32()?;
            let kind = code(r.varint_u32()?, &kinds)?;
            let region = code(r.varint_u32()?, &regions)?;
            let tag_codes = (0..r.count()?)
                .map(|_| code(r.varint_u32()?, &tags))
                .collect::<Result<_, _>>()?;
            let mut pinyin = Vec::new();
            for _ in 0..r.count()? {
                let title = r.u8()? == 1;
                let syllables = (0..r.count()?)
                    .map(|_| r.str().map(str::to_string))
                    .collect::<Result<_, _>>()?;
                pinyin.push(PinyinKey { title, syllables });
            }
            meta.push(DocMeta {
                len,
                kind,
                region,
                tags: tag_codes,
                pinyin,
            });
        }
        let avg_len = if meta.is_empty() {
            1.0
        } else {
            meta.iter().map(|d| d.len as f32).sum::<f32>() / meta.len() as f32
        };
        let text_shards = n.div_ceil(per_text as usize);
        let mut index = SearchIndex {
            build,
            key: ShardKey {
                shards: term_shards,
                split,
            },
            meta,
            kinds,
            regions,
            tags,
            avg_len: avg_len.max(1.0),
            per_text,
            terms: (0..term_shards).map(|_| None).collect(),
            texts: (0..text_shards).map(|_| None).collect(),
            normalizer,
        };
        if r.u8()? == 1 {
            if term_shards != 1 || text_shards > 1 {
                return Err(SearchError::Corrupt("embedded shards"));
            }
            let len = r.count()?;
            index.terms[0] = Some(decode_terms(r.take(len)?, n)?);
            if text_shards == 1 {
                let len = r.count()?;
                index.texts[0] = Some(decode_texts(r.take(len)?)?);
            }
        }
        if !r.at_end() {
            return Err(SearchError::Corrupt("trailing bytes"));
        }
        Ok(index)
    }

    /// Adds a shard fetched by its file name (as [`SearchIndex::missing_terms`] and
    /// [`SearchIndex::missing_texts`] name them). A file that is not one of ours is refused.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), SearchError> {
        let stem = name
            .strip_suffix(".bin")
            .and_then(|s| s.strip_suffix(self.build.as_str()))
            .and_then(|s| s.strip_suffix('-'))
            .ok_or(SearchError::Corrupt("shard name"))?;
        let number = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| SearchError::Corrupt("shard name"))
        };
        if let Some(i) = stem.strip_prefix('p') {
            let i = number(i)?;
            let shard = decode_terms(bytes, self.meta.len())?;
            *self
                .terms
                .get_mut(i)
                .ok_or(SearchError::Corrupt("shard name"))? = Some(shard);
        } else if let Some(j) = stem.strip_prefix('t') {
            let j = number(j)?;
            let docs = decode_texts(bytes)?;
            let expected = self.meta.len().saturating_sub(j * self.per_text as usize);
            if docs.len() != expected.min(self.per_text as usize) {
                return Err(SearchError::Corrupt("text shard size"));
            }
            *self
                .texts
                .get_mut(j)
                .ok_or(SearchError::Corrupt("shard name"))? = Some(docs);
        } else {
            return Err(SearchError::Corrupt("shard name"));
        }
        Ok(())
    }

    /// The normaliser of this index's text and queries.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// The term shard `i`, when loaded.
    pub fn term_shard(&self, i: u32) -> Option<&TermShard> {
        self.terms.get(i as usize).and_then(Option::as_ref)
    }

    pub fn term_shard_count(&self) -> u32 {
        self.terms.len() as u32
    }

    /// A document's stored text, when its text shard is loaded.
    pub fn doc(&self, d: u32) -> Option<&Doc> {
        let per = self.per_text as usize;
        self.texts
            .get(d as usize / per)?
            .as_ref()?
            .get(d as usize % per)
    }

    /// The file names of term shards `shards` that are not loaded yet.
    pub fn missing_terms(&self, shards: impl IntoIterator<Item = u32>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in shards.into_iter().filter(|&s| self.term_shard(s).is_none()) {
            let name = term_file(s, &self.build);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// The file names of the text shards holding `docs` that are not loaded yet.
    pub fn missing_texts(&self, docs: impl IntoIterator<Item = u32>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in docs {
            let j = d / self.per_text;
            // A shard that exists and is not loaded; the name is formed only then.
            if matches!(self.texts.get(j as usize), Some(None)) {
                let name = text_file(j, &self.build);
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// How many shard files are loaded, of how many (terms, texts).
    pub fn loaded(&self) -> ((usize, usize), (usize, usize)) {
        (
            (
                self.terms.iter().filter(|t| t.is_some()).count(),
                self.terms.len(),
            ),
            (
                self.texts.iter().filter(|t| t.is_some()).count(),
                self.texts.len(),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(i: usize, text: &str) -> DocInput {
        DocInput {
            key: format!("d{i}"),
            title: format!("文档{i}"),
            kind: if i.is_multiple_of(2) {
                "case"
            } else {
                "workflow"
            }
            .into(),
            parts: vec![
                (Field::Title, format!("标题{i}")),
                (Field::Body, text.into()),
            ],
            ..Default::default()
        }
    }

    fn corpus() -> IndexBuilder {
        let mut b = IndexBuilder::default();
        for i in 0..40 {
            b.add(doc(
                i,
                &format!("社区党建第{i}篇，网格化治理与志愿服务 item{i}"),
            ));
        }
        b
    }

    #[test]
    fn a_small_index_is_one_file_with_everything_inside() {
        let built = corpus().build();
        assert_eq!(built.files.len(), 1);
        let ix = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        assert_eq!(ix.len(), 40);
        assert_eq!(ix.loaded(), ((1, 1), (1, 1)));
        assert_eq!(ix.doc(7).unwrap().key, "d7");
        assert!(ix.missing_terms([0]).is_empty());
    }

    /// The test corpus split into small shards: several term shards, 5 text shards of 8.
    fn split_corpus() -> Built {
        corpus().build_with(&ShardPlan {
            single_file_max: 0,
            term_shard_bytes: 200,
            docs_per_text_shard: 8,
        })
    }

    #[test]
    fn a_large_index_is_split_and_shards_load_by_name() {
        let built = split_corpus();
        assert!(built.term_shards > 1, "{}", built.term_shards);
        assert_eq!(built.text_shards, 5);
        let mut ix = SearchIndex::from_bytes(&built.files[0].1).unwrap();
        assert_eq!(ix.loaded().0 .0, 0);
        assert!(ix.doc(0).is_none());
        let names = ix.missing_texts([0, 9, 39]);
        assert_eq!(names.len(), 3);
        for (name, bytes) in &built.files[1..] {
            ix.add_file(name, bytes).unwrap();
        }
        assert_eq!(ix.doc(39).unwrap().title, "文档39");
        assert!(ix.missing_texts(0..40).is_empty());
        // Every term is in the shard its first character names.
        for s in 0..built.term_shards {
            for t in &ix.term_shard(s).unwrap().terms {
                assert_eq!(ix.key.of(t), s);
            }
        }
    }

    #[test]
    fn flags_and_term_frequencies_round_trip() {
        let mut b = IndexBuilder::default();
        b.add(DocInput {
            key: "a".into(),
            parts: vec![
                (Field::Title, "党建".into()),
                (Field::Heading, "中心".into()),
                (Field::Body, "党建党建党建".into()),
            ],
            ..Default::default()
        });
        let ix = SearchIndex::from_bytes(&b.build().files[0].1).unwrap();
        let shard = ix.term_shard(0).unwrap();
        let p = shard.postings("党建").unwrap();
        assert_eq!((p.tf[0], p.flags[0]), (4, TITLE));
        assert_eq!(shard.postings("中心").unwrap().flags[0], HEADING);
        assert_eq!(shard.postings("建党").unwrap().flags[0], 0);
    }

    #[test]
    fn wrong_and_damaged_files_are_refused() {
        let built = split_corpus();
        let root = &built.files[0].1;
        for cut in [0, 3, 5, root.len() / 2, root.len() - 1] {
            assert!(
                SearchIndex::from_bytes(&root[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut ix = SearchIndex::from_bytes(root).unwrap();
        let (name, bytes) = &built.files[1];
        assert!(ix.add_file(name, &bytes[..bytes.len() - 1]).is_err());
        assert!(ix.add_file("p0-00000000.bin", bytes).is_err());
        assert!(ix.add_file("p999-x.bin", bytes).is_err());
        let text = built
            .files
            .iter()
            .find(|(n, _)| n.starts_with('t'))
            .unwrap();
        assert!(
            ix.add_file(name, &text.1).is_err(),
            "a text shard under a term shard's name"
        );
        assert_eq!(
            SearchIndex::from_bytes(b"<html>").unwrap_err(),
            SearchError::NotAnIndex
        );
        let mut old = root.clone();
        old[4] = 1;
        assert_eq!(
            SearchIndex::from_bytes(&old).unwrap_err(),
            SearchError::Version(1)
        );
    }
}
