// Placeholder for the portal's own search engine (issue 4). NOT run by default
// (enabledByDefault: false); `node benches/search/run.mjs --engines ours,...`
// runs it once it is filled in. Until then prepare() throws and says so.
//
// What it will do (see README.md, "Adapter interface"):
//
// prepare({ corpus, docs, outDir, docsFile })  -- Node side
//   Runs the native Rust index builder on the documents JSON, e.g.
//     execFileSync('cargo', ['run', '--release', '--quiet', '--bin', '<content tool>', '--',
//                            'search-index', '--docs', docsFile, '--out', outDir], { stdio: 'inherit' })
//   (or a prebuilt binary under target/release/), which writes the index file(s) into
//   outDir: one file for a small corpus, or a small root file plus shards fetched on
//   demand for 10,000+ documents. It returns
//     { indexFiles: [every file of the index, root and shards, relative to outDir],
//       codeFiles:  [] ,  config: { ...anything the page needs that is not fetched } }
//   indexFiles feed "gz B/doc"; only what the page actually fetches counts as
//   "transferred before the first result", so sharding shows there.
//
// assets: { 'pkg/': <dir of the wasm-bindgen output (the .js glue and the _bg.wasm)> }
//   Served under assetsUrl; the wasm module and its glue count as engine code.
//
// page({ indexUrl, assetsUrl, config })  -- runs in Chromium, self-contained
//   const glue = await import(assetsUrl + 'pkg/<crate>.js');
//   await glue.default(assetsUrl + 'pkg/<crate>_bg.wasm');        // instantiate the wasm
//   const root = new Uint8Array(await (await fetch(indexUrl + '<root file>')).arrayBuffer());
//   const engine = glue.<Searcher>.load(root, (shard) => fetch(indexUrl + shard) ...);
//   return { search: (q) => Array.from(engine.search(q)) };    // ALL matching ids, no limit
//
// The documents are Simplified; the cross-script set queries them in Traditional
// with the Simplified truth, so folding T -> S in the engine is what scores there.

export default {
  name: 'ours',
  label: 'portal search (Rust/WASM)',
  enabledByDefault: false,
  assets: {},

  async prepare() {
    throw new Error('adapters/ours.mjs is a placeholder: the Rust index builder and the ' +
      'wasm-bindgen search module are not wired in yet (see the comment at the top of the file).');
  },

  async page() {
    throw new Error('adapters/ours.mjs is a placeholder');
  },
};
