// Per-file sizes of our build, raw and gzip -9, grouped as the load budget counts them.
//
// The first load, as the load budget counts it: the root `index.html` and every top-level .js,
// .wasm and .css. (scripts/sizes.mjs measures something else: the requests of a real cold article
// visit in Chromium, every folder, which is the size guard.) The search index is `search-index*.bin` wherever it lies, or every file
// under a `search/` folder (dist/search/ or dist/content/search/) once it is split in shards.
// Content bodies are the files in dist/content/<kind>/.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});

const measure = (root, file) => {
  const bytes = readFileSync(file);
  return { name: relative(root, file).split(sep).join('/'), raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};

const isShell = (name) => name === 'index.html' || /^[^/]+\.(js|wasm|css)$/.test(name);
const isSearch = (name) => /(^|\/)search-index[^/]*\.bin$/.test(name) || /^(content\/)?search\//.test(name);
const isBody = (name) => /^content\/[^/]+\/[^/]+$/.test(name) && !isSearch(name);
const isRoutePage = (name) => name !== 'index.html' && name.endsWith('/index.html') && !name.startsWith('content/');

const sum = (files) => files.reduce((t, f) => ({ raw: t.raw + f.raw, gz: t.gz + f.gz }), { raw: 0, gz: 0 });
const largest = (files) => files.reduce((best, f) => (!best || f.gz > best.gz ? f : best), null);

/** The budget's groups of files in the build at `root` (each file: { name, raw, gz } in bytes). */
export function budgetSizes(root) {
  const files = walk(root).map((f) => measure(root, f));
  const shell = files.filter((f) => isShell(f.name)).sort((a, b) => a.name.localeCompare(b.name));
  const search = files.filter((f) => isSearch(f.name));
  const bodies = files.filter((f) => isBody(f.name));
  const routes = files.filter((f) => isRoutePage(f.name));
  return {
    shell,
    firstLoad: sum(shell),
    manifest: files.find((f) => f.name === 'content/manifest.json') ?? null,
    search: { files: search.length, ...sum(search), largest: largest(search) },
    largestBody: largest(bodies),
    largestRoutePage: largest(routes),
    all: { files: files.length, ...sum(files) },
  };
}
