import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { copyWithShortPauses } from './build-copy';
import { test, expect, Page } from './fixtures';
import { ItemPage, Site, expectAccessibleInBothThemes } from './pages';

// The service worker: precache on the first visit, offline after it, and the update banner.
// Other specs block service workers (playwright.config.ts); these tests need them. Each test serves
// the build from its own server, which it can stop (truly offline) or whose files it can change
// (a new deploy); each server is its own origin, so workers and caches do not leak between tests.
test.use({ serviceWorkers: 'allow' });

const DIST = resolve(__dirname, process.env.E2E_DIST ?? '../../dist');

/** Trunk's outputs in a build, named after their contents: the app's JS and WASM, which Trunk
 * preloads in every page. */
function trunkOutputs(dir: string): string[] {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/<link rel="(?:module)?preload" href="\/([^"/]+)"[^>]* integrity=/g)].map((m) => m[1]);
  return names.filter((f) => existsSync(join(dir, f)));
}

/**
 * A static server for `dir` with the SPA fallback, on a free port; files are read per request.
 * Trunk's outputs are served `immutable`, as a CDN would; `requests` counts the requests per path.
 */
async function serve(dir: string) {
  const immutable = new Set(trunkOutputs(dir).map((f) => `/${f}`));
  const files = sirv(dir, {
    single: true,
    dev: true,
    setHeaders: (res, path) => {
      if (immutable.has(path)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  const requests = new Map<string, number>();
  // Paths answered with an error status instead of the file, while set.
  const failing = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const status = failing.get(path);
    if (status !== undefined) {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(`status ${status}`);
      return;
    }
    files(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  let open = true;
  return {
    requests,
    failing,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((done) => {
        if (!open) return done();
        open = false;
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Waits until the worker controls the page (it claims open pages; a reload if not yet). */
async function untilControlled(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!(await controlled())) await page.reload();
  await expect.poll(controlled).toBe(true);
}

/** The version of the worker that controls the page, as it answers itself. */
function workerVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((answer) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => answer(e.data);
        navigator.serviceWorker.controller!.postMessage({ type: 'GET_VERSION' }, [channel.port2]);
      }),
  );
}

function versionIn(sw: string): string {
  const version = /^const VERSION = "([^"]+)";$/m.exec(sw)?.[1];
  expect(version, 'sw.js defines VERSION').toBeTruthy();
  return version!;
}

test('after one visit the portal works offline: home, a deep link, search and progress', async ({ page, context, allowConsoleErrors }) => {
  test.setTimeout(60_000);
  // Chromium's own update check of the worker (a soft update after a navigation) fails while
  // offline and logs this, sometimes; whatever the page needs is asserted below.
  allowConsoleErrors(/^Failed to load resource: net::ERR_FAILED$/);
  const server = await serve(DIST);
  try {
    const site = new Site(page);
    await page.goto(server.url('/'));
    await expect(site.heading()).toHaveText('智慧党建学习平台');
    await untilControlled(page);
    expect(await workerVersion(page)).toBe(versionIn(readFileSync(join(DIST, 'sw.js'), 'utf8')));

    // No server and no network: everything below comes from the worker's cache.
    await server.close();
    await context.setOffline(true);

    await page.reload();
    await expect(site.heading()).toHaveText('智慧党建学习平台');
    await expect(page.getByRole('heading', { level: 2, name: '学习模块' })).toBeVisible();
    await expect(page.locator('main article.card').first()).toBeVisible();

    // A deep link to a page not opened before, with its body.
    const item = new ItemPage(page);
    await item.goto(server.url('/cases/panjin-2018'));
    await expect(item.heading()).toContainText('盘锦');
    await expect(item.body()).toContainText('大部制');
    await expect(page).toHaveTitle(/盘锦.*智慧党建学习平台/);

    // Search loads its index from the cache.
    await page.goto(server.url('/workflows'));
    await page.getByRole('searchbox', { name: '搜索内容' }).fill('社工编制');
    const results = page.getByRole('list', { name: '搜索结果' }).getByRole('listitem');
    const panjin = results.filter({ has: page.getByRole('link', { name: /盘锦/ }) }).first();
    await expect(panjin).toBeVisible();
    await expect(panjin.locator('mark').first()).toHaveText('社工编制');
    await panjin.getByRole('link').click();
    await expect(page).toHaveURL(/\/cases\/panjin-2018$/);
    await expect(item.body()).toContainText('大部制');

    // Progress is recorded offline and is still there after an offline reload.
    await item.goto(server.url('/workflows/sanhui-yike'));
    const firstStep = page.locator('ol.steps input[type="checkbox"]').first();
    await firstStep.check();
    await expect(page.getByText(/已完成 1 \//)).toBeVisible();
    await page.reload();
    await expect(item.heading()).toContainText('三会一课');
    await expect(firstStep).toBeChecked();
    await expect(page.getByText(/已完成 1 \//)).toBeVisible();
  } finally {
    await context.setOffline(false);
    await server.close();
  }
});

test('the first visit downloads each of Trunk\'s files once: the worker precaches them from the HTTP cache', async ({ page }) => {
  test.setTimeout(60_000);
  // Trunk writes its hash as a u64 in hex without leading zeros: 16 digits, or 15 in one build
  // of 16, and so on. The worker must treat all of them as content-named.
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const source = /^const HASHED = \/(.+)\/;$/m.exec(sw)?.[1];
  expect(source, 'sw.js defines HASHED').toBeTruthy();
  const hashed = new RegExp(source!);
  for (const name of ['/portal-91dc5f42a4c43304_bg.wasm', '/portal-483a60c3a351578.js', '/main-d04bf387429c752.css']) {
    expect(hashed.test(name), name).toBe(true);
  }
  for (const name of ['/sw-register.js', '/index.html', '/content/search/fold.txt']) {
    expect(hashed.test(name), name).toBe(false);
  }

  const server = await serve(DIST);
  try {
    await page.goto(server.url('/'));
    await expect(new Site(page).heading()).toHaveText('智慧党建学习平台');
    await untilControlled(page);
    const outputs = trunkOutputs(DIST);
    expect(outputs.some((f) => f.endsWith('.wasm')) && outputs.some((f) => f.endsWith('.js'))).toBe(true);
    for (const f of outputs) {
      expect(server.requests.get(`/${f}`) ?? 0, `requests for ${f}`).toBeLessThanOrEqual(1);
    }
    const wasm = outputs.find((f) => f.endsWith('.wasm'))!;
    expect(await page.evaluate((path) => caches.match(path).then((r) => r !== undefined), `/${wasm}`)).toBe(true);
  } finally {
    await server.close();
  }
});

test('a new deploy shows 新版本可用; 点击刷新 reloads under the new worker', async ({ page }) => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'portal-sw-'));
  cpSync(DIST, dir, { recursive: true });
  const server = await serve(dir);
  try {
    const site = new Site(page);
    await page.goto(server.url('/cases'));
    await expect(site.heading()).toHaveText('他山之石');
    await untilControlled(page);
    const swFile = join(dir, 'sw.js');
    const sw = readFileSync(swFile, 'utf8');
    const before = versionIn(sw);
    expect(await workerVersion(page)).toBe(before);
    const banner = page.getByRole('status').filter({ hasText: '新版本可用' });
    await expect(banner).toHaveCount(0);

    // A new deploy, as the browser sees it: sw.js with other bytes (the content tool writes a new
    // version whenever any file of the build changes).
    const next = `${before}-next`;
    writeFileSync(swFile, sw.replace(`const VERSION = "${before}";`, `const VERSION = "${next}";`));
    await page.reload();

    await expect(banner).toBeVisible();
    const refresh = banner.getByRole('button', { name: '点击刷新' });
    expect((await refresh.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    // The old worker still serves the page until the user asks for the new version.
    expect(await workerVersion(page)).toBe(before);

    await expectAccessibleInBothThemes(page, '.sw-update');

    // Keyboard: focus the button and press Enter.
    await refresh.focus();
    await expect(refresh).toBeFocused();
    const reloaded = page.waitForEvent('load');
    await page.keyboard.press('Enter');
    await reloaded;

    await expect(site.heading()).toHaveText('他山之石');
    await expect.poll(() => workerVersion(page)).toBe(next);
    await expect(banner).toHaveCount(0);
    expect(await page.evaluate(() => caches.keys())).toEqual([`dangjian-${next}`]);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('over the budget: the shell is precached, visited pages are kept, others say they need the network', async ({ page, context, allowConsoleErrors }) => {
  test.setTimeout(60_000);
  allowConsoleErrors(/Failed to load resource|net::|Failed to fetch/);
  // What the content tool writes once the build passes the budget: COMPLETE false and only the
  // shell, the content manifest, the search root and the search tables precached (the essentials
  // write_site passes; the choice is unit-tested in src/site/offline.rs; this checks how the
  // worker behaves with it).
  const dir = mkdtempSync(join(tmpdir(), 'portal-sw-'));
  cpSync(DIST, dir, { recursive: true });
  const swFile = join(dir, 'sw.js');
  const sw = readFileSync(swFile, 'utf8');
  const list = /^const PRECACHE = (\[[^\]]*\]);$/m.exec(sw)!;
  const all: string[] = JSON.parse(list[1]);
  const shell = all.filter(
    (u) =>
      /^\/content\/(manifest\.json|search\/index\.bin|search\/fold\.txt)$/.test(u) ||
      (!u.startsWith('/content/') && !(u.endsWith('/index.html') && u !== '/index.html')),
  );
  expect(shell).toContain('/index.html');
  expect(shell).toContain('/content/manifest.json');
  expect(shell.length).toBeLessThan(all.length);
  writeFileSync(
    swFile,
    sw.replace(list[0], `const PRECACHE = ${JSON.stringify(shell)};`).replace('const COMPLETE = true;', 'const COMPLETE = false;'),
  );
  const server = await serve(dir);
  try {
    const item = new ItemPage(page);
    await page.goto(server.url('/'));
    await untilControlled(page);
    // Visited while online, through the worker.
    await item.goto(server.url('/cases/panjin-2018'));
    await expect(item.body()).toContainText('大部制');

    await server.close();
    await context.setOffline(true);
    await page.reload();
    await expect(item.heading()).toContainText('盘锦');
    await expect(item.body()).toContainText('大部制');

    // Never visited: the shell renders the page, and it says the body needs the network.
    await page.goto(server.url('/cases/fengqiao-jingyan'));
    await expect(page.getByRole('alert')).toContainText('网络连接失败');
  } finally {
    await context.setOffline(false);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A copy of the build to change (copyWithShortPauses), served from its own origin. */
async function serveCopy() {
  const dir = copyWithShortPauses(DIST, 'portal-sw-');
  const swFile = join(dir, 'sw.js');
  const server = await serve(dir);
  return {
    ...server,
    dir,
    /** A new deploy as the browser sees it: sw.js with another VERSION. Returns both versions. */
    deploy() {
      const sw = readFileSync(swFile, 'utf8');
      const before = versionIn(sw);
      const next = `${before}-next`;
      writeFileSync(swFile, sw.replace(`const VERSION = "${before}";`, `const VERSION = "${next}";`));
      return { before, next };
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('pages open from the cache, and every page load checks for a new version in the background', async ({ page }) => {
  test.setTimeout(60_000);
  const server = await serveCopy();
  try {
    const site = new Site(page);
    await page.goto(server.url('/cases'));
    await untilControlled(page);
    for (let i = 0; i < 2; i++) {
      const pages = server.requests.get('/cases') ?? 0;
      const checks = server.requests.get('/sw.js') ?? 0;
      await page.reload();
      await expect(site.heading()).toHaveText('他山之石');
      // The page came from the worker's cache, and sw.js was asked for once more.
      await expect.poll(() => server.requests.get('/sw.js') ?? 0).toBeGreaterThan(checks);
      expect(server.requests.get('/cases') ?? 0).toBe(pages);
    }
    await expect(page.locator('.sw-update')).toHaveCount(0);
  } finally {
    await server.close();
  }
});

test('a failed update check is retried, then reported quietly; the saved version keeps working', async ({ page, allowConsoleErrors }) => {
  test.setTimeout(60_000);
  allowConsoleErrors(/Failed to load resource|status of 503|bad HTTP response|sw\.js/);
  const server = await serveCopy();
  try {
    const site = new Site(page);
    await page.goto(server.url('/cases'));
    await untilControlled(page);
    server.failing.set('/sw.js', 503);
    const before = server.requests.get('/sw.js') ?? 0;
    await page.reload();
    await expect(site.heading()).toHaveText('他山之石');
    const note = page.getByRole('status').filter({ hasText: '暂时无法检查新版本' });
    await expect(note).toBeVisible();
    // The first check and three more, each followed by the kill switch's own look at sw.js
    // (a 503 is not a 404 or 410: the worker stays).
    expect((server.requests.get('/sw.js') ?? 0) - before).toBeGreaterThanOrEqual(8);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expectAccessibleInBothThemes(page, '.sw-update');
    await note.getByRole('button', { name: '知道了' }).click();
    await expect(note).toHaveCount(0);
  } finally {
    await server.close();
  }
});

test('a new version whose shell file fails to download is retried and reported; the old version keeps serving, complete', async ({ page, allowConsoleErrors }) => {
  test.setTimeout(90_000);
  allowConsoleErrors(/Failed to load resource|status of 500|precache|sw\.js/);
  const server = await serveCopy();
  try {
    const site = new Site(page);
    await page.goto(server.url('/cases'));
    await untilControlled(page);
    const { before, next } = server.deploy();
    server.failing.set('/manifest.webmanifest', 500);
    const tries = server.requests.get('/manifest.webmanifest') ?? 0;
    await page.reload();
    await expect(site.heading()).toHaveText('他山之石');
    await expect(page.getByRole('status').filter({ hasText: '新版本没有下载成功' })).toBeVisible({ timeout: 45_000 });
    // Four installs (the first and three retries), each trying the file three times.
    expect((server.requests.get('/manifest.webmanifest') ?? 0) - tries).toBeGreaterThanOrEqual(12);
    expect(await workerVersion(page)).toBe(before);
    expect(await page.evaluate(() => caches.keys())).toEqual([`dangjian-${before}`]);

    // The file is back: the next visit installs the new version and offers it.
    server.failing.clear();
    await page.reload();
    const banner = page.getByRole('status').filter({ hasText: '新版本可用' });
    await expect(banner).toBeVisible();
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: '点击刷新' }).click();
    await reloaded;
    await expect.poll(() => workerVersion(page)).toBe(next);
  } finally {
    await server.close();
  }
});

test('one content file that fails does not hold back a new version; it is reported and fetched later', async ({ page, allowConsoleErrors }) => {
  test.setTimeout(60_000);
  allowConsoleErrors(/Failed to load resource|status of 500|precache/);
  const server = await serveCopy();
  const body = '/content/cases/panjin-2018.json';
  try {
    await page.goto(server.url('/cases'));
    await untilControlled(page);
    const { next } = server.deploy();
    server.failing.set(body, 500);
    await page.reload();
    const banner = page.getByRole('status').filter({ hasText: '新版本可用' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('有 1 个内容文件没有下载成功');
    await expectAccessibleInBothThemes(page, '.sw-update');
    expect(await page.evaluate(() => caches.keys())).toContain(`dangjian-${next}`);
    expect(await page.evaluate(([url, cache]) => caches.open(cache).then((c) => c.match(url)).then((r) => r !== undefined), [body, `dangjian-${next}`])).toBe(false);

    // Back online with the file: taking the new version fetches what it lacks.
    server.failing.clear();
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: '点击刷新' }).click();
    await reloaded;
    await expect.poll(() => workerVersion(page)).toBe(next);
    await expect
      .poll(() => page.evaluate((url) => caches.match(url).then((r) => r !== undefined), body))
      .toBe(true);
  } finally {
    await server.close();
  }
});

for (const status of [410, 404]) {
  test(`the kill switch: when sw.js answers ${status}, the worker unregisters, its caches go and the page reloads from the network`, async ({ page, allowConsoleErrors }) => {
    test.setTimeout(60_000);
    allowConsoleErrors(new RegExp(`Failed to load resource|status of ${status}|bad HTTP response|sw\\.js`));
    const server = await serveCopy();
    try {
      const site = new Site(page);
      await page.goto(server.url('/cases'));
      await untilControlled(page);
      expect((await page.evaluate(() => caches.keys())).length).toBe(1);
      server.failing.set('/sw.js', status);
      const pages = server.requests.get('/cases') ?? 0;
      await page.reload();
      // Reloaded once by the kill switch: this time from the server, with no worker in between.
      await expect.poll(() => server.requests.get('/cases') ?? 0).toBeGreaterThan(pages);
      await expect(site.heading()).toHaveText('他山之石');
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
      expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
      await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([]);
      // It does not keep reloading.
      const after = server.requests.get('/cases') ?? 0;
      await page.waitForTimeout(1500);
      expect(server.requests.get('/cases') ?? 0).toBe(after);
    } finally {
      await server.close();
    }
  });
}
