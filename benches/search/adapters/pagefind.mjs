// Pagefind 1.6 (npm `pagefind`; its extended Linux binary, which segments
// Chinese with ICU4X, comes as the npm dependency @pagefind/linux-x64).
//
// One HTML page per document (<html lang="zh">, the text in one <p>), indexed
// with the Node API (createIndex / addHTMLFile / writeFiles). In the page,
// pagefind's own pagefind.js (as written into the bundle) is imported and queried
// with its defaults: it segments the query with Intl.Segmenter and runs the
// search in its web worker. All results are returned (Pagefind has no limit).
//
// Result ids: Pagefind answers with page hashes (the fragment file names). Turning
// them into URLs needs one fragment fetch per result, which a real UI does only for
// the results it shows; the benchmark instead decodes the fragments in Node and
// hands the page a hash -> document id table (passed in through page.evaluate,
// so it is neither counted as transferred nor as index bytes).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pkgInfo, walk } from '../lib/pkg.mjs';
import * as pagefind from 'pagefind';

const { version } = pkgInfo('pagefind');

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function decodePf(buf) {
  let data = buf;
  const sig = (b) => b.subarray(0, 12).toString('latin1') === 'pagefind_dcd';
  if (!sig(data)) data = zlib.gunzipSync(data);
  if (!sig(data)) throw new Error('pagefind file without signature');
  return data.subarray(12);
}

export default {
  name: 'pagefind',
  label: `Pagefind ${version} (extended, zh)`,
  assets: {},

  async prepare({ docs, outDir }) {
    const { index, errors } = await pagefind.createIndex({});
    if (errors.length) throw new Error('pagefind createIndex: ' + errors.join('; '));
    try {
      for (const d of docs) {
        const r = await index.addHTMLFile({
          url: `/d/${d.id}/`,
          content: `<!doctype html><html lang="zh"><head><meta charset="utf-8"></head>` +
            `<body><p>${esc(d.text)}</p></body></html>`,
        });
        if (r.errors.length) throw new Error(`pagefind addHTMLFile ${d.id}: ${r.errors.join('; ')}`);
      }
      const w = await index.writeFiles({ outputPath: outDir });
      if (w.errors.length) throw new Error('pagefind writeFiles: ' + w.errors.join('; '));
      await index.deleteIndex();
    } finally {
      await pagefind.close();
    }
    const files = walk(outDir);
    const codeFiles = files.filter((f) => /^(pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind)$/.test(f));
    const indexFiles = files.filter((f) => f === 'pagefind-entry.json' || /\.pf_(meta|index|filter)$/.test(f));
    const fragmentFiles = files.filter((f) => f.endsWith('.pf_fragment'));
    // hash -> id, from the fragments (each holds the page's url).
    const ids = {};
    for (const f of fragmentFiles) {
      const text = decodePf(fs.readFileSync(path.join(outDir, f))).toString('utf8');
      const hash = path.basename(f, '.pf_fragment');
      const parsed = JSON.parse(text);
      const frags = Array.isArray(parsed) ? parsed : [parsed];
      for (const fr of frags) {
        const m = /^\/d\/(\d+)\/$/.exec(fr.url);
        if (!m) throw new Error(`unexpected pagefind url ${fr.url} in ${f}`);
        ids[hash] = Number(m[1]);
      }
    }
    if (Object.keys(ids).length !== docs.length) {
      throw new Error(`pagefind: ${Object.keys(ids).length} fragments for ${docs.length} docs ` +
        '(fragments bundled? the hash -> id table needs one fragment per page)');
    }
    return { indexFiles, codeFiles, otherFiles: fragmentFiles, config: { ids } };
  },

  async page({ indexUrl, config }) {
    const pf = await import(indexUrl + 'pagefind.js');
    const inst = pf.createInstance({ basePath: indexUrl });
    await inst.init();
    const ids = config.ids;
    const toId = (h) => {
      const v = ids[h];
      if (v === undefined) throw new Error('pagefind: unknown result id ' + h);
      return v;
    };
    return {
      search: async (q) => (await inst.search(q)).results.map((r) => toId(r.id)),
    };
  },
};
