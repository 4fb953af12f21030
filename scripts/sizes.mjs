// What the build weighs, and what a reader really downloads.
//
//   node scripts/sizes.mjs [DIST] [--files] [--path /cases/panjin-2018]
//
// 1. Every file of DIST (default dist/) with its raw and gzip -9 size (with --files, one line each;
//    always the totals).
// 2. The size guard: a cold visit to an article page (default /cases/panjin-2018) in Debian's
//    Chromium, through the load benchmark's server (gzip -9, the same for every folder): every
//    request the page makes until the app has started and the network has been quiet for 1.5 s,
//    in any folder, summed as the compressed bodies the server sent. The service worker is blocked
//    for this visit, so what it fetches afterwards in the background is reported apart:
// 3. The precache: the files `sw.js` lists that the visit did not already fetch.
// 4. The trainer's first load: a cold visit to /trainer, the trainer's own bundle.
// The visit's figure is the one issues compare against their parent commit ("size guard").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { serve } from '../benches/load/server.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = args.find((a, i) => !a.startsWith('--') && !['--path'].includes(args[i - 1])) ?? 'dist';
const articlePath = option('--path', '/cases/panjin-2018');

const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
let files;
try {
  files = walk(root).sort();
} catch {
  files = [];
}
if (files.length === 0) {
  console.error(`${root}/ is empty: build first (bash scripts/build.sh)`);
  process.exit(1);
}
const kb = (n) => (n / 1024).toFixed(1).padStart(8);
const gzipOf = new Map();
let raw = 0, gz = 0;
if (flag('--files')) console.log(`${'file'.padEnd(60)} ${'raw kB'.padStart(8)} ${'gzip kB'.padStart(8)}`);
for (const file of files) {
  const bytes = readFileSync(file);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  const name = relative(root, file);
  gzipOf.set(name, Math.min(zipped, bytes.length));
  raw += bytes.length;
  gz += zipped;
  if (flag('--files')) console.log(`${name.padEnd(60)} ${kb(bytes.length)} ${kb(zipped)}`);
}
console.log(`${`all files (${files.length})`.padEnd(60)} ${kb(raw)} ${kb(gz)}`);

// A cold visit, measured by what the server sent.
const server = await serve(root, 0);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
/** Visits `path` in a fresh context; returns url path (or off-origin URL) -> compressed bytes. */
async function coldVisit(path) {
  const sent = new Map(); // url path -> compressed body bytes of the last response
  const context = await browser.newContext({ serviceWorkers: 'block', locale: 'zh-CN', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  let last = Date.now();
  page.on('request', () => { last = Date.now(); });
  page.on('response', async (res) => {
    last = Date.now();
    const url = new URL(res.url());
    if (url.origin !== server.url) {
      sent.set(res.url(), 0);
      return;
    }
    const body = await res.body().catch(() => Buffer.alloc(0));
    const encoded = (await res.headerValue('content-encoding')) === 'gzip'
      ? gzipSync(body, { level: 9 }).length
      : body.length;
    sent.set(url.pathname, encoded);
  });
  await page.goto(server.url + path, { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelector('h1') !== null);
  // The app has started when its view replaced the prerendered page (or failed, visibly).
  await page.waitForFunction(() => !document.getElementById('prerender') || document.querySelector('.app-failed'), null, { timeout: 60_000 }).catch(() => {});
  while (Date.now() - last < 1500) await new Promise((r) => setTimeout(r, 250));
  await context.close();
  return sent;
}
let sent, trainerSent;
try {
  sent = await coldVisit(articlePath);
  trainerSent = await coldVisit('/trainer');
} finally {
  await browser.close();
  await server.close();
}
const offOrigin = [...sent.keys()].filter((k) => !k.startsWith('/'));
const visit = [...sent.entries()].filter(([k]) => k.startsWith('/'));
const visitBytes = visit.reduce((s, [, n]) => s + n, 0);
console.log(`\ncold visit to ${articlePath} (service worker blocked): ${visit.length} requests`);
for (const [path, n] of visit.sort((a, b) => b[1] - a[1])) console.log(`  ${path.padEnd(58)} ${kb(n)}`);
if (offOrigin.length) console.log(`  requests leaving the origin: ${offOrigin.join(', ')}`);
// The trainer's page is its own bundle (培训管理): what a trainer's first visit downloads.
const trainerVisit = [...trainerSent.entries()].filter(([k]) => k.startsWith('/'));
const trainerBytes = trainerVisit.reduce((s, [, n]) => s + n, 0);
console.log(`\ncold visit to /trainer (the trainer's bundle): ${trainerVisit.length} requests`);
for (const [path, n] of trainerVisit.sort((a, b) => b[1] - a[1]).slice(0, 4)) console.log(`  ${path.padEnd(58)} ${kb(n)}`);

// The worker's background precache: what sw.js lists beyond what the visit fetched.
/** The file of DIST a URL path is served from (as the server looks it up). */
const fileFor = (path) => {
  const name = decodeURIComponent(path).replace(/^\//, '');
  if (name === '' || name.endsWith('/')) return `${name}index.html`;
  return gzipOf.has(name) ? name : `${name}/index.html`;
};
let precacheFiles = 0, precacheBytes = 0;
try {
  const sw = readFileSync(join(root, 'sw.js'), 'utf8');
  const block = sw.slice(sw.indexOf('const PRECACHE = '), sw.indexOf('const REQUIRED = '));
  const listed = [...block.matchAll(/"(\/[^"]*)"/g)].map((m) => fileFor(m[1]));
  const fetched = new Set(visit.map(([p]) => fileFor(p)));
  for (const name of new Set(listed)) {
    if (fetched.has(name) || !gzipOf.has(name)) continue;
    precacheFiles += 1;
    precacheBytes += gzipOf.get(name);
  }
} catch {
  // No service worker in this build.
}
console.log(`\n${'service worker precache, beyond the visit'.padEnd(60)} ${String(precacheFiles).padStart(5)} files ${kb(precacheBytes)}`);
console.log(`${"trainer's first load (/trainer), gzip kB".padEnd(60)} ${kb(trainerBytes)}`);
console.log(`${'size guard: cold article visit, gzip kB (all folders)'.padEnd(60)} ${kb(visitBytes)}`);
