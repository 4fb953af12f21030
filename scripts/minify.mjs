// Minifies the build's JavaScript in place, in a Trunk staging folder: the loader and the service
// worker's registration, which every page fetches before the app runs, and wasm-bindgen's glue
// (`<bin>-<hash>.js`), which the page imports to start the WASM (the size guard counts them all).
// The glue's `integrity` (Trunk's SRI hash on its modulepreload) is written again for the new
// bytes. The service worker itself is written by the content tool without its comments; its
// constants stay readable.
//
// esbuild (pinned in package.json) removes comments and white space and shortens local names; it
// keeps every string and every export, so the Chinese messages and the glue's API are unchanged.
// The targets are what the files need anyway: the loader is a module (every browser that runs
// `type=module` has async functions, ES2017), the glue uses `import.meta` (ES2020); esbuild
// lowers nothing.
//
//   node scripts/minify.mjs DIR
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/minify.mjs DIR');
  process.exit(2);
}

function minify(name, options) {
  const path = join(dir, name);
  const { code } = transformSync(readFileSync(path, 'utf8'), {
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    ...options,
  });
  writeFileSync(path, code);
  return code;
}

for (const name of ['loader.js', 'sw-register.js']) {
  if (existsSync(join(dir, name))) minify(name, { target: 'es2017', format: name === 'loader.js' ? 'esm' : undefined });
}

const shell = join(dir, 'index.html');
let html = existsSync(shell) ? readFileSync(shell, 'utf8') : '';
for (const name of readdirSync(dir).filter((n) => /^[a-z0-9_]+-[0-9a-f]{12,16}\.js$/.test(n))) {
  const code = minify(name, { target: 'es2020', format: 'esm' });
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  // The one tag that loads this file with an integrity hash (Trunk's modulepreload).
  const tag = new RegExp(`(<link[^>]*href="[^"]*/${name.replace(/[.]/g, '\\.')}"[^>]*integrity=")sha384-[^"]*"`);
  if (html && tag.test(html)) html = html.replace(tag, `$1${integrity}"`);
  else if (html.includes(name)) throw new Error(`${name}: no integrity hash found in index.html to update`);
}
if (html) writeFileSync(shell, html);
