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
  enabledByDefault: false,
  assets: { 'pkg/': pkgDir },

  async prepare({ docsFile, outDir }) {
    if (!built) {
      buildEngine();
      built = true;
    }
    execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'content', '--', 'index-docs', docsFile,
      path.join(outDir, 'index.bin')], { cwd: root, stdio: 'inherit' });
    return {
      indexFiles: ['index.bin'],
    };
  },

  async page({ indexUrl, assetsUrl }) {
    const glue = await import(assetsUrl + 'pkg/portal_search_engine.js');
    await glue.default(assetsUrl + 'pkg/portal_search_engine_bg.wasm');
    const bytes = new Uint8Array(await (await fetch(indexUrl + 'index.bin')).arrayBuffer());
    const engine = new glue.Engine(bytes);
    return { search: (q) => Array.from(engine.search(q)) };
  },
};
