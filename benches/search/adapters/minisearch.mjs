// MiniSearch 7 with a character-bigram tokenizer and AND, no fuzzy, no prefix.
// Index built in Node (addAll), serialized with JSON.stringify, loaded in the
// page with MiniSearch.loadJSON and the same options.

import fs from 'node:fs';
import path from 'node:path';
import { pkgInfo } from '../lib/pkg.mjs';
import MiniSearch from 'minisearch';

const { dir: pkgDir, version } = pkgInfo('minisearch');

// Same tokenizer on both sides (the page copy is inside `page` below).
function bigrams(text) {
  const c = Array.from(text);
  if (c.length < 2) return c;
  const out = new Array(c.length - 1);
  for (let i = 0; i < c.length - 1; i++) out[i] = c[i] + c[i + 1];
  return out;
}
const OPTIONS = { fields: ['text'], idField: 'id', tokenize: bigrams,
  searchOptions: { combineWith: 'AND', prefix: false, fuzzy: false } };

export default {
  name: 'minisearch',
  label: `MiniSearch ${version} (bigrams, AND)`,
  assets: { 'minisearch/': path.join(pkgDir, 'dist', 'es') },

  async prepare({ docs, outDir }) {
    const ms = new MiniSearch(OPTIONS);
    ms.addAll(docs);
    fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(ms));
    return { indexFiles: ['index.json'] };
  },

  async page({ indexUrl, assetsUrl }) {
    const [{ default: MiniSearch }, json] = await Promise.all([
      import(assetsUrl + 'minisearch/index.js'),
      fetch(indexUrl + 'index.json').then((r) => r.text()),
    ]);
    function bigrams(text) {
      const c = Array.from(text);
      if (c.length < 2) return c;
      const out = new Array(c.length - 1);
      for (let i = 0; i < c.length - 1; i++) out[i] = c[i] + c[i + 1];
      return out;
    }
    const ms = MiniSearch.loadJSON(json, { fields: ['text'], idField: 'id', tokenize: bigrams,
      searchOptions: { combineWith: 'AND', prefix: false, fuzzy: false } });
    return { search: (q) => ms.search(q).map((r) => r.id) };
  },
};

export { OPTIONS };
