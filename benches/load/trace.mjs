#!/usr/bin/env node
// Where a visit's time goes before the first contentful paint: one traced visit of our build on
// the slow profile, its renderer's main thread summed by phase.
//
//   node benches/load/trace.mjs [--dist DIR] [--path /cases/ID] [--cold] [--port N] [--chromium PATH]
//
//   --dist DIR         our build (default dist/)
//   --path P           the page (default /cases/fengqiao-jingyan)
//   --cold             trace the cold visit (default: the repeat visit, in a new tab after a
//                      visit that let the service worker activate)
//   --port N           port on 127.0.0.1 (default 8185)
//   --chromium PATH    browser binary (default /usr/bin/chromium, or env CHROMIUM)
//
// Prints the phases (navigation commit, HTML parsing, style sheets, scripts, style, layout,
// paint) in ms of main-thread time up to the first contentful paint, then every task of 10 ms or
// more in order, and writes the whole Chromium trace to benches/load/out/trace.json (open it in
// chrome://tracing or the DevTools performance panel). Numbers vary by some tens of ms per run.

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { PROFILE, VIEWPORT } from './measure.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out');

// Phases, each the sum of the trace events of these names on the page's main thread.
const PHASES = [
  ['navigation commit (new document, window, V8 context)', ['DocumentLoader::CommitNavigation', 'Frame::Detach']],
  ['HTML parsing (with the inline scripts and sheets it runs)', ['ParseHTML']],
  ['  of which style sheets parsed', ['CSSParserImpl::parseStyleSheet']],
  ['scripts (classic and module, outside parsing)', ['v8.evaluateModule', 'HTMLParserScriptRunner::executeScriptsWaitingForParsing']],
  ['style', ['UpdateLayoutTree']],
  ['layout', ['Layout']],
  ['paint', ['PrePaint', 'Paint']],
];

function parseArgs(argv) {
  const o = { dist: resolve(HERE, '../../dist'), path: '/cases/fengqiao-jingyan', cold: false, port: 8185,
    chromium: process.env.CHROMIUM || CHROMIUM_PATH };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (key === '--dist') o.dist = resolve(value());
    else if (key === '--path') o.path = value();
    else if (key === '--cold') o.cold = true;
    else if (key === '--port') o.port = Number(value());
    else if (key === '--chromium') o.chromium = value();
    else {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 19)
        .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(key === '-h' || key === '--help' ? 0 : 1);
    }
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, 'trace.json');
  const server = await serve(o.dist, o.port);
  const browser = await chromium.launch({ executablePath: o.chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ ...VIEWPORT, locale: 'zh-CN' });
    const url = `${server.url}${o.path}`;
    if (!o.cold) {
      const first = await context.newPage();
      await first.goto(url);
      await first.evaluate(() => navigator.serviceWorker?.ready);
      await first.waitForTimeout(1000);
      await first.close();
    }
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', PROFILE.network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuRate });
    await browser.startTracing(page, { path: file, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'loading', 'v8'] });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 30_000 });
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { responseEnd: n.responseEnd, fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime };
    });
    await browser.stopTracing();
    report(JSON.parse(readFileSync(file, 'utf8')), nav, o);
  } finally {
    await browser.close();
    server.close();
  }
}

function report(trace, nav, o) {
  const events = trace.traceEvents ?? trace;
  const main = events.find((e) => e.name === 'markAsMainFrame');
  const fcpMark = events.find((e) => e.name === 'firstContentfulPaint' && (!main || e.pid === main.pid));
  if (!main || !fcpMark) {
    console.log('the trace has no main frame or no first contentful paint: nothing to report');
    return;
  }
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  // Time 0 is the navigation start: the FCP mark's trace time minus the page's own FCP figure.
  const zero = fcpMark.ts - nav.fcp * 1000;
  const before = onMain.filter((e) => e.ts >= zero && e.ts < fcpMark.ts);
  const ms = (us) => (us / 1000).toFixed(0).padStart(5);
  console.log(`${o.cold ? 'cold' : 'repeat'} visit of ${o.path}: HTML received at ${nav.responseEnd.toFixed(0)} ms, ` +
    `first contentful paint at ${nav.fcp.toFixed(0)} ms (CPU ×${PROFILE.cpuRate}, one run)`);
  console.log('\nmain-thread time before the first contentful paint, by phase (ms):');
  for (const [label, names] of PHASES) {
    const sum = before.filter((e) => names.includes(e.name)).reduce((t, e) => t + (e.dur ?? 0), 0);
    console.log(`  ${ms(sum)}  ${label}`);
  }
  const tasks = before.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) >= 10_000);
  const busy = tasks.reduce((t, e) => t + e.dur, 0);
  console.log(`\ntasks of 10 ms or more (${ms(busy).trim()} ms of ${nav.fcp.toFixed(0)}), with what took most of each:`);
  for (const t of tasks) {
    const inside = before.filter((e) => e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e.name !== 'RunTask')
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 2).map((e) => `${e.name} ${ms(e.dur ?? 0).trim()}`);
    console.log(`  at ${ms(t.ts - zero)} ms: ${ms(t.dur).trim()} ms  ${inside.join(', ')}`);
  }
  console.log(`\nthe whole trace: ${join('benches/load/out', 'trace.json')}`);
}

main().catch((err) => {
  console.error(`trace: ${err.message.split('\n')[0]}`);
  process.exit(1);
});
