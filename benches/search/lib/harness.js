// In-page side of the benchmark (served as /harness.js by run.mjs).
// Exposes window.bench; run.mjs drives it with page.evaluate.

let searcher = null;

function asIds(r) {
  return Array.isArray(r) ? r : Array.from(r || []);
}

// Calls search(q) and times it; awaits only when the adapter returned a promise,
// so synchronous engines are timed without a microtask turn.
async function timedSearch(q, first = false) {
  const t0 = performance.now();
  let r = first && searcher.first ? searcher.first(q) : searcher.search(q);
  if (r && typeof r.then === 'function') r = await r;
  const t1 = performance.now();
  return { ms: t1 - t0, ids: asIds(r) };
}

window.bench = {
  isolated: () => self.crossOriginIsolated === true,

  /** Load the engine (its code and index, over the network) and answer one query. */
  async loadAndFirst(name, opts, firstQuery) {
    const mod = await import(`/adapter/${name}.js`);
    const t0 = performance.now();
    searcher = await mod.default(opts);
    const t1 = performance.now();
    const first = await timedSearch(firstQuery, true);
    return { loadMs: t1 - t0, firstQueryMs: first.ms, coldMs: t1 - t0 + first.ms, firstCount: first.ids.length };
  },

  /**
   * warmup passes (not timed), then `rounds` timed passes over all queries.
   * Returns every sample (ms) and the ids of the first timed pass.
   */
  async run(queries, { rounds = 3, warmup = 1 } = {}) {
    for (let w = 0; w < warmup; w++) for (const q of queries) await timedSearch(q);
    const samples = [];
    let ids = null;
    for (let r = 0; r < rounds; r++) {
      const pass = [];
      for (const q of queries) {
        const { ms, ids: got } = await timedSearch(q);
        samples.push(ms);
        pass.push(got);
      }
      if (!ids) ids = pass;
    }
    return { samples, ids };
  },

  /** Ids only, no timing (cross-script set). */
  async answer(queries) {
    const out = [];
    for (const q of queries) out.push((await timedSearch(q)).ids);
    return out;
  },

  /**
   * Memory of this page (and its workers) in bytes.
   * measureUserAgentSpecificMemory when the page is cross-origin isolated,
   * else performance.memory.usedJSHeapSize.
   */
  async memory() {
    if (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory) {
      try {
        const m = await performance.measureUserAgentSpecificMemory();
        return { bytes: m.bytes, method: 'measureUserAgentSpecificMemory',
          breakdown: m.breakdown.filter((b) => b.bytes > 0).map((b) => ({ bytes: b.bytes, types: b.types,
            scope: b.attribution.map((a) => a.scope).join(',') })) };
      } catch (e) {
        // fall through
      }
    }
    return { bytes: performance.memory ? performance.memory.usedJSHeapSize : NaN, method: 'usedJSHeapSize' };
  },
};
document.title = 'ready';
