// Minifies the build's own hand-written scripts in place: the loader and the service worker's
// registration, which every page fetches before the app runs (the size guard counts them). The
// service worker itself is written by the content tool without its comments; its constants stay
// readable. esbuild (pinned in package.json) lowers nothing the sources use below ES2015 and
// keeps every string, so the Chinese messages are unchanged.
//
//   node scripts/minify.mjs DIR
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/minify.mjs DIR');
  process.exit(2);
}
for (const name of ['loader.js', 'sw-register.js']) {
  const path = join(dir, name);
  const source = readFileSync(path, 'utf8');
  const { code } = transformSync(source, {
    minify: true,
    target: 'es2015',
    format: name === 'loader.js' ? 'esm' : undefined,
    charset: 'utf8',
    legalComments: 'none',
  });
  writeFileSync(path, code);
}
