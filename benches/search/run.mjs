#!/usr/bin/env node
// Side-by-side search benchmark in headless Chromium.
//
//   node benches/search/prepare.mjs      # once: builds benches/search/data/
//   node benches/search/run.mjs [--engines minisearch,flexsearch,pagefind] [--corpora 2239,10000]
//                               [--rounds 5] [--warmup 1] [--reuse-index] [--out FILE]
//
// For every engine and corpus: builds the engine's index in Node (adapter.prepare),
// serves it from a local server on 127.0.0.1, opens a fresh page, loads the engine
// and answers the first query (bytes transferred counted here), then runs all
// queries (timed in the page) and the cross-script queries, measures memory, and
// scores the returned ids against the truth. Prints a table and writes results.json.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, servedSize, gzip9 } from './lib/server.mjs';
import { walk } from './lib/pkg.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(HERE, 'data');
const ADAPTERS = path.join(HERE, 'adapters');

// ---------- options ----------
function parseArgs(argv) {
  const o = { engines: null, corpora: ['2239', '10000'], rounds: 5, warmup: 1, reuseIndex: false,
    out: path.join(HERE, 'results.json'), chromium: process.env.CHROMIUM || CHROMIUM_PATH };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const key = a.split('=')[0];
    if (key === '--engines') o.engines = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === '--corpora') o.corpora = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === '--rounds') o.rounds = Math.max(1, parseInt(val(), 10));
    else if (key === '--warmup') o.warmup = Math.max(0, parseInt(val(), 10));
    else if (key === '--reuse-index') o.reuseIndex = true;
    else if (key === '--out') o.out = path.resolve(val());
    else if (key === '--chromium') o.chromium = val();
    else if (key === '-h' || key === '--help') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 13)
        .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

async function loadAdapters() {
  const all = {};
  for (const f of fs.readdirSync(ADAPTERS).filter((f) => f.endsWith('.mjs')).sort()) {
    const mod = await import(pathToFileURL(path.join(ADAPTERS, f)).href);
    const a = mod.default;
    if (!a || !a.name || typeof a.prepare !== 'function' || (typeof a.page !== 'function' && !a.pageModule)) {
      throw new Error(`adapters/${f}: default export must be { name, prepare(), page() | pageModule }`);
    }
    all[a.name] = a;
  }
  return all;
}

/** ES module source for the page side of an adapter. */
function pageModuleSource(a) {
  if (a.pageModule) return fs.readFileSync(a.pageModule, 'utf8');
  const src = a.page.toString().trim();
  const isExpr = /^(async\s+)?function\b/.test(src) || /^(async\s*)?(\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/.test(src);
  // Method shorthand (`async page(...) {}`) is wrapped in an object literal.
  return `// page side of adapters/${a.name}.mjs\nexport default ${isExpr ? `(${src})` : `({ ${src} }).page`};\n`;
}

function sizeOf(dir, files) {
  let raw = 0, gz = 0, served = 0;
  for (const f of files) {
    const b = fs.readFileSync(path.join(dir, f));
    raw += b.length;
    gz += gzip9(b).length;
    served += servedSize(b);
  }
  return { files: files.length, raw, gz, served };
}

function readJson(f) {
  if (!fs.existsSync(f)) throw new Error(`${path.relative(process.cwd(), f)} is missing: run node benches/search/prepare.mjs first`);
  return JSON.parse(fs.readFileSync(f, 'utf8'));
}

// ---------- scoring ----------
function score(queries, answers) {
  let tp = 0, returned = 0, truthN = 0, dup = 0;
  let rSum = 0, pSum = 0, pN = 0, empty = 0;
  queries.forEach(({ truth }, i) => {
    const got = new Set(answers[i]);
    dup += answers[i].length - got.size;
    const T = new Set(truth);
    let hit = 0;
    for (const id of got) if (T.has(id)) hit++;
    tp += hit; returned += got.size; truthN += T.size;
    rSum += T.size ? hit / T.size : 1;
    if (got.size) { pSum += hit / got.size; pN++; } else empty++;
  });
  const r3 = (x) => (Number.isFinite(x) ? +x.toFixed(4) : null);
  return {
    queries: queries.length,
    recall: r3(tp / truthN), precision: r3(returned ? tp / returned : NaN),
    macroRecall: r3(rSum / queries.length), macroPrecision: r3(pN ? pSum / pN : NaN),
    truth: truthN, returned, correct: tp, emptyAnswers: empty, duplicateIds: dup,
  };
}

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[k];
}

function timeStats(xs) {
  const sorted = [...xs].sort((x, y) => x - y);
  const r4 = (x) => +x.toFixed(4);
  return { mean: r4(xs.reduce((s, x) => s + x, 0) / xs.length), p50: r4(pct(sorted, 50)),
    p95: r4(pct(sorted, 95)), max: r4(sorted[sorted.length - 1]) };
}

// ---------- browser helpers ----------
async function gcAndMeasure(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const m = await page.evaluate(() => window.bench.memory());
  const heap = await cdp.send('Runtime.getHeapUsage');
  return { ...m, jsHeapUsed: heap.usedSize };
}

// Requests seen by Playwright (CDP Network events of the page and of the workers
// it attaches to), with their encoded sizes. Chromium reports a worker's own
// script with a body size of 0 there, so bodies are also counted by the server.
function trackNetwork(context) {
  let on = false;
  let pending = [];
  context.on('requestfinished', (req) => {
    if (!on) return;
    pending.push(req.sizes().then((s) => ({ url: req.url(), body: s.responseBodySize, headers: s.responseHeadersSize }))
      .catch(() => ({ url: req.url(), body: 0, headers: 0 })));
  });
  context.on('requestfailed', (req) => {
    if (on) pending.push(Promise.resolve({ url: req.url(), body: 0, headers: 0, failed: req.failure()?.errorText }));
  });
  return {
    start() { pending = []; on = true; },
    async stop() {
      await new Promise((r) => setTimeout(r, 200)); // let the last events arrive
      on = false;
      return Promise.all(pending);
    },
  };
}

// ---------- main ----------
async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const adapters = await loadAdapters();
  const names = opt.engines || Object.values(adapters).filter((a) => a.enabledByDefault !== false).map((a) => a.name);
  for (const n of names) if (!adapters[n]) throw new Error(`unknown engine ${n}; have: ${Object.keys(adapters).join(', ')}`);
  const manifest = readJson(path.join(DATA, 'manifest.json'));

  const virtual = {
    '/bench.html': { body: '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>bench</title>' +
      '<link rel="icon" href="data:,"></head><body><script type="module" src="/harness.js"></script></body></html>' },
    '/harness.js': { body: fs.readFileSync(path.join(HERE, 'lib', 'harness.js')) },
  };
  const mounts = [['/idx/', path.join(DATA, 'index')]];
  for (const n of names) {
    virtual[`/adapter/${n}.js`] = { body: pageModuleSource(adapters[n]) };
    for (const [prefix, dir] of Object.entries(adapters[n].assets || {})) mounts.push([`/assets/${n}/${prefix}`, dir]);
  }
  fs.mkdirSync(path.join(DATA, 'index'), { recursive: true });
  const server = await startServer({ mounts, virtual });

  const browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: [...CHROMIUM_ARGS,
      // resolve measureUserAgentSpecificMemory() at once instead of at a random later GC
      '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  const results = { date: new Date().toISOString(), chromium: browser.version(), node: process.version,
    options: { rounds: opt.rounds, warmup: opt.warmup }, loadAverageAtStart: os.loadavg(), cpus: os.cpus().length,
    dataset: manifest.corpora, runs: [] };
  const t0 = performance.now();
  try {
    for (const corpus of opt.corpora) {
      const docsFile = path.join(DATA, `docs-${corpus}.json`);
      const docs = readJson(docsFile);
      const queries = readJson(path.join(DATA, `queries-${corpus}.json`));
      const tw = readJson(path.join(DATA, `queries-${corpus}-tw.json`));
      const twChanged = tw.filter((x) => x.changed);
      for (const name of names) {
        const a = adapters[name];
        const tag = `${name}/${corpus}`;
        let rec;
        let context = null;
        try {
          // 1. build the index (Node side)
          const outDir = path.join(DATA, 'index', name, corpus);
          const stamp = path.join(DATA, 'index', name, `${corpus}.build.json`);
          let built, buildMs;
          if (opt.reuseIndex && fs.existsSync(stamp)) {
            ({ built, buildMs } = JSON.parse(fs.readFileSync(stamp, 'utf8')));
            console.log(`[run] ${tag}: reusing index built earlier (${(buildMs / 1000).toFixed(1)} s)`);
          } else {
            fs.rmSync(outDir, { recursive: true, force: true });
            fs.mkdirSync(outDir, { recursive: true });
            process.stdout.write(`[run] ${tag}: building index... `);
            const b0 = performance.now();
            built = (await a.prepare({ corpus, docs, docsFile, outDir })) || {};
            buildMs = performance.now() - b0;
            console.log(`${(buildMs / 1000).toFixed(1)} s`);
            fs.writeFileSync(stamp, JSON.stringify({ built, buildMs }));
          }
          const codeFiles = built.codeFiles || [];
          const otherFiles = built.otherFiles || [];
          const indexFiles = built.indexFiles || walk(outDir).filter((f) => !codeFiles.includes(f) && !otherFiles.includes(f));
          const indexSize = sizeOf(outDir, indexFiles);
          const otherSize = sizeOf(outDir, otherFiles);
          const assetDirs = Object.values(a.assets || {});
          const opts = { indexUrl: `/idx/${name}/${corpus}/`, assetsUrl: `/assets/${name}/`, config: built.config || {} };

          // 2. fresh page: load + first query, counting bytes
          context = await browser.newContext();
          const page = await context.newPage();
          const pageErrors = [];
          page.on('pageerror', (e) => pageErrors.push(String(e)));
          page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`console.${m.type()}: ${m.text()}`); });
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
          await cdp.send('HeapProfiler.enable');
          const net = trackNetwork(context);
          await page.goto(server.origin + '/bench.html');
          await page.waitForFunction(() => window.bench);
          const isolated = await page.evaluate(() => window.bench.isolated());
          // the adapter glue (/adapter/NAME.js) is part of the page, fetched before counting
          await page.evaluate((n) => import(`/adapter/${n}.js`), name);
          const memBefore = await gcAndMeasure(page, cdp);

          net.start();
          const mark = server.mark();
          const first = await page.evaluate(([n, o, q]) => window.bench.loadAndFirst(n, o, q), [name, opts, queries[0].q]);
          const reqs = await net.stop();
          const served = server.since(mark);
          // Only what the engine fetched: its code (/assets/..., or code files in its index
          // folder such as pagefind.js) and its index (/idx/...).
          const isEngine = (p) => p.startsWith('/idx/') || p.startsWith('/assets/');
          const isCode = (p) => p.startsWith('/assets/') || codeFiles.some((f) => p === opts.indexUrl + f);
          const pw = reqs.map((r) => ({ ...r, path: new URL(r.url).pathname })).filter((r) => isEngine(r.path));
          const sv = served.filter((r) => isEngine(r.url));
          const svBody = (pred) => sv.filter((r) => pred(r.url)).reduce((s, r) => s + r.bytes, 0);
          const pwHeaders = (pred) => pw.filter((r) => pred(r.path)).reduce((s, r) => s + Math.max(0, r.headers), 0);
          const transfer = {
            // bodies as sent (gzip where it helps), counted by the server, plus response headers from CDP
            bytes: svBody(() => true) + pwHeaders(() => true),
            codeBytes: svBody(isCode) + pwHeaders(isCode),
            requests: sv.length,
            urls: sv.map((r) => `${r.url} ${r.bytes}`),
            // cross-check: encoded bodies as CDP reported them (0 for a worker's own script)
            cdpBodyBytes: pw.reduce((s, r) => s + Math.max(0, r.body), 0),
            cdpRequests: pw.length,
          };
          transfer.indexBytes = transfer.bytes - transfer.codeBytes;
          const memLoaded = await gcAndMeasure(page, cdp);

          // 3. all queries, timed in the page; then the cross-script queries
          const run = await page.evaluate(([qs, o]) => window.bench.run(qs, o),
            [queries.map((x) => x.q), { rounds: opt.rounds, warmup: opt.warmup }]);
          const twIds = await page.evaluate((qs) => window.bench.answer(qs), tw.map((x) => x.q));
          const memAfter = await gcAndMeasure(page, cdp);
          await context.close();
          context = null;

          const all = timeStats(run.samples);
          // per query, the median of its timed rounds: filters one-off stalls (another
          // process taking the core, a GC) that otherwise dominate sub-millisecond means
          const nq = queries.length;
          const perQuery = queries.map((_, i) => {
            const xs = [];
            for (let r = 0; r < opt.rounds; r++) xs.push(run.samples[r * nq + i]);
            xs.sort((x, y) => x - y);
            return xs.length % 2 ? xs[xs.length >> 1] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
          });
          const med = timeStats(perQuery);
          rec = {
            engine: name, label: a.label || name, corpus: Number(corpus), docs: docs.length,
            buildSeconds: +(buildMs / 1000).toFixed(2),
            substring: score(queries, run.ids),
            crossScript: score(twChanged, twIds.filter((_, i) => tw[i].changed)),
            crossScriptAll: score(tw, twIds),
            time: { meanMs: med.mean, p50Ms: med.p50, p95Ms: med.p95, maxMs: med.max, method: `per-query median of ${opt.rounds} rounds`,
              allSamples: { ...all, samples: run.samples.length },
              loadMs: +first.loadMs.toFixed(1), firstQueryMs: +first.firstQueryMs.toFixed(2), coldMs: +first.coldMs.toFixed(1) },
            index: { ...indexSize, gzPerDoc: +(indexSize.served / docs.length).toFixed(1), files: indexFiles.length },
            otherFiles: otherSize,
            codeAssets: assetDirs.length ? 'served from ' + assetDirs.map((d) => path.relative(process.cwd(), d)).join(', ') : undefined,
            transferBeforeFirstResult: transfer,
            memory: {
              method: memLoaded.method, isolated,
              afterLoadBytes: memLoaded.bytes - memBefore.bytes,
              afterQueriesBytes: memAfter.bytes - memBefore.bytes,
              jsHeapAfterLoadBytes: memLoaded.jsHeapUsed - memBefore.jsHeapUsed,
              breakdownAfterQueries: memAfter.breakdown,
            },
            pageErrors: pageErrors.slice(0, 20),
          };
        } catch (e) {
          console.error(`[run] ${tag}: FAILED: ${e && e.stack || e}`);
          if (context) await context.close().catch(() => {});
          results.runs.push({ engine: name, label: a.label || name, corpus: Number(corpus), error: String(e && e.message || e) });
          continue;
        }
        results.runs.push(rec);
        const transfer = rec.transferBeforeFirstResult;
        const pageErrors = rec.pageErrors;
        console.log(`[run] ${tag}: R ${rec.substring.recall} P ${rec.substring.precision} | xs R ${rec.crossScript.recall} ` +
          `P ${rec.crossScript.precision} | mean ${rec.time.meanMs} ms p95 ${rec.time.p95Ms} ms | ` +
          `${rec.index.gzPerDoc} gz B/doc | ${(transfer.bytes / 1000).toFixed(1)} kB before first result ` +
          `(CDP bodies ${(transfer.cdpBodyBytes / 1000).toFixed(1)} kB, ${transfer.cdpRequests}/${transfer.requests} requests) | mem ${(rec.memory.afterQueriesBytes / 1e6).toFixed(1)} MB` +
          (pageErrors.length ? ` | ${pageErrors.length} page errors/warnings: ${pageErrors[0]}` : ''));
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  results.totalSeconds = +((performance.now() - t0) / 1000).toFixed(1);
  results.loadAverageAtEnd = os.loadavg();
  fs.writeFileSync(opt.out, JSON.stringify(results, null, 2) + '\n');
  printTable(results);
  console.log(`\nwrote ${path.relative(process.cwd(), opt.out)} (${results.totalSeconds} s)`);
  if (results.runs.some((r) => r.error)) process.exitCode = 1;
}

function printTable(results) {
  const f = (x, d) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
  const head = ['engine', 'docs', 'recall', 'prec', 'xs rec', 'xs prec', 'mean ms', 'p95 ms',
    'gz B/doc', 'first kB', '(code kB)', 'cold ms', 'mem MB', 'build s'];
  const rows = results.runs.map((r) => (r.error ? [r.engine, String(r.corpus), 'error: ' + r.error.slice(0, 60)] : [
    r.engine, String(r.docs),
    f(r.substring.recall, 3), f(r.substring.precision, 3),
    f(r.crossScript.recall, 3), f(r.crossScript.precision, 3),
    f(r.time.meanMs, 3), f(r.time.p95Ms, 3),
    f(r.index.gzPerDoc, 0), f(r.transferBeforeFirstResult.bytes / 1000, 1),
    f(r.transferBeforeFirstResult.codeBytes / 1000, 1), f(r.time.coldMs, 0),
    f(r.memory.afterQueriesBytes / 1e6, 1), f(r.buildSeconds, 1),
  ]));
  const w = head.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length === head.length).map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log('\n' + line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(r.length === head.length ? line(r) : `${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2]}`);
  console.log(`\nChromium ${results.chromium}; ${results.options.rounds} timed rounds after ${results.options.warmup} warm-up, ` +
    'mean/p95 over the 300 queries of each query\'s median round; ' +
    'recall/precision pooled over all queries; xs = Traditional queries whose form differs from the Simplified; ' +
    'first kB = bytes the engine fetched (code + index, as sent) to load and answer the first query on a fresh page; ' +
    'cold ms = load + first query on that fresh page; mem = measureUserAgentSpecificMemory after the queries ' +
    `minus before load. Load average ${results.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')} at start on ${results.cpus} CPUs.`);
}

main().catch((e) => { console.error(e); process.exit(1); });
