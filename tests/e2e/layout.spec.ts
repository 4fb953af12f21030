import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, Page } from './fixtures';
import { ComparePage, ItemPage, ListPage, Site } from './pages';

// Phone-first layout (issue 7): every page type at a phone width and a desktop width has no
// horizontal scrolling, touch targets of at least 44×44 CSS px on the phone, and no layout shift
// as its content arrives. A full-page screenshot of each is saved, after its content has loaded,
// to artifacts/screenshots/<width>/<page>.png (gitignored; the run's artefact folder).
//
// One test per width walks every page in one browser page, so the whole spec costs two page
// loads per route (and a few more at 150 % text); problems are collected and reported together,
// each naming the element. The layout shift of each page is also written beside its screenshots
// (layout.json). Service workers are blocked: every visit is a cold one, the case that shifts.

const SHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');
const MOBILE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { viewport: MOBILE, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** Cumulative layout shift at or under this is "good" by the Web Vitals definition. */
const MAX_CLS = 0.1;
const MIN_TARGET = 44;

/** What one page of the walk checked. */
type Visit = { name: string; cls: number; problems: string[] };

/** A list of cards has loaded (the home page and the list pages). */
async function cardsShown(page: Page) {
  await expect(new ListPage(page).cards().first()).toBeVisible();
}

/** Static routes and what shows that each has finished loading (beyond no `.loading` line). */
const ROUTES: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
  { name: 'home', path: '/', ready: cardsShown },
  { name: 'cases', path: '/cases', ready: cardsShown },
  { name: 'workflows', path: '/workflows', ready: cardsShown },
  { name: 'communities', path: '/communities', ready: cardsShown },
  { name: 'modules', path: '/modules', ready: cardsShown },
  { name: 'case', path: '/cases/panjin-2018', ready: async (p) => {
    const item = new ItemPage(p);
    await expect(item.factBox()).toBeVisible();
    await expect(item.body()).toBeVisible();
  } },
  { name: 'workflow', path: '/workflows/sanhui-yike', ready: async (p) => { await expect(new ItemPage(p).steps().first()).toBeVisible(); } },
  { name: 'community', path: '/communities/sample-hongfeng', ready: async (p) => {
    const item = new ItemPage(p);
    await expect(item.factBox('社区数据')).toBeVisible();
    await expect(item.body()).toBeVisible();
  } },
  { name: 'module', path: '/modules/new-secretary-starter', ready: async (p) => {
    await expect(p.getByRole('button', { name: '提交答案' })).toBeVisible();
  } },
  { name: 'compare', path: '/communities/compare?ids=sample-hongfeng,sample-qinghe', ready: async (p) => {
    await expect(new ComparePage(p).table()).toBeVisible();
  } },
  { name: 'search', path: `/search?q=${encodeURIComponent('党建')}`, ready: async (p) => {
    await expect(p.getByRole('list', { name: '搜索结果' }).getByRole('listitem').first()).toBeVisible();
  } },
  { name: 'record', path: '/record', ready: async (p) => { await expect(p.getByRole('heading', { name: '学习概况' })).toBeVisible(); } },
  { name: 'tasks-empty', path: '/tasks', ready: async (p) => { await expect(p.getByText('还没有任务')).toBeVisible(); } },
  { name: 'assignment-no-code', path: '/assignment', ready: async (p) => { await expect(p.getByRole('alert')).toContainText('任务链接无法打开'); } },
  { name: 'not-found', path: '/no-such-page', ready: async (p) => { await expect(p.getByRole('link', { name: '返回首页' })).toBeVisible(); } },
];

/**
 * Elements that stick out of the viewport sideways, or make the document scroll sideways.
 * Content inside a container that scrolls or clips horizontally (a wide table in its own
 * `.table-scroll`) is that container's business, not the page's, so it is not counted; of a
 * chain of overflowing elements only the outermost is named.
 */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const vw = root.clientWidth;
    const problems: string[] = [];
    if (root.scrollWidth > vw) problems.push(`document scrolls sideways: scrollWidth ${root.scrollWidth} > clientWidth ${vw}`);
    const describe = (el: Element) => {
      const cls = [...el.classList].slice(0, 3).map((c) => `.${c}`).join('');
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 24);
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}>${text ? ` “${text}”` : ''}`;
    };
    const clipsX = (el: Element) => {
      if (el === root || el === document.body) return false;
      const o = getComputedStyle(el).overflowX;
      return o !== 'visible';
    };
    const sticksOut = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      // Not inside a closed <details> either (the display-settings visit opens the one there).
      if (!el.checkVisibility({ visibilityProperty: true })) return false;
      return r.right > vw + 0.5 || r.left < -0.5;
    };
    for (const el of document.body.querySelectorAll('*')) {
      if (!sticksOut(el)) continue;
      let clipped = false;
      let outermost = true;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (clipsX(a)) { clipped = true; break; }
        if (sticksOut(a)) outermost = false;
      }
      if (clipped || !outermost) continue;
      // The skip link waits above the page until focused; that is by design.
      if (el.classList.contains('skip-link')) continue;
      const r = el.getBoundingClientRect();
      problems.push(`${describe(el)} spans x ${Math.round(r.left)}–${Math.round(r.right)} in a ${vw} px viewport`);
    }
    return problems.slice(0, 8);
  });
}

/**
 * Visible controls smaller than 44×44 CSS px. A checkbox or radio counts together with its
 * label, since tapping the label works the control. Exempt, as WCAG 2.5.8 allows: a link
 * inside running text (a sentence of an article paragraph, a list item or table cell that has
 * words of its own besides the link), whose height the line of text sets; and disabled
 * controls, which are not targets.
 */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const describe = (el: Element) => {
      const text = (el.textContent || (el as HTMLInputElement).value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 24);
      const type = el instanceof HTMLInputElement ? `[type=${el.type}]` : '';
      return `<${el.tagName.toLowerCase()}${type}${[...el.classList].slice(0, 2).map((c) => `.${c}`).join('')}>${text ? ` “${text}”` : ''}`;
    };
    const inRunningText = (el: Element) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      let block = el.parentElement;
      while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
      if (!block?.matches('p, li, td, dd, blockquote, figcaption')) return false;
      // The words around the link, leaving out the link itself and labels such as badges.
      const clone = block.cloneNode(true) as Element;
      clone.querySelectorAll('a, button, .badge, .state').forEach((n) => n.remove());
      return (clone.textContent ?? '').replace(/[\s\p{P}\p{S}]/gu, '').length >= 4;
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      // Also false inside a closed <details>, whose content Chromium lays out but hides.
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
      if (el.closest('.visually-hidden')) return false;
      return r.bottom + window.scrollY > 0 && r.right + window.scrollX > 0;
    };
    const problems: string[] = [];
    const targets = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
    for (const el of targets) {
      if (!visible(el) || (el as HTMLButtonElement).disabled || inRunningText(el)) continue;
      let box = el.getBoundingClientRect();
      const labels = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') ? [...(el.labels ?? [])] : [];
      for (const label of labels) {
        const r = label.getBoundingClientRect();
        const left = Math.min(box.left, r.left), top = Math.min(box.top, r.top);
        box = new DOMRect(left, top, Math.max(box.right, r.right) - left, Math.max(box.bottom, r.bottom) - top);
      }
      if (box.width < min - 0.5 || box.height < min - 0.5) {
        problems.push(`${describe(el)} is ${Math.round(box.width)}×${Math.round(box.height)} px`);
      }
    }
    return problems;
  }, MIN_TARGET);
}

/**
 * Cumulative layout shift of this document so far, leaving out shifts right after input, and
 * the elements that moved in the largest shifts.
 */
async function layoutShift(page: Page): Promise<{ cls: number; movers: string[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] };
        const seen = new Set<Shift>();
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => seen.add(e as Shift)));
        observer.observe({ type: 'layout-shift', buffered: true });
        // Buffered entries arrive in a task of their own; two frames later they are all in.
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
          observer.takeRecords().forEach((e) => seen.add(e as Shift));
          observer.disconnect();
          const shifts = [...seen].filter((s) => !s.hadRecentInput).sort((a, b) => b.value - a.value);
          const name = (n?: Node) => {
            if (!(n instanceof Element)) return n ? n.nodeName : '?';
            const cls = [...n.classList].slice(0, 2).map((c) => `.${c}`).join('');
            return `<${n.tagName.toLowerCase()}${cls}> “${(n.textContent ?? '').trim().slice(0, 16)}”`;
          };
          resolve({
            cls: shifts.reduce((sum, s) => sum + s.value, 0),
            movers: shifts.slice(0, 3).map((s) => `${s.value.toFixed(3)} at ${Math.round(s.startTime)} ms: ${(s.sources ?? []).map((x) => name(x.node)).join(', ')}`),
          });
        }, 0)));
      }),
  );
}

/**
 * The font Chromium really draws a navigation link with (CDP `CSS.getPlatformFontsForNode`).
 * Every width and touch target below is measured in that font; without a CJK font on the machine
 * Chromium falls back to another one and the figures are meaningless, so the spec says so and
 * stops instead of reporting wrong sizes. scripts/setup.sh --test installs fonts-noto-cjk.
 */
async function expectCjkFont(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.site-nav a' });
    expect(nodeId, 'a navigation link to read the font of').toBeGreaterThan(0);
    // The link's text is a child node; the fonts are reported for the text it holds.
    const { node } = await cdp.send('DOM.describeNode', { nodeId, depth: 1 });
    const text = node.children?.find((c) => c.nodeType === 3);
    const { nodeIds } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', { backendNodeIds: [text?.backendNodeId ?? node.backendNodeId] });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds[0] ?? nodeId });
    const names = fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`);
    expect(
      fonts.some((f) => /Noto Sans CJK/i.test(f.familyName) && f.glyphCount > 0),
      `the navigation link is drawn in ${names.join(', ') || 'no font'}, not Noto Sans CJK: ` +
        'install fonts-noto-cjk (bash scripts/setup.sh --test) so the layout is measured as on a phone',
    ).toBe(true);
  } finally {
    await cdp.detach();
  }
}

/** Waits for the page's content, then checks it and saves its screenshot. */
async function check(page: Page, name: string, width: number): Promise<Visit> {
  await expect(new Site(page).heading()).toBeVisible();
  await expect(page.locator('.loading')).toHaveCount(0);
  const problems: string[] = [];
  const { cls, movers } = await layoutShift(page);
  if (cls > MAX_CLS) problems.push(`layout shift ${cls.toFixed(3)} > ${MAX_CLS}; largest: ${movers.join(' | ')}`);
  problems.push(...(await overflow(page)));
  if (width === MOBILE.width) problems.push(...(await smallTargets(page)).map((p) => `small target: ${p}`));
  // At CSS pixels: a quarter of the pixels of the phone's 2× rendering, and as easy to read.
  await page.screenshot({ path: join(SHOTS, String(width), `${name}.png`), fullPage: true, animations: 'disabled', scale: 'css' });
  return { name, cls: Number(cls.toFixed(4)), problems };
}

/**
 * Holds back content requests (manifest, bodies, search index) until the app shell with its
 * loading lines has been painted, as on any real network. From loopback they can arrive before
 * the first paint, which would hide the very shifts this spec looks for.
 */
class SlowContent {
  private release = () => {};
  private gate = Promise.resolve();
  /** Mobile emulation's own viewport set-up counts as input for the first 500 ms of a page
   * (hadRecentInput), which would excuse any shift then; content waits until after it. */
  private readonly settled: number;
  constructor(readonly page: Page, mobile: boolean) {
    this.settled = mobile ? 600 : 0;
  }
  async install() {
    await this.page.route('**/content/**', async (route) => {
      await this.gate;
      await route.continue();
    });
  }
  /** Loads an address: the shell paints first, then the content comes. */
  async open(path: string) {
    this.gate = new Promise((done) => (this.release = done));
    try {
      await this.page.goto(path);
      await expect(this.page.locator('.site-header')).toBeVisible();
      await this.page.waitForFunction(
        (settled) => performance.getEntriesByName('first-contentful-paint').length > 0 && performance.now() > settled,
        this.settled,
      );
    } finally {
      this.release();
    }
  }
}

async function visit(net: SlowContent, route: (typeof ROUTES)[number], width: number, suffix = ''): Promise<Visit> {
  await net.open(route.path);
  await route.ready(net.page);
  return check(net.page, route.name + suffix, width);
}

/** The display settings open from the header as a panel, which must fit the screen too. */
async function displaySettings(net: SlowContent, width: number): Promise<Visit> {
  const page = net.page;
  await net.open('/');
  await cardsShown(page);
  await page.getByText('显示设置').click();
  await expect(page.getByLabel('特大（150%）')).toBeVisible();
  return check(page, 'display-settings', width);
}

/**
 * The assignment round trip on one device, for the pages that only show something with data:
 * the trainer's form with a generated link and QR, the assignment link, 我的任务 with a task
 * and its receipt, and the trainer's table once the receipt is back.
 */
async function assignmentPages(net: SlowContent, width: number): Promise<Visit[]> {
  const page = net.page;
  const visits: Visit[] = [];
  await net.open('/trainer');
  await page.getByLabel('任务名称').fill('十二月组织生活规范学习');
  await page.getByLabel('布置人').fill('某街道党建中心');
  await page.getByRole('checkbox', { name: /^模块 新任社区党组织书记/ }).check();
  await page.getByRole('checkbox', { name: /^流程 三会一课/ }).check();
  await page.getByRole('button', { name: '生成任务链接' }).click();
  const link = await page.getByLabel('任务链接').inputValue();
  await expect(page.getByRole('img', { name: '二维码' }).locator('svg')).toBeVisible();
  visits.push(await check(page, 'trainer', width));

  await net.open(link);
  await expect(page.getByRole('button', { name: '接受任务' })).toBeVisible();
  visits.push(await check(page, 'assignment', width));

  await page.getByRole('button', { name: '接受任务' }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await page.getByRole('button', { name: '生成完成回执' }).click();
  const receipt = await page.getByLabel('回执链接（发给布置任务的同志）').inputValue();
  visits.push(await check(page, 'tasks', width));

  await net.open(receipt);
  await expect(page.getByRole('table', { name: /十二月组织生活规范学习/ })).toBeVisible();
  visits.push(await check(page, 'trainer-receipts', width));
  return visits;
}

/** Reports what the visits found, and writes each page's figures beside its screenshot. */
function report(visits: Visit[], width: number, file: string) {
  mkdirSync(join(SHOTS, String(width)), { recursive: true });
  writeFileSync(join(SHOTS, String(width), file), JSON.stringify(visits, null, 1));
  const problems = visits.flatMap((v) => v.problems.map((p) => `${v.name}: ${p}`));
  expect(problems, `layout problems at ${width} px`).toEqual([]);
}

for (const [label, size, device] of [
  ['phone', MOBILE, PHONE],
  ['desktop', DESKTOP, { viewport: DESKTOP }],
] as const) {
  test.describe(`${label} ${size.width}×${size.height}`, () => {
    test.use(device);

    test(`every page type fits ${size.width} px, without layout shift${size === MOBILE ? ', with 44 px touch targets' : ''}`, async ({ page }) => {
      test.setTimeout(90_000);
      const net = new SlowContent(page, size === MOBILE);
      await net.install();
      const visits: Visit[] = [];
      for (const route of ROUTES) {
        visits.push(await visit(net, route, size.width));
        if (route.name === 'home') await expectCjkFont(page);
      }
      visits.push(await displaySettings(net, size.width));
      visits.push(...(await assignmentPages(net, size.width)));
      report(visits, size.width, 'layout.json');
    });
  });
}

/** Pages with the most on them, for the largest text size (150 %) older readers choose. */
const LARGE_TEXT = ['home', 'case', 'module', 'compare', 'record'];

test.describe(`phone ${MOBILE.width}×${MOBILE.height}, text at 150 %`, () => {
  test.use(PHONE);

  test('the fullest pages still fit, without layout shift, with 44 px touch targets', async ({ page }) => {
    test.setTimeout(90_000);
    await page.addInitScript(() => localStorage.setItem('dangjian.pref.text-size', '150'));
    const net = new SlowContent(page, true);
    await net.install();
    const visits: Visit[] = [];
    for (const route of ROUTES.filter((r) => LARGE_TEXT.includes(r.name))) {
      visits.push(await visit(net, route, MOBILE.width, '-large-text'));
      if (route.name === 'home') await expectCjkFont(page);
    }
    report(visits, MOBILE.width, 'layout-large-text.json');
  });
});
