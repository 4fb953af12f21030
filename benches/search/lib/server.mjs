// Minimal static server for the benchmark page, bound to 127.0.0.1.
//
// - Cross-origin isolation headers (COOP/COEP/CORP) so the page gets a
//   high-resolution performance.now() and performance.measureUserAgentSpecificMemory().
// - Bodies are sent gzip -9 encoded when that is smaller (as a static host with
//   compression on would); Pagefind's own files are already gzip inside, so
//   they go out as they are.
// - Cache-Control: no-store, so every fresh page really transfers what it needs.
// - Counts the bytes it sends per URL, as a cross-check of the CDP figures.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function gzip9(buf) {
  return zlib.gzipSync(buf, { level: 9 });
}

/** Size a static host would send: gzip -9 if smaller, else the raw file. */
export function servedSize(buf) {
  return Math.min(buf.length, gzip9(buf).length);
}

/**
 * @param {object} o
 * @param {Array<[string, string]>} o.mounts  URL prefix (ending in '/') -> directory
 * @param {Record<string, {body: string|Buffer, type?: string}>} o.virtual  exact URL -> content
 */
export async function startServer({ mounts = [], virtual = {} } = {}) {
  const cache = new Map(); // abs path or virtual url -> {raw, gz}
  const log = []; // {url, bytes}

  function encoded(key, raw) {
    let e = cache.get(key);
    if (!e) {
      const gz = gzip9(raw);
      e = { raw, gz: gz.length < raw.length ? gz : null };
      cache.set(key, e);
    }
    return e;
  }

  function resolve(urlPath) {
    if (Object.hasOwn(virtual, urlPath)) {
      const v = virtual[urlPath];
      const raw = Buffer.isBuffer(v.body) ? v.body : Buffer.from(v.body);
      return { key: 'v:' + urlPath, raw, type: v.type || TYPES[path.extname(urlPath)] };
    }
    for (const [prefix, dir] of mounts) {
      if (!urlPath.startsWith(prefix)) continue;
      const rel = urlPath.slice(prefix.length);
      const abs = path.resolve(dir, rel);
      if (abs !== path.resolve(dir) && !abs.startsWith(path.resolve(dir) + path.sep)) return null;
      if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) return null;
      return { key: abs, raw: null, abs, type: TYPES[path.extname(abs)] || 'application/octet-stream' };
    }
    return null;
  }

  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const common = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    const hit = resolve(urlPath);
    if (!hit) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain' });
      res.end('not found');
      log.push({ url: urlPath, bytes: 9, status: 404 });
      return;
    }
    const raw = hit.raw || fs.readFileSync(hit.abs);
    const e = encoded(hit.key, raw);
    const acceptsGzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    const body = acceptsGzip && e.gz ? e.gz : e.raw;
    const headers = { ...common, 'Content-Type': hit.type, 'Content-Length': body.length };
    if (body === e.gz) headers['Content-Encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    log.push({ url: urlPath, bytes: body.length, status: 200 });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    /** Set a virtual file (e.g. the adapter glue) after start. */
    setVirtual(url, body, type) { virtual[url] = { body, type }; cache.delete('v:' + url); },
    mark() { return log.length; },
    since(mark) { return log.slice(mark); },
    close() { return new Promise((r) => server.close(r)); },
  };
}
