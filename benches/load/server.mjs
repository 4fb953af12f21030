// The static server both sites are measured through, so neither gets a better host than the other.
//
//   node benches/load/server.mjs DIR [PORT]      # serve one build by hand (default port 8181)
//
// What it does, the same for every directory it serves:
// - `/a/b/` and `/a/b` serve `a/b/index.html`, `/a/b` also `a/b.html` (VitePress's clean URLs);
//   any other unknown path gets `/index.html` (the SPA fallback every static host for ours needs),
//   or `404.html` with status 404 when there is no `index.html` (VitePress has none here).
// - Bodies are gzip -9 (node:zlib) when the client accepts gzip and the type is not already
//   compressed; compressed once and kept in memory, so compression costs no time per request.
// - Caching as one would set up a CDN: file names with a content hash (ours `name-<16 hex>`,
//   VitePress's everything under `/assets/`) are `max-age=31536000, immutable`; everything else
//   is `no-cache` with an ETag, so a repeat visit revalidates it (a 304 costs one round trip).
// - Binds 127.0.0.1 only.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.bin': 'application/octet-stream',
};
// Formats that are compressed already: gzip would only add bytes and time.
const STORED = new Set(['.png', '.jpg', '.jpeg', '.webp', '.woff', '.woff2', '.gz', '.br']);
const HASHED = /(^\/assets\/)|(-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$)/;

/** How a path is cached by the browser, as a CDN for either site would be configured. */
export function cacheControl(urlPath) {
  return HASHED.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Serves `root` on 127.0.0.1:`port`. Resolves to `{ url, close(), stats }` once listening;
 * `stats` counts requests and body bytes sent (a cross-check of the browser's figures).
 */
export function serve(root, port) {
  const base = resolve(root);
  const cache = new Map(); // absolute path -> { mtimeMs, raw, gz, etag }
  const stats = { requests: 0, bytes: 0 };

  const fileAt = (rel) => {
    const abs = resolve(base, `.${rel}`);
    if (abs !== base && !abs.startsWith(base + sep)) return null;
    try {
      const st = statSync(abs);
      return st.isFile() ? { abs, st } : null;
    } catch {
      return null;
    }
  };

  // The file a URL path maps to, and the status to send it with.
  const lookup = (urlPath) => {
    const candidates = urlPath.endsWith('/')
      ? [`${urlPath}index.html`]
      : [urlPath, `${urlPath}/index.html`, `${urlPath}.html`];
    for (const rel of candidates) {
      const hit = fileAt(rel);
      if (hit) return { ...hit, status: 200 };
    }
    // Only paths without an extension are routes; a missing `/x.js` is a real 404.
    const spa = extname(urlPath) === '' ? fileAt('/index.html') : null;
    if (spa) return { ...spa, status: 200 };
    const missing = fileAt('/404.html');
    return missing ? { ...missing, status: 404 } : null;
  };

  const load = ({ abs, st }) => {
    let entry = cache.get(abs);
    if (!entry || entry.mtimeMs !== st.mtimeMs) {
      const raw = readFileSync(abs);
      const ext = extname(abs).toLowerCase();
      const gz = STORED.has(ext) ? null : gzipSync(raw, { level: 9 });
      const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 20)}"`;
      entry = { mtimeMs: st.mtimeMs, raw, gz: gz && gz.length < raw.length ? gz : null, etag };
      cache.set(abs, entry);
    }
    return entry;
  };

  const server = http.createServer((req, res) => {
    stats.requests += 1;
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const hit = lookup(urlPath);
    if (!hit) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const entry = load(hit);
    const useGzip = entry.gz && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const headers = {
      'Content-Type': TYPES[extname(hit.abs).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': hit.status === 200 ? cacheControl(urlPath) : 'no-store',
      ETag: entry.etag,
      Vary: 'Accept-Encoding',
    };
    if (hit.status === 200 && req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const body = useGzip ? entry.gz : entry.raw;
    if (useGzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = body.length;
    res.writeHead(hit.status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    stats.bytes += body.length;
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;

  return new Promise((done, fail) => {
    server.once('error', (err) => {
      fail(err.code === 'EADDRINUSE'
        ? new Error(`port ${port} is in use: pick another with --port`)
        : err);
    });
    server.listen(port, '127.0.0.1', () => {
      done({
        url: `http://127.0.0.1:${server.address().port}`,
        stats,
        close: () => new Promise((closed) => {
          server.closeAllConnections();
          server.close(() => closed());
        }),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, port = '8181'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node benches/load/server.mjs DIR [PORT]');
    process.exit(2);
  }
  try {
    statSync(join(dir, '.'));
    const { url } = await serve(dir, Number(port));
    console.log(`serving ${dir} at ${url}/ (gzip -9, SPA fallback); Ctrl-C stops`);
  } catch (err) {
    console.error(`server: ${err.message}`);
    process.exit(1);
  }
}
