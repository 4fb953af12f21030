//! The inverted index: documents with their stored text, and for every term the documents that
//! contain it with term frequency and field flags. Built natively by the content tool, read in the
//! browser; one binary format with a version byte.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use super::codec::{Reader, Writer};
use super::normalize::{self, Mapped};
use super::tokenize;
use super::SearchError;

/// The index format's magic bytes and version.
pub const MAGIC: &[u8; 4] = b"DJSX";
pub const FORMAT_VERSION: u8 = 1;

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
            Field::Title => 1,
            Field::Heading => 2,
            Field::Body => 4,
        }
    }
}

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

/// A document as the index keeps it.
#[derive(Debug)]
pub struct Doc {
    pub key: String,
    pub title: String,
    pub kind: String,
    pub tags: Vec<String>,
    pub region: String,
    /// Number of terms, for length normalisation.
    pub len: u32,
    /// The original text (title, headings and body joined by newlines), for verification and
    /// snippets.
    pub text: String,
    pub pinyin: Vec<PinyinKey>,
    normalized: OnceLock<Mapped>,
}

impl Doc {
    /// The normalised text, computed on first use and kept.
    pub fn mapped(&self) -> &Mapped {
        self.normalized
            .get_or_init(|| normalize::mapped(&self.text))
    }
}

/// The documents containing one term.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Postings {
    pub docs: Vec<u32>,
    pub tf: Vec<u32>,
    pub flags: Vec<u8>,
}

/// The loaded index.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub docs: Vec<Doc>,
    /// Terms in sorted order (for prefix lookups) and their postings.
    pub terms: Vec<String>,
    pub postings: Vec<Postings>,
    lookup: HashMap<String, u32>,
    pub avg_len: f32,
}

/// Collects documents and writes the index.
#[derive(Default)]
pub struct IndexBuilder {
    docs: Vec<DocInput>,
}

impl IndexBuilder {
    pub fn add(&mut self, doc: DocInput) {
        self.docs.push(doc);
    }

    /// Tokenises every document and encodes the index.
    pub fn build(self) -> Vec<u8> {
        let mut terms: BTreeMap<String, Postings> = BTreeMap::new();
        let mut w = Writer::default();
        w.bytes.extend_from_slice(MAGIC);
        w.u8(FORMAT_VERSION);
        w.varint(self.docs.len() as u32);
        for (id, doc) in self.docs.iter().enumerate() {
            let mut counts: HashMap<String, (u32, u8)> = HashMap::new();
            let mut len = 0u32;
            for (field, text) in &doc.parts {
                let chars: Vec<char> = normalize::normalize(text).chars().collect();
                tokenize::terms(&chars, |t| {
                    len += 1;
                    let e = counts.entry(t).or_default();
                    e.0 += 1;
                    e.1 |= field.flag();
                });
            }
            for (term, (tf, flags)) in counts {
                let p = terms.entry(term).or_default();
                p.docs.push(id as u32);
                p.tf.push(tf);
                p.flags.push(flags);
            }
            let text = doc
                .parts
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            w.str(&doc.key);
            w.str(&doc.title);
            w.str(&doc.kind);
            w.varint(doc.tags.len() as u32);
            for t in &doc.tags {
                w.str(t);
            }
            w.str(&doc.region);
            w.varint(len);
            w.str(&text);
            w.varint(doc.pinyin.len() as u32);
            for key in &doc.pinyin {
                w.u8(u8::from(key.title));
                w.varint(key.syllables.len() as u32);
                for s in &key.syllables {
                    w.str(s);
                }
            }
        }
        w.varint(terms.len() as u32);
        let mut previous = String::new();
        for (term, p) in &terms {
            // Front coding: terms are sorted, so most share a prefix with the one before.
            let shared = previous
                .char_indices()
                .zip(term.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8());
            w.varint(shared as u32);
            w.str(&term[shared..]);
            w.varint(p.docs.len() as u32);
            let mut last = 0;
            for &d in &p.docs {
                w.varint(d - last);
                last = d;
            }
            for &tf in &p.tf {
                w.varint(tf);
            }
            w.bytes.extend_from_slice(&p.flags);
            previous.clone_from(term);
        }
        w.bytes
    }
}

impl SearchIndex {
    /// Reads an index written by [`IndexBuilder::build`].
    pub fn from_bytes(bytes: &[u8]) -> Result<SearchIndex, SearchError> {
        let mut r = Reader::new(bytes);
        if r.take(4).map_err(|_| SearchError::NotAnIndex)? != MAGIC {
            return Err(SearchError::NotAnIndex);
        }
        let version = r.u8()?;
        if version != FORMAT_VERSION {
            return Err(SearchError::Version(version));
        }
        let n = r.count()?;
        let mut docs = Vec::with_capacity(n);
        for _ in 0..n {
            let key = r.str()?.to_string();
            let title = r.str()?.to_string();
            let kind = r.str()?.to_string();
            let tags = (0..r.count()?)
                .map(|_| r.str().map(str::to_string))
                .collect::<Result<_, _>>()?;
            let region = r.str()?.to_string();
            let len = r.varint()?;
            let text = r.str()?.to_string();
            let mut pinyin = Vec::new();
            for _ in 0..r.count()? {
                let title = r.u8()? == 1;
                let syllables = (0..r.count()?)
                    .map(|_| r.str().map(str::to_string))
                    .collect::<Result<_, _>>()?;
                pinyin.push(PinyinKey { title, syllables });
            }
            docs.push(Doc {
                key,
                title,
                kind,
                tags,
                region,
                len,
                text,
                pinyin,
                normalized: OnceLock::new(),
            });
        }
        let n_terms = r.count()?;
        let mut terms: Vec<String> = Vec::with_capacity(n_terms);
        let mut postings = Vec::with_capacity(n_terms);
        for _ in 0..n_terms {
            let shared = r.varint()? as usize;
            let previous = terms.last().map(String::as_str).unwrap_or("");
            let prefix = previous
                .get(..shared)
                .ok_or(SearchError::Corrupt("term prefix"))?;
            let term = format!("{prefix}{}", r.str()?);
            let df = r.count()?;
            let mut p = Postings::default();
            let mut last = 0u32;
            for _ in 0..df {
                last = last
                    .checked_add(r.varint()?)
                    .ok_or(SearchError::Corrupt("doc id"))?;
                if last as usize >= docs.len() {
                    return Err(SearchError::Corrupt("doc id"));
                }
                p.docs.push(last);
            }
            for _ in 0..df {
                p.tf.push(r.varint()?);
            }
            p.flags = r.take(df)?.to_vec();
            terms.push(term);
            postings.push(p);
        }
        if !r.at_end() {
            return Err(SearchError::Corrupt("trailing bytes"));
        }
        let lookup = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let avg_len = if docs.is_empty() {
            1.0
        } else {
            docs.iter().map(|d| d.len as f32).sum::<f32>() / docs.len() as f32
        };
        Ok(SearchIndex {
            docs,
            terms,
            postings,
            lookup,
            avg_len: avg_len.max(1.0),
        })
    }

    pub fn postings(&self, term: &str) -> Option<&Postings> {
        self.lookup.get(term).map(|&i| &self.postings[i as usize])
    }

    /// Indexes of the terms that start with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        (start..self.terms.len()).take_while(move |&i| self.terms[i].starts_with(prefix))
    }
}
