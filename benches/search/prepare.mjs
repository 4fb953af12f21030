#!/usr/bin/env node
// Builds the search benchmark data set into benches/search/data/ (git-ignored).
//
//   node benches/search/prepare.mjs
//
// Source text: benches/data3185k.txt from the crates.io package zhconv 0.3.3
// (fetched with `cargo fetch` in a throw-away cargo project; never committed).
//
// Outputs (all JSON, UTF-8):
//   data/docs-2239.json         [{id, text}]   first 2,239 500-code-point slices
//   data/docs-10000.json        [{id, text}]   10,000 500-code-point windows at seeded random offsets
//   data/queries-2239.json      [{q, truth}]   300 Simplified queries, truth = ids containing q
//   data/queries-2239-tw.json   [{q, truth, changed}]  same queries converted cn -> tw (opencc-js),
//                               same truth; changed = the Traditional form differs from the Simplified
//   data/queries-10000.json     ...            same for the 10,000 corpus (queries drawn from it)
//   data/queries-10000-tw.json
//   data/manifest.json          method, seeds, counts and sha256 of every file
//
// Everything is deterministic: the same zhconv text and the same seeds give
// byte-identical files (manifest.json records the hashes to check that).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(HERE, 'data');

export const DOC_CHARS = 500;
export const SMALL_DOCS = 2239;
export const LARGE_DOCS = 10000;
export const QUERY_COUNT = 300;
export const SEEDS = { largeCorpus: 0x5eed10, querySmall: 0x5eed01, queryLarge: 0x5eed02 };
const ZHCONV_VERSION = '0.3.3';
const REL = 'benches/data3185k.txt';

// mulberry32: tiny seeded PRNG, returns floats in [0, 1).
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randInt = (rnd, n) => Math.floor(rnd() * n); // 0..n-1

function log(...a) { console.log('[prepare]', ...a); }

function cargoHome() {
  return process.env.CARGO_HOME || path.join(os.homedir(), '.cargo');
}

function findSourceText() {
  const src = path.join(cargoHome(), 'registry', 'src');
  const look = () => {
    if (!fs.existsSync(src)) return null;
    for (const reg of fs.readdirSync(src)) {
      const f = path.join(src, reg, `zhconv-${ZHCONV_VERSION}`, REL);
      if (fs.existsSync(f)) return f;
    }
    return null;
  };
  let f = look();
  if (f) return f;
  // Not unpacked yet: fetch the crate through a temporary cargo project.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zhconv-fetch-'));
  fs.mkdirSync(path.join(tmp, 'src'));
  fs.writeFileSync(path.join(tmp, 'src', 'main.rs'), 'fn main() {}\n');
  fs.writeFileSync(path.join(tmp, 'Cargo.toml'),
    `[package]\nname = "zhconv-fetch"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n` +
    `[dependencies]\nzhconv = "=${ZHCONV_VERSION}"\n`);
  log(`cargo fetch zhconv =${ZHCONV_VERSION} in ${tmp}`);
  execFileSync('cargo', ['fetch', '--quiet'], { cwd: tmp, stdio: 'inherit' });
  fs.rmSync(tmp, { recursive: true, force: true });
  f = look();
  if (!f) {
    throw new Error(`zhconv ${ZHCONV_VERSION} was fetched but ${REL} is not in the package ` +
      `(looked under ${src}/*/zhconv-${ZHCONV_VERSION}/). The benchmark corpus cannot be built.`);
  }
  return f;
}

const HAN = /^\p{Script=Han}+$/u;

// Seeded queries: pick a document, a length 2..4 and an offset; keep the slice
// if every character is Han and it was not drawn before.
function makeQueries(docs, seed) {
  const rnd = mulberry32(seed);
  const seen = new Set();
  const out = [];
  let draws = 0;
  while (out.length < QUERY_COUNT) {
    if (++draws > 1e6) throw new Error('could not draw enough Han queries');
    const d = docs[randInt(rnd, docs.length)];
    const len = 2 + randInt(rnd, 3);
    const cps = d.cps;
    const off = randInt(rnd, cps.length - len + 1);
    const q = cps.slice(off, off + len).join('');
    if (!HAN.test(q) || seen.has(q)) continue;
    seen.add(q);
    const truth = [];
    for (const x of docs) if (x.text.includes(q)) truth.push(x.id);
    out.push({ q, truth });
  }
  return { queries: out, draws };
}

function writeJson(name, value, manifest) {
  const body = JSON.stringify(value);
  fs.writeFileSync(path.join(DATA, name), body);
  manifest.files[name] = {
    bytes: Buffer.byteLength(body),
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

function stats(queries) {
  const sizes = queries.map((x) => x.truth.length).sort((a, b) => a - b);
  const sum = sizes.reduce((a, b) => a + b, 0);
  return { queries: queries.length, truthTotal: sum, truthMean: +(sum / sizes.length).toFixed(2),
    truthMedian: sizes[sizes.length >> 1], truthMax: sizes[sizes.length - 1] };
}

function main() {
  const t0 = performance.now();
  const srcFile = findSourceText();
  log('source', srcFile);
  const raw = fs.readFileSync(srcFile);
  const text = raw.toString('utf8').replace(/\s+/gu, '');
  const cps = Array.from(text); // code points
  const available = Math.floor(cps.length / DOC_CHARS);
  log(`text: ${raw.length} bytes, ${cps.length} code points without whitespace -> ` +
      `${available} full ${DOC_CHARS}-character documents (remainder ${cps.length % DOC_CHARS})`);
  if (available < SMALL_DOCS) throw new Error(`text yields only ${available} documents, need ${SMALL_DOCS}`);

  // Corpus A: consecutive slices, the first 2,239.
  const small = [];
  for (let i = 0; i < SMALL_DOCS; i++) {
    const c = cps.slice(i * DOC_CHARS, (i + 1) * DOC_CHARS);
    small.push({ id: i, text: c.join(''), cps: c });
  }
  // Corpus B: 10,000 windows of 500 code points at seeded random offsets in
  // [0, N-500] of the same whitespace-free text (windows may overlap).
  const rndL = mulberry32(SEEDS.largeCorpus);
  const large = [];
  for (let i = 0; i < LARGE_DOCS; i++) {
    const off = randInt(rndL, cps.length - DOC_CHARS + 1);
    const c = cps.slice(off, off + DOC_CHARS);
    large.push({ id: i, text: c.join(''), cps: c, off });
  }

  const cn2tw = OpenCC.Converter({ from: 'cn', to: 'tw' });
  fs.mkdirSync(DATA, { recursive: true });
  const manifest = {
    source: { crate: `zhconv ${ZHCONV_VERSION}`, file: REL, bytes: raw.length,
      sha256: createHash('sha256').update(raw).digest('hex'), codePointsNoWhitespace: cps.length,
      fullDocuments: available },
    method: {
      whitespace: 'removed with /\\s+/gu (includes U+3000 ideographic space)',
      docs2239: `consecutive ${DOC_CHARS}-code-point slices, first ${SMALL_DOCS} taken`,
      docs10000: `${LARGE_DOCS} windows of ${DOC_CHARS} code points at offsets floor(r*(N-${DOC_CHARS}+1)), ` +
        `r from mulberry32(${SEEDS.largeCorpus}); N = code points without whitespace`,
      queries: `${QUERY_COUNT} distinct queries: mulberry32(seed) picks a document, a length 2..4 and an offset; ` +
        'the slice is kept if every character is Han (\\p{Script=Han}); truth = ids of documents containing it',
      crossScript: 'each query converted with opencc-js Converter({from:"cn",to:"tw"}); truth unchanged; ' +
        'changed marks queries whose Traditional form differs (the runner scores those as the cross-script set)',
      seeds: SEEDS,
    },
    files: {},
    corpora: {},
  };

  for (const [name, docs, seed] of [['2239', small, SEEDS.querySmall], ['10000', large, SEEDS.queryLarge]]) {
    const { queries, draws } = makeQueries(docs, seed);
    const tw = queries.map(({ q, truth }) => { const t = cn2tw(q); return { q: t, truth, changed: t !== q }; });
    const changed = tw.filter((x) => x.changed).length;
    writeJson(`docs-${name}.json`, docs.map(({ id, text }) => ({ id, text })), manifest);
    writeJson(`queries-${name}.json`, queries, manifest);
    writeJson(`queries-${name}-tw.json`, tw, manifest);
    manifest.corpora[name] = { docs: docs.length, queryDraws: draws, ...stats(queries),
      crossScriptChanged: changed };
    log(`corpus ${name}: ${docs.length} docs; ${queries.length} queries from ${draws} draws; ` +
        `truth mean ${manifest.corpora[name].truthMean}, max ${manifest.corpora[name].truthMax}; ` +
        `${changed}/${queries.length} queries differ in Traditional`);
  }
  fs.writeFileSync(path.join(DATA, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  log(`wrote ${Object.keys(manifest.files).length} files to ${path.relative(process.cwd(), DATA) || DATA} ` +
      `in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
