// The portal's own search engine: the index is built natively by the content tool
// (`content index-docs`), the page loads the same Rust core compiled to WASM
// (benches/search/engine, a thin wasm-bindgen boundary) and queries it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const engineDir = path.join(here, '..', 'engine');
const pkgDir = path.join(here, '..', 'data', 'ours-pkg');

function buildEngine() {
  execFileSync('cargo', ['build', '--release', '--quiet', '--target', 'wasm32-unknown-unknown'],
    { cwd: engineDir, stdio: 'inherit' });
  const wasm = path.join(engineDir, 'target', 'wasm32-unknown-unknown', 'release', 'portal_search_engine.wasm');
  fs.mkdirSync(pkgDir, { recursive: true });
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', pkgDir, wasm], { stdio: 'inherit' });
  const opt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
  const bg = path.join(pkgDir, 'portal_search_engine_bg.wasm');
  execFileSync(opt, ['-O3', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', bg, '-o', bg], { stdio: 'inherit' });
}

let built = false;

export default {
  name: 'ours',
  label: 'portal search (Rust/WASM)',
  assets: { 'pkg/': pkgDir },

  async prepare({ docs, docsFile, outDir }) {
    if (!built) {
      buildEngine();
      built = true;
    }
    docs.forEach((d, i) => {
      if (Number(d.id) !== i) throw new Error(`ours: document ${i} has id ${d.id}; ids must be 0..n in order`);
    });
    execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'content', '--', 'index-docs', docsFile,
      outDir], { cwd: root, stdio: 'inherit' });
    // The root and the term shards are the index; the text shards are the document store
    // (stored text for verification and snippets), like Pagefind's fragments.
    const files = fs.readdirSync(outDir).sort();
    return {
      indexFiles: files.filter((f) => !/^t\d+-/.test(f)),
      otherFiles: files.filter((f) => /^t\d+-/.test(f)),
      config: { files: files.length },
    };
  },

  async page({ indexUrl, assetsUrl }) {
    const glue = await import(assetsUrl + 'pkg/portal_search_engine.js');
    await glue.default({ module_or_path: assetsUrl + 'pkg/portal_search_engine_bg.wasm' });
    const get = async (name) => new Uint8Array(await (await fetch(indexUrl + name)).arrayBuffer());
    const engine = new glue.Engine(await get('index.bin'));
    // Answers synchronously when every shard the query needs is loaded; otherwise fetches them
    // (in parallel), adds them and asks again.
    const answer = (q, limit) => {
      const ids = engine.search(q, limit);
      const need = engine.needed();
      if (need.length === 0) return Array.from(ids);
      return Promise.all(need.map(async (n) => [n, await get(n)]))
        .then((files) => { for (const [n, b] of files) engine.add(n, b); return answer(q, limit); });
    };
    return {
      search: (q) => answer(q, 0),
      // What a results page needs: the first 10 verified results with their text.
      first: (q) => answer(q, 10),
    };
  },
};
