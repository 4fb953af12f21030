// The service worker in hostile or broken situations: the server retires it (404, 410), a file of
// a new version fails, the update check fails, sw.js never answers, sw.js comes back as an HTML
// page (a host's fallback). Each case serves a copy of the build from its own server and origin
// (as offline.spec.ts does), with the retry pauses shortened. The texts are sw-register.js's
// NOTES and banner.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import sirv from 'sirv';
import { copyWithShortPauses } from '../build-copy';
import { expect } from '../fixtures';

const DIST = resolve(__dirname, '..', process.env.E2E_DIST ?? '../../dist');

/** Trunk's content-named outputs, served immutable as a CDN would. */
function trunkOutputs(dir: string): string[] {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/<link rel="(?:module)?preload" href="\/([^"/]+)"[^>]* integrity=/g)].map((m) => m[1]);
  return names.filter((f) => existsSync(join(dir, f)));
}

export interface SwServer {
  origin: string;
  url(path: string): string;
  requests: Map<string, number>;
  /** Paths answered with this status instead of the file. */
  failing: Map<string, number>;
  /** Paths answered with this body and content type instead of the file. */
  replaced: Map<string, { type: string; body: string }>;
  /** Paths never answered while set. */
  hanging: Set<string>;
  /** A new deploy as the browser sees it: sw.js with another VERSION. */
  deploy(): void;
  close(): Promise<void>;
}

/** A copy of the build on a server of its own, retry pauses shortened (see offline.spec.ts). */
export async function serveCopy(): Promise<SwServer> {
  const dir = copyWithShortPauses(DIST, 'portal-sw-payload-');
  const swFile = join(dir, 'sw.js');
  const immutable = new Set(trunkOutputs(dir).map((f) => `/${f}`));
  const files = sirv(dir, {
    single: true,
    dev: true,
    setHeaders: (res, path) => {
      if (immutable.has(path)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  const requests = new Map<string, number>();
  const failing = new Map<string, number>();
  const replaced = new Map<string, { type: string; body: string }>();
  const hanging = new Set<string>();
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (hanging.has(path)) {
      held.push(res);
      return;
    }
    const status = failing.get(path);
    if (status !== undefined) {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(`status ${status}`);
      return;
    }
    const other = replaced.get(path);
    if (other) {
      res.writeHead(200, { 'Content-Type': other.type, 'Cache-Control': 'no-cache' });
      res.end(other.body);
      return;
    }
    files(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let open = true;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    failing,
    replaced,
    hanging,
    deploy() {
      const sw = readFileSync(swFile, 'utf8');
      const version = /^const VERSION = "([^"]+)";$/m.exec(sw)![1];
      writeFileSync(swFile, sw.replace(`const VERSION = "${version}";`, `const VERSION = "${version}-next";`));
    },
    close: () =>
      new Promise<void>((done) => {
        if (!open) return done();
        open = false;
        hanging.clear();
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          done();
        });
      }),
  };
}

/** Waits until the worker controls the page (it claims open pages; a reload if not yet). */
export async function untilControlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!(await controlled())) await page.reload();
  await expect.poll(controlled).toBe(true);
}

export interface SwCase {
  name: string;
  /** Whether the page is first controlled by the current worker (a visit before the trouble). */
  controlledFirst: boolean;
  /** The trouble, set on the server before the page is (re)loaded. */
  trouble(server: SwServer): void;
  /** What the page then shows: the banner's or note's text, or none at all. */
  banner: string | null;
  /** After the trouble: the worker is gone (kill switch), or still in charge, or never came. */
  worker: 'retired' | 'kept' | 'none';
  /** Console errors the browser logs for the trouble itself. */
  consoleErrors: RegExp;
}

const CHECK_NOTE = '暂时无法检查新版本（网络不稳定），正在使用本机保存的版本；下次打开时会再检查。知道了';

export const SW_CASES: SwCase[] = [
  {
    name: 'sw.js answers 404: the kill switch unregisters the worker, deletes its caches, reloads once',
    controlledFirst: true,
    trouble: (s) => s.failing.set('/sw.js', 404),
    banner: null,
    worker: 'retired',
    consoleErrors: /Failed to load resource|status of 404|bad HTTP response|sw\.js/,
  },
  {
    name: 'sw.js answers 410: the same kill switch',
    controlledFirst: true,
    trouble: (s) => s.failing.set('/sw.js', 410),
    banner: null,
    worker: 'retired',
    consoleErrors: /Failed to load resource|status of 410|bad HTTP response|sw\.js/,
  },
  {
    name: 'a new version whose content file fails (500): offered, with the missing file said',
    controlledFirst: true,
    trouble(s) {
      s.deploy();
      s.failing.set('/content/cases/panjin-2018.json', 500);
    },
    banner: '新版本可用点击刷新有 1 个内容文件没有下载成功，离线时可能打不开；联网时会自动补齐。',
    worker: 'kept',
    consoleErrors: /Failed to load resource|status of 500|precache/,
  },
  {
    name: 'the update check fails (503 every time): retried, then a quiet note',
    controlledFirst: true,
    trouble: (s) => s.failing.set('/sw.js', 503),
    banner: CHECK_NOTE,
    worker: 'kept',
    consoleErrors: /Failed to load resource|status of 503|bad HTTP response|sw\.js/,
  },
  {
    name: 'sw.js never answers on an update check: no banner, the saved version serves',
    controlledFirst: true,
    trouble: (s) => s.hanging.add('/sw.js'),
    banner: null,
    worker: 'kept',
    consoleErrors: /Failed to load resource|sw\.js/,
  },
  {
    name: 'sw.js never answers on the first visit: no worker, the portal works online',
    controlledFirst: false,
    trouble: (s) => s.hanging.add('/sw.js'),
    banner: null,
    worker: 'none',
    consoleErrors: /Failed to load resource|sw\.js/,
  },
  {
    name: 'sw.js comes back as an HTML page (a host\'s fallback to index.html): not a retirement, a failed check',
    controlledFirst: true,
    trouble: (s) =>
      s.replaced.set('/sw.js', {
        type: 'text/html',
        body: '<!doctype html><title>智慧党建学习平台</title><script>window.__pwned=1</script>',
      }),
    banner: CHECK_NOTE,
    worker: 'kept',
    consoleErrors: /Failed to load resource|MIME|sw\.js|SecurityError|unsupported MIME|bad HTTP response/,
  },
];
