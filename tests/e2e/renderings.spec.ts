import { test, expect, Page } from './fixtures';
import { appStarted } from './pages';

// One renderer (issue 15): every route's static page is the app's own first render, made by the
// content tool from the same `App`. For every page type this compares the text of <main> as the
// static page shows it (read with JavaScript off, so nothing has run) with the text once the app
// has started, for a new reader. They must be the same, except for the parts named here, which
// depend on what only the device or the address holds.

/** The text of <main>, whitespace collapsed (the app and the static page break lines alike,
 * but the innerText of hidden parts and of line boxes is not what is compared). */
async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}

/** What the device or the address decides, so the static page shows its loading line there:
 * the record, the tasks, the trainer's roster, an assignment link's code, a search's query. */
const FROM_THE_DEVICE: Record<string, { staticText: string }> = {
  '/record': { staticText: '学习档案 正在加载…' },
  '/tasks': { staticText: '我的任务 正在加载…' },
  '/assignment': { staticText: '学习任务 正在加载…' },
  '/trainer': {
    staticText:
      '培训管理 为社区工作者布置学习模块或单篇内容，发出链接或二维码；收回执后在下表查看完成情况。数据只保存在本机。 正在加载…',
  },
  '/search': { staticText: '搜索 正在加载搜索索引…' },
};

const SAME: string[] = [
  '/',
  '/cases',
  '/workflows',
  '/communities',
  '/modules',
  '/communities/compare',
  '/cases/panjin-2018',
  '/workflows/sanhui-yike',
  '/communities/beijing-jinsongbei',
  '/modules/grid-governance',
];

async function staticText(browser: import('@playwright/test').Browser, route: string) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(route);
  const text = await mainText(page);
  await context.close();
  return text;
}

for (const route of SAME) {
  test(`the static page of ${route} says what the app says`, async ({ browser, page }) => {
    const before = await staticText(browser, route);
    await page.goto(route);
    await appStarted(page);
    // The app's page has loaded its content (its body, for an item).
    await expect(page.locator('main .loading')).toHaveCount(0);
    const after = await mainText(page);
    expect(before.length, `${route}: the static page has content`).toBeGreaterThan(20);
    expect(after).toBe(before);
  });
}

for (const [route, { staticText: expected }] of Object.entries(FROM_THE_DEVICE)) {
  test(`the static page of ${route} is the app's frame until the device is read`, async ({ browser, page }) => {
    const before = await staticText(browser, route);
    expect(before).toBe(expected);
    await page.goto(route);
    await appStarted(page);
    await expect(page.locator('main .loading')).toHaveCount(0);
    const after = await mainText(page);
    // The frame (heading and lead) is the app's own beginning; what follows is the device's.
    const frame = expected.replace(/ 正在加载(搜索索引)?…$/, '');
    expect(after.startsWith(frame), `${route}: ${after.slice(0, 120)}`).toBe(true);
    expect(after).not.toContain('正在加载');
  });
}
