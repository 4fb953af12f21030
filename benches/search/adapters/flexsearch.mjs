// FlexSearch 0.8 with its CJK encoder (Charset.CJK: one term per character)
// and the context index enabled (context: true -> depth 1, bidirectional,
// context resolution 3), tokenize "strict" (the only tokenizer the context index
// supports). Index built in Node and exported with index.export(); the page
// rebuilds it with index.import(key, data) for each exported part.

import fs from 'node:fs';
import path from 'node:path';
import { pkgInfo } from '../lib/pkg.mjs';
import { Index, Charset } from 'flexsearch';

const { dir: pkgDir, version } = pkgInfo('flexsearch');

export default {
  name: 'flexsearch',
  label: `FlexSearch ${version} (CJK + context)`,
  assets: { 'flexsearch/': path.join(pkgDir, 'dist') },

  async prepare({ docs, outDir }) {
    const index = new Index({ tokenize: 'strict', encoder: Charset.CJK, context: true });
    for (const d of docs) index.add(d.id, d.text);
    const keys = [];
    await index.export((key, data) => {
      const file = `${key}.json`;
      fs.writeFileSync(path.join(outDir, file), data);
      keys.push(key);
    });
    fs.writeFileSync(path.join(outDir, 'parts.json'), JSON.stringify(keys));
    return { indexFiles: ['parts.json', ...keys.map((k) => `${k}.json`)], config: { limit: docs.length } };
  },

  async page({ indexUrl, assetsUrl, config }) {
    const [{ Index, Charset }, keys] = await Promise.all([
      import(assetsUrl + 'flexsearch/flexsearch.bundle.module.min.mjs'),
      fetch(indexUrl + 'parts.json').then((r) => r.json()),
    ]);
    const parts = await Promise.all(keys.map((k) => fetch(indexUrl + k + '.json').then((r) => r.text())));
    const index = new Index({ tokenize: 'strict', encoder: Charset.CJK, context: true });
    keys.forEach((k, i) => index.import(k, parts[i]));
    const limit = config.limit;
    return { search: (q) => index.search(q, { limit }) };
  },
};
