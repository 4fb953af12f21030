import { test, expect, Page } from './fixtures';
import { ItemPage, ListPage, appStarted, expectAccessibleInBothThemes } from './pages';

// Prerendered pages (issue 7, load budget): each route's index.html carries the page, so the
// heading and the article show before the WASM has loaded (and without JavaScript at all); the app
// mounts out of sight and replaces the prerender in one step once its own page has content.

/** The prerendered page and the app that takes it over. */
class Takeover {
  constructor(readonly page: Page) {}
  prerender() {
    return this.page.locator('#prerender');
  }
  app() {
    return this.page.locator('#app');
  }
  /** Holds the app's WASM until the returned function is called, as a slow network would. */
  async holdWasm(): Promise<() => void> {
    return this.hold('**/*_bg.wasm');
  }
  async hold(url: string): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await this.page.route(url, async (route) => {
      await released;
      await route.continue();
    });
    return release;
  }
  async waitForApp() {
    await appStarted(this.page);
  }
  /** From before the first byte is parsed: the most `<h1>`s the document ever held at once, and
   * whether a loading line was ever in it. */
  async watch() {
    await this.page.addInitScript(() => {
      const seen = { maxH1: 0, loading: false };
      (window as any).__seen = seen;
      new MutationObserver(() => {
        seen.maxH1 = Math.max(seen.maxH1, document.querySelectorAll('h1').length);
        if (document.querySelector('main .loading')) seen.loading = true;
      }).observe(document, { childList: true, subtree: true });
    });
  }
  async seen(): Promise<{ maxH1: number; loading: boolean }> {
    return this.page.evaluate(() => (window as any).__seen);
  }
  /** Where the page's parts are, to compare the prerender with the app. */
  async layout(content: string) {
    return this.page.evaluate((content) => {
      const box = (el: Element | null) => {
        const r = el?.getBoundingClientRect();
        return r ? [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)] : null;
      };
      return {
        h1: box(document.querySelector('main h1')),
        content: box(document.querySelector(content)),
        nav: box(document.querySelector('nav.site-nav')),
        height: document.documentElement.scrollHeight,
      };
    }, content);
  }
}

test('without JavaScript a case page shows its heading, figures and article, and links work', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const item = new ItemPage(page);
  await item.goto('/cases/panjin-2018');
  await expect(item.heading()).toHaveCount(1);
  await expect(item.heading()).toContainText('盘锦');
  await expect(item.body().locator('p').filter({ hasText: '社工编制' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '街道大部制改革' })).toBeVisible();
  await expect(item.factBox()).toContainText('72258');
  await expect(item.sources()).toContainText('人民网');

  // Plain links to real routes, each with its own page.
  await item.nav().getByRole('link', { name: '规范工作' }).click();
  await expect(page).toHaveURL(/\/workflows$/);
  await expect(item.heading()).toHaveText('规范工作');
  await new ListPage(page).open(/三会一课/);
  await expect(page).toHaveURL(/\/workflows\/sanhui-yike$/);
  await expect(item.heading()).toContainText('三会一课');
  await expect(item.steps().first()).toContainText('责任人');
  await context.close();
});

test('a cold visit shows the article before the WASM, and the app takes over with one heading and no loading line', async ({ page }) => {
  const takeover = new Takeover(page);
  await takeover.watch();
  const release = await takeover.holdWasm();
  const item = new ItemPage(page);
  await item.goto('/cases/panjin-2018');
  await expect(item.body()).toContainText('社工编制');
  await expect(takeover.app()).toHaveCount(0);
  const before = await takeover.layout('main .prose');

  release();
  await takeover.waitForApp();
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(1);
  expect(await takeover.layout('main .prose')).toEqual(before);
  expect(await takeover.seen()).toEqual({ maxH1: 1, loading: false });

  // The app works: its controls are live and its router follows links without a reload.
  await expect(page.getByRole('button', { name: '朗读全文' })).toBeEnabled();
  await page.evaluate(() => ((window as any).__samePage = true));
  await item.nav().getByRole('link', { name: '他山之石' }).click();
  await expect(item.heading()).toHaveText('他山之石');
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
});

const PAGES = [
  { path: '/', content: 'main article.card' },
  { path: '/cases', content: 'main article.card' },
  { path: '/workflows/sanhui-yike', content: 'ol.steps > li' },
  { path: '/communities/sample-hongfeng', content: 'main .fact-box' },
  { path: '/modules/new-secretary-starter', content: 'li.question' },
  { path: '/communities/compare', content: 'fieldset.picker' },
];

test('every page type looks the same before and after the app takes over, on a phone and a desktop', async ({ page }) => {
  test.setTimeout(120_000);
  const takeover = new Takeover(page);
  await takeover.watch();
  for (const [viewport, { path, content }] of [{ width: 360, height: 740 }, { width: 1280, height: 800 }].flatMap((v) => PAGES.map((p) => [v, p] as const))) {
    await page.setViewportSize(viewport);
    await page.unrouteAll({ behavior: 'wait' });
    const release = await takeover.holdWasm();
    await page.goto(path);
    await expect(page.locator(content).first()).toBeVisible();
    await expect(takeover.prerender()).toBeVisible();
    const before = await takeover.layout(content);
    release();
    await takeover.waitForApp();
    // The app's own page, not the prerender: its controls are enabled.
    await expect(page.getByRole('searchbox', { name: '搜索内容' })).toBeEnabled();
    expect(await takeover.layout(content), `${path} at ${viewport.width}px`).toEqual(before);
    expect(await takeover.seen(), path).toEqual({ maxH1: 1, loading: false });
    // Each page as a first-time visitor sees it (opening an item records progress).
    await page.evaluate(() => localStorage.clear());
  }
});

test('for a returning learner the front page shows only its greeting until the app adds 继续学习', async ({ page }) => {
  const takeover = new Takeover(page);
  await new ItemPage(page).goto('/cases/panjin-2018');
  await takeover.waitForApp();
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dangjian.record') ?? '')).toContain('"events":[{');

  const release = await takeover.holdWasm();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('智慧党建学习平台');
  await expect(page.locator('main article.card').first()).toBeHidden();
  const before = await takeover.layout('main .hero');
  release();
  await takeover.waitForApp();
  await expect(page.getByRole('heading', { name: '继续学习' })).toBeVisible();
  const after = await takeover.layout('main .hero');
  expect([after.h1, after.content]).toEqual([before.h1, before.content]);
});

test('the app\'s own pages have their own file: title and heading before the WASM, then the app fills them in', async ({ page }) => {
  const takeover = new Takeover(page);
  await takeover.watch();
  const pages = [
    { path: '/record', title: '学习档案', about: '学习记录', then: page.getByText('还没有学习记录') },
    { path: '/tasks', title: '我的任务', about: '学习任务', then: page.getByText('还没有任务') },
    { path: '/trainer', title: '培训管理', about: '布置', then: page.getByRole('button', { name: '生成任务链接' }) },
    { path: '/search?q=%E7%BD%91%E6%A0%BC', title: '搜索', about: '拼音', then: page.getByRole('status') },
    { path: '/assignment?code=broken', title: '学习任务', about: '截止日期', then: page.getByText('任务链接无法打开') },
  ];
  for (const p of pages) {
    await page.unrouteAll({ behavior: 'wait' });
    const release = await takeover.holdWasm();
    await page.goto(p.path);
    // The page's own file, not the home page's hidden: its heading shows and a shared link has
    // its real title.
    await expect(takeover.prerender()).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.title);
    await expect(page).toHaveTitle(`${p.title} · 智慧党建学习平台`);
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toContain(p.about);
    await expect(takeover.app()).toHaveCount(0);
    const before = await takeover.layout('main h1');

    release();
    await takeover.waitForApp();
    await expect(p.then).toBeVisible();
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.title);
    expect((await takeover.layout('main h1')).h1, p.path).toEqual(before.h1);
    expect((await takeover.seen()).maxH1, p.path).toBe(1);
  }
});

test('a slow WASM download shows a moving bar; a failed one says so, keeps the page readable and 重新加载 recovers', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/学习功能加载失败|Failed to load resource|net::ERR_FAILED/);
  const takeover = new Takeover(page);
  const item = new ItemPage(page);
  const bar = page.locator('.app-loading');
  const failed = page.getByRole('alert').filter({ hasText: '学习功能没有加载成功' });

  // Slow: the bar appears after a second and goes once the app has started.
  let release = await takeover.holdWasm();
  await item.goto('/cases/panjin-2018');
  await expect(bar).toBeAttached();
  await expect(item.body()).toContainText('社工编制');
  release();
  await takeover.waitForApp();
  await expect(bar).toHaveCount(0);
  await expect(failed).toHaveCount(0);

  // Failed: the connection drops while the WASM downloads.
  await page.unrouteAll({ behavior: 'wait' });
  await page.route('**/*_bg.wasm', (route) => route.abort('connectionreset'));
  await item.goto('/cases/panjin-2018');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('本页内容仍可阅读');
  await expect(item.body()).toContainText('社工编制');
  await expect(takeover.prerender()).toBeVisible();
  await expect(bar).toHaveCount(0);
  const reload = failed.getByRole('button', { name: '重新加载' });
  await expect(reload).toBeVisible();
  expect((await reload.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expectAccessibleInBothThemes(page, '.app-failed');

  // The network is back: 重新加载 starts the app.
  await page.unrouteAll({ behavior: 'wait' });
  await reload.click();
  await takeover.waitForApp();
  await expect(failed).toHaveCount(0);
  await expect(page.getByRole('button', { name: '朗读全文' })).toBeEnabled();
});

test('a prerender made for another address never shows', async ({ page }) => {
  const takeover = new Takeover(page);
  // A filtered list: the prerender lists everything, so it stays hidden until the app filters.
  let release = await takeover.holdWasm();
  await page.goto('/cases?tag=street-reform');
  await expect(takeover.prerender()).toBeAttached();
  await expect(takeover.prerender()).toBeHidden();
  release();
  await takeover.waitForApp();
  const cards = new ListPage(page).cards();
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) await expect(card).toContainText('街道管理体制改革');

  // The host serves the home page's file for an address it does not have.
  await page.unrouteAll({ behavior: 'wait' });
  release = await takeover.holdWasm();
  await page.goto('/no-such-page');
  await expect(takeover.prerender()).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);
  release();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await expect(page.locator('h1')).toHaveCount(1);
});

test('the remembered text size and theme apply before the app has loaded', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('dangjian.pref.text-size', '150');
    localStorage.setItem('dangjian.pref.theme', 'dark');
  });
  const takeover = new Takeover(page);
  const release = await takeover.holdWasm();
  await new ItemPage(page).goto('/cases/panjin-2018');
  const style = () =>
    page.evaluate(() => ({
      size: getComputedStyle(document.documentElement).fontSize,
      theme: document.documentElement.dataset.theme,
      h1: Math.round(document.querySelector('main h1')!.getBoundingClientRect().height),
    }));
  const before = await style();
  expect(before.size).toBe('24px');
  expect(before.theme).toBe('dark');
  release();
  await takeover.waitForApp();
  expect(await style()).toEqual(before);
});

test('typing while the app still loads its page shows the app at once: / focuses the search box', async ({ page }) => {
  const takeover = new Takeover(page);
  const release = await takeover.hold('**/content/manifest.json');
  await page.goto('/cases/panjin-2018');
  // The app has mounted (its key listener is there) but waits for the manifest.
  await expect(takeover.prerender()).toBeVisible();
  await page.waitForFunction(() => (window as any).wasmBindings !== undefined);
  await page.keyboard.press('/');
  await expect(takeover.prerender()).toHaveCount(0);
  await expect(page.getByRole('searchbox', { name: '搜索内容' })).toBeFocused();
  release();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('盘锦');
  await expect(page.locator('h1')).toHaveCount(1);
});

test('/ pressed before the WASM has even run is kept, and focuses the search box once the app starts', async ({ page }) => {
  const takeover = new Takeover(page);
  const release = await takeover.holdWasm();
  await page.goto('/cases/panjin-2018');
  await expect(takeover.prerender()).toBeVisible();
  await page.keyboard.press('/');
  release();
  await expect(page.getByRole('searchbox', { name: '搜索内容' })).toBeFocused();
  await expect(takeover.prerender()).toHaveCount(0);
  await expect(page.locator('h1')).toHaveCount(1);
});
