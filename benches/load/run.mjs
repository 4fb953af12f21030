#!/usr/bin/env node
// Load-budget benchmark (issue 7): our release build beside a VitePress 1.x site of the same
// markdown, on a slow phone profile, in Debian's Chromium.
//
//   node benches/load/run.mjs [--dist DIR] [--runs N] [--case ID] [--home] [--port N]
//                             [--reuse-vitepress] [--floor] [--versus DIR] [--chromium PATH]
//
//   --dist DIR         our build (default dist/; make it with `bash scripts/build.sh`)
//   --runs N           runs per site and visit kind (default 7, at least 1)
//   --case ID          the case study whose page is measured (default fengqiao-jingyan)
//   --home             also measure our home page (VitePress has no home page for this content)
//   --port N           ports N (ours), N+1 (VitePress), N+2 (floor), N+3 (versus) on 127.0.0.1
//                      (default 8181)
//   --reuse-vitepress  keep the VitePress build from an earlier run instead of rebuilding it
//   --floor            also measure the floor: our build with the article page cut down to a bare
//                      <h1> (no CSS, no app), served and measured the same way
//   --versus DIR       also measure another build of ours (an experiment), taking turns with the
//                      others, on port N+3: an A/B comparison within one run
//   --chromium PATH    browser binary (default /usr/bin/chromium, or env CHROMIUM)
//
// Prints our per-file sizes, then for each site the first contentful paint, the time the
// article's <h1> is visible, the interactive time and the bytes transferred, on a cold and a
// repeat visit: median and range of N runs, the sites taking turns. Raw samples go to
// benches/load/out/results.json. Exits 0 when it ran, whatever the figures; 1 when it could not.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetSizes } from './sizes.mjs';
import { serve } from './server.mjs';
import { PROFILE, VIEWPORT, prepareContext, visit } from './measure.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const OUT = join(HERE, 'out');
const VITEPRESS_ROOT = join(HERE, 'vitepress');
const VITEPRESS_DIST = join(OUT, 'vitepress');
const SITE_NAME = '智慧党建学习平台';
const GOALS = { firstLoadGz: 250 * 1024, headingCold: 900, headingRepeat: 400 };

class Fatal extends Error {}

/** A path as the reader would type it: relative inside the repository, absolute outside. */
const shown = (path) => {
  const rel = relative(REPO, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
};

function usage() {
  return readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 24)
    .map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

function parseArgs(argv) {
  const o = {
    dist: join(REPO, 'dist'), runs: 7, caseId: 'fengqiao-jingyan', home: false, port: 8181,
    reuseVitepress: false, floor: false, versus: null, chromium: process.env.CHROMIUM || CHROMIUM_PATH,
  };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split(/=(.*)/s);
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Fatal(`${key} needs a value (see --help)`);
      return argv[++i];
    };
    const count = (min) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Fatal(`${key} needs a whole number ≥ ${min}`);
      return n;
    };
    if (key === '--dist') o.dist = resolve(value());
    else if (key === '--runs') o.runs = count(1);
    else if (key === '--case') o.caseId = value();
    else if (key === '--home') o.home = true;
    else if (key === '--port') o.port = count(1);
    else if (key === '--reuse-vitepress') o.reuseVitepress = true;
    else if (key === '--floor') o.floor = true;
    else if (key === '--versus') o.versus = resolve(value());
    else if (key === '--chromium') o.chromium = value();
    else if (key === '-h' || key === '--help') {
      console.log(usage());
      process.exit(0);
    } else throw new Fatal(`unknown option ${argv[i]} (see --help)`);
  }
  return o;
}

/** The `title:` of a content file's front matter (plain or quoted scalar). */
function frontMatterTitle(file) {
  const text = readFileSync(file, 'utf8');
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const line = /^title:\s*(.+?)\s*$/m.exec(front)?.[1];
  if (!line) throw new Fatal(`${relative(REPO, file)} has no title in its front matter`);
  const quoted = /^(["'])(.*)\1$/.exec(line);
  return quoted ? quoted[2].replace(/\\"/g, '"').replace(/''/g, "'") : line;
}

async function importOrExplain(name) {
  try {
    return await import(name);
  } catch {
    throw new Fatal(`the npm package ${name} is missing: run \`npm ci\` in ${REPO}`);
  }
}

function checkInputs(o) {
  if (!existsSync(join(o.dist, 'index.html'))) {
    throw new Fatal(
      `${shown(o.dist)}/index.html not found: build ours first with\n` +
      '    bash scripts/build.sh\n' +
      'or build elsewhere and point the benchmark at it:\n' +
      '    cp -r dist /tmp/load-dist && node benches/load/run.mjs --dist /tmp/load-dist',
    );
  }
  if (!existsSync(o.chromium)) {
    throw new Fatal(`no browser at ${o.chromium}: install Debian's Chromium (apt-get install chromium; ` +
      'bash scripts/setup.sh does it) or pass --chromium PATH');
  }
  const source = join(REPO, 'content', 'cases', `${o.caseId}.md`);
  if (!existsSync(source)) throw new Fatal(`content/cases/${o.caseId}.md not found (--case)`);
  return source;
}

function buildVitepress(reuse) {
  const pkg = join(REPO, 'node_modules/vitepress/package.json');
  if (!existsSync(pkg)) throw new Fatal(`the npm package vitepress is missing: run \`npm ci\` in ${REPO}`);
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  if (reuse && existsSync(join(VITEPRESS_DIST, 'cases'))) return version;
  const started = Date.now();
  console.log(`building the VitePress ${version} site from content/ …`);
  // In a child process: its progress spinner writes straight to the terminal.
  const built = spawnSync(process.execPath, [join(REPO, 'node_modules/vitepress/bin/vitepress.js'), 'build', VITEPRESS_ROOT],
    { cwd: REPO, encoding: 'utf8' });
  if (built.status !== 0) {
    throw new Fatal(`VitePress build failed:\n${built.stdout}${built.stderr}${built.error?.message ?? ''}`);
  }
  console.log(`  built in ${((Date.now() - started) / 1000).toFixed(1)} s → ${relative(REPO, VITEPRESS_DIST)}/`);
  return version;
}

/**
 * The floor: a copy of our build whose article page is only its heading (doctype, charset,
 * viewport, title, the service worker's registration and an <h1>). What this page costs on the
 * profile is what the browser itself costs (a new tab, the worker, one paint), not the page.
 */
function buildFloor(dist, path, title) {
  const root = join(OUT, 'floor');
  rmSync(root, { recursive: true, force: true });
  cpSync(dist, root, { recursive: true });
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const html = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${esc(title)}</title><script src="/sw-register.js" defer></script></head>` +
    `<body><h1>${esc(title)}</h1></body></html>`;
  writeFileSync(join(root, `.${path}`, 'index.html'), html);
  return root;
}

// ---------- figures ----------

const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
// Each metric's number format and unit, so a range reads "1.37 s (1.30–1.45)".
const SECONDS = { num: (ms) => (ms / 1000).toFixed(2), unit: ' s' };
const KILOBYTES = { num: (n) => (n / 1024).toFixed(1), unit: ' kB' };
const COUNT = { num: (n) => n.toFixed(0), unit: '' };

function summary(values) {
  const xs = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], n: xs.length, missing: values.length - xs.length };
}

function showSummary(s, { num, unit }) {
  if (!s) return '—';
  const missing = s.missing ? ` [${s.missing} missing]` : '';
  return `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})${missing}`;
}

function printSizes(dist) {
  const s = budgetSizes(dist);
  const row = (label, f, note = '') => console.log(
    `  ${label.padEnd(62)} ${kB(f.raw).padStart(10)} ${kB(f.gz).padStart(10)}${note ? `  ${note}` : ''}`);
  console.log(`\nOur build (${shown(dist)}/): raw and gzip -9, kB = 1024 B (as scripts/sizes.mjs)`);
  console.log(`  ${'file'.padEnd(62)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}`);
  for (const f of s.shell) row(f.name, f);
  const verdict = s.firstLoad.gz <= GOALS.firstLoadGz ? 'meets' : 'misses';
  row('first load: index.html + JS + WASM + CSS', s.firstLoad,
    `goal ≤ 250 kB gz: ${verdict} (${s.firstLoad.gz.toLocaleString('en')} B)`);
  if (s.manifest) row(`${s.manifest.name} (every page fetches it)`, s.manifest);
  if (s.search.files > 0) {
    row(`search index: ${s.search.files} file(s), total (loads on first focus)`, s.search);
    if (s.search.files > 1) row(`  largest: ${s.search.largest.name}`, s.search.largest);
    else console.log(`    (${s.search.largest.name})`);
  } else console.log('  search index: none found (search-index*.bin or search/)');
  if (s.largestBody) row(`largest content body: ${s.largestBody.name}`, s.largestBody);
  if (s.largestRoutePage) row(`largest route page: ${s.largestRoutePage.name}`, s.largestRoutePage);
  row(`everything (${s.all.files} files)`, s.all);
  return s;
}

const METRICS = [
  ['first contentful paint', 'fcp', SECONDS],
  ['heading visible', 'heading', SECONDS],
  ['interactive (generic)', 'interactive', SECONDS],
  ['app mounted (Trunk event)', 'appStarted', SECONDS],
  ['transferred', 'bytes', KILOBYTES],
  ['requests', 'requests', COUNT],
  ['server sent (with SW)', 'serverBytes', KILOBYTES],
];

function printPage(page, targets, results) {
  const cols = targets.map((t) => t.label);
  for (const mode of ['cold', 'repeat']) {
    console.log(`\n  ${mode === 'cold' ? 'cold visit (new context, empty cache)' : 'repeat visit (same context, new tab)'}`);
    console.log(`    ${''.padEnd(27)}${cols.map((c) => c.padEnd(30)).join('')}`.trimEnd());
    for (const [label, key, fmt] of METRICS) {
      const cells = targets.map((t) => results[page.path]?.[t.name]?.[mode] ?? []);
      if (key === 'appStarted' && cells.every((runs) => runs.every((r) => r.appStarted == null))) continue;
      const shown = cells.map((runs) => (runs.length ? showSummary(summary(runs.map((r) => r[key])), fmt) : ''));
      console.log(`    ${label.padEnd(27)}${shown.map((c) => c.padEnd(30)).join('')}`.trimEnd());
    }
    for (const t of targets) {
      const runs = results[page.path]?.[t.name]?.[mode] ?? [];
      const errors = runs.filter((r) => r.error);
      if (errors.length) console.log(`    ${t.label}: ${errors.length} run(s) failed, e.g. ${errors[0].error}`);
      const workers = new Set(runs.filter((r) => !r.error).map((r) => (mode === 'cold' ? r.worker : r.controlled ? 'controlled' : 'not controlled')));
      if (mode === 'cold' && [...workers].some((w) => w !== 'none')) console.log(`    ${t.label}: service worker after the cold visit: ${[...workers].join(', ')}`);
      if (mode === 'repeat' && workers.has('controlled')) console.log(`    ${t.label}: repeat visits served through the service worker`);
    }
  }
}

function printGoals(sizes, article, targets, results) {
  const med = (target, mode) => summary((results[article.path]?.[target]?.[mode] ?? []).map((r) => r.heading))?.median;
  const vpLabel = targets.find((t) => t.name === 'vitepress')?.label ?? 'VitePress';
  console.log('\nGoals (issue 7), on the article page:');
  const firstLoad = sizes.firstLoad.gz;
  console.log(`  first load ≤ 250 kB gz: ${kB(firstLoad)} — ${firstLoad <= GOALS.firstLoadGz ? 'met' : 'missed'}`);
  for (const [mode, goal] of [['cold', GOALS.headingCold], ['repeat', GOALS.headingRepeat]]) {
    const ours = med('ours', mode);
    const vp = med('vitepress', mode);
    if (ours === undefined) {
      console.log(`  heading visible ${mode} ≤ ${sec(goal)}: no figure for ours`);
      continue;
    }
    const within = ours <= goal ? 'met' : 'missed';
    const sooner = vp === undefined ? 'no VitePress figure'
      : ours < vp ? `sooner than ${vpLabel} (${sec(vp)}): met` : `not sooner than ${vpLabel} (${sec(vp)}): missed`;
    console.log(`  heading visible ${mode} ≤ ${sec(goal)}: ours ${sec(ours)} — ${within}; ${sooner}`);
  }
}

// ---------- main ----------

async function main() {
  const started = Date.now();
  const o = parseArgs(process.argv.slice(2));
  const caseSource = checkInputs(o);
  const { chromium } = await importOrExplain('playwright-core');
  const vpVersion = buildVitepress(o.reuseVitepress);
  mkdirSync(OUT, { recursive: true });

  const article = { path: `/cases/${o.caseId}`, title: frontMatterTitle(caseSource), targets: ['ours', 'vitepress'] };
  const pages = [article];
  if (o.home) pages.push({ path: '/', title: SITE_NAME, targets: ['ours'] });

  const sizes = printSizes(o.dist);

  const servers = [];
  let browser;
  const results = {};
  try {
    const start = (root, port) => serve(root, port).then(
      (server) => { servers.push(server); return server; },
      (err) => { throw new Fatal(`cannot serve ${shown(root)}: ${err.message}`); },
    );
    const ours = await start(o.dist, o.port);
    const vp = await start(VITEPRESS_DIST, o.port + 1);
    const targets = [
      { name: 'ours', label: 'ours (Leptos)', url: ours.url, server: ours },
      { name: 'vitepress', label: `VitePress ${vpVersion}`, url: vp.url, server: vp },
    ];
    if (o.versus) {
      if (!existsSync(join(o.versus, 'index.html'))) throw new Fatal(`--versus ${shown(o.versus)}: no index.html there`);
      const other = await start(o.versus, o.port + 3);
      targets.push({ name: 'versus', label: `ours (${shown(o.versus)})`.slice(0, 28), url: other.url, server: other });
      article.targets.push('versus');
    }
    if (o.floor) {
      const floor = await start(buildFloor(o.dist, article.path, article.title), o.port + 2);
      targets.push({ name: 'floor', label: 'bare <h1> (floor)', url: floor.url, server: floor });
      article.targets.push('floor');
    }
    try {
      browser = await chromium.launch({ executablePath: o.chromium, headless: true, args: CHROMIUM_ARGS });
    } catch (err) {
      throw new Fatal(`Chromium at ${o.chromium} did not start: ${err.message.split('\n')[0]}`);
    }

    console.log(`\nProfile: latency ${PROFILE.network.latency} ms, down ${PROFILE.network.downloadThroughput.toLocaleString('en')} B/s, ` +
      `up ${PROFILE.network.uploadThroughput.toLocaleString('en')} B/s (CDP network emulation), CPU ×${PROFILE.cpuRate}, ` +
      `${VIEWPORT.viewport.width}×${VIEWPORT.viewport.height} phone viewport, Chromium ${browser.version()} headless.`);
    console.log('Served by benches/load/server.mjs for both: gzip -9, hashed files immutable, the rest no-cache + ETag.');
    console.log(`${o.runs} runs per site and visit kind, the sites taking turns; figures are median (min–max) from navigation start.`);

    for (const page of pages) {
      const pageTargets = targets.filter((t) => page.targets.includes(t.name));
      results[page.path] = {};
      console.log(`\n${page.path} — heading “${page.title}”`);
      for (let run = 1; run <= o.runs; run++) {
        for (const t of pageTargets) {
          const context = await browser.newContext({ ...VIEWPORT, locale: 'zh-CN' });
          await prepareContext(context, page.title);
          const url = `${t.url}${page.path}`;
          // The server's count also holds what a service worker fetched (CDP sees only the page's).
          const sentBy = async (run) => {
            const before = t.server.stats.bytes;
            const result = await run();
            return { ...result, serverBytes: t.server.stats.bytes - before };
          };
          const cold = await sentBy(() => visit(context, url, { waitForWorker: true }));
          const repeat = await sentBy(() => visit(context, url));
          await context.close();
          const slot = (results[page.path][t.name] ??= { cold: [], repeat: [] });
          slot.cold.push(cold);
          slot.repeat.push(repeat);
          const brief = (r) => (r.error ? `failed (${r.error})`
            : `heading ${r.heading == null ? '—' : sec(r.heading)}, ${kB(r.bytes)}`);
          console.log(`  run ${run}/${o.runs} ${t.label.padEnd(16)} cold: ${brief(cold)}; repeat: ${brief(repeat)}`);
        }
      }
    }

    console.log('\nResults');
    for (const page of pages) {
      console.log(`\n${page.path}`);
      printPage(page, targets.filter((t) => page.targets.includes(t.name)), results);
    }
    console.log(`
Definitions: first contentful paint from the paint timeline; heading visible = an <h1> with the
page's title has been painted in the viewport (Element Timing); interactive
(generic, both sites) = from the load event on, the end of the last long task (> 50 ms) before
the first 2 s with no long task and no request in flight, or the load event if no long task
follows (Lighthouse's rule with a 2 s window); app mounted (ours only) = Trunk's
TrunkApplicationStarted event, fired once the WASM's main has mounted the Leptos app, i.e. it
handles input; transferred = encoded bytes of the page's responses (headers included, 0 from cache);
server sent = response bodies our server sent during the visit, a service worker's precache
included (the page's own figure, transferred, does not count the worker's fetches).`);
    printGoals(sizes, article, targets, results);
    const failed = targets.filter((t) => !results[article.path][t.name].cold.some((r) => !r.error));

    const file = join(OUT, 'results.json');
    writeFileSync(file, `${JSON.stringify({
      date: new Date().toISOString(), runs: o.runs, profile: PROFILE, viewport: VIEWPORT,
      chromium: browser.version(), vitepress: vpVersion, dist: o.dist, sizes, results,
    }, null, 2)}\n`);
    console.log(`\nRaw samples: ${relative(REPO, file)}; ran in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    if (failed.length) throw new Fatal(`no run of ${failed.map((t) => t.label).join(' and ')} succeeded; see the errors above`);
  } finally {
    await browser?.close().catch(() => {});
    await Promise.all(servers.map((s) => s.close()));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Fatal ? `load benchmark: ${err.message}` : err);
    process.exit(1);
  },
);
