// Prints every file in dist/ with its raw and gzipped size (gzip -9), and the totals, plus the
// first-load total (HTML + JS + WASM + CSS of the app shell).
// Usage: node scripts/sizes.mjs [dist]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = process.argv[2] ?? 'dist';
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const files = walk(root).sort();
if (files.length === 0) {
  console.error(`${root}/ is empty: build first (trunk build --release --offline)`);
  process.exit(1);
}
const kb = (n) => (n / 1024).toFixed(1).padStart(8);
let raw = 0, gz = 0, shellRaw = 0, shellGz = 0;
console.log(`${'file'.padEnd(60)} ${'raw kB'.padStart(8)} ${'gzip kB'.padStart(8)}`);
for (const file of files) {
  const bytes = readFileSync(file);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += zipped;
  const name = relative(root, file);
  if (name === 'index.html' || /^[^/]+\.(js|wasm|css)$/.test(name)) {
    shellRaw += bytes.length;
    shellGz += zipped;
  }
  console.log(`${name.padEnd(60)} ${kb(bytes.length)} ${kb(zipped)}`);
}
console.log(`${`total (${files.length} files)`.padEnd(60)} ${kb(raw)} ${kb(gz)}`);
console.log(`${'first load: index.html + JS + WASM + CSS'.padEnd(60)} ${kb(shellRaw)} ${kb(shellGz)}`);
