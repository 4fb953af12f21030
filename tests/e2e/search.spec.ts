import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { appStarted } from './pages';

/** The header search box and the results page. */
class Search {
  constructor(readonly page: Page) {}
  box() {
    return this.page.getByRole('searchbox', { name: '搜索内容' });
  }
  results() {
    return this.page.getByRole('list', { name: '搜索结果' }).getByRole('listitem');
  }
  async type(q: string) {
    await this.box().fill(q);
  }
}

test('a Chinese query finds the case and opens it', async ({ page }) => {
  await page.goto('/');
  const search = new Search(page);
  await search.type('社工编制');
  await expect(page).toHaveURL(/\/search\?q=/);
  const panjin = search.results().filter({ has: page.getByRole('link', { name: /盘锦/ }) }).first();
  await expect(panjin).toBeVisible();
  await expect(panjin.locator('mark').first()).toHaveText('社工编制');
  for (const result of await search.results().all()) await expect(result).toContainText('社工编制');
  await panjin.getByRole('link').click();
  await expect(page).toHaveURL(/\/cases\/panjin-2018/);
});

test('a Traditional query finds Simplified text', async ({ page }) => {
  await page.goto('/');
  const search = new Search(page);
  await search.type('黨員組織關係');
  await expect(search.results().first()).toContainText('组织关系');
  await search.results().first().getByRole('link').click();
  await expect(page).toHaveURL(/\/workflows\/zuzhi-guanxi-zhuanjie/);
});

test('the folding tables come with the search index; a damaged one says so and retry recovers', async ({ page }) => {
  // The app does not carry the tables in its WASM: a reading visit never fetches them.
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/cases/fengqiao-jingyan');
  await appStarted(page);
  expect(fetched).not.toContain('/content/search/fold.txt');

  let damaged = true;
  await page.route('**/content/search/fold.txt', async (route) => {
    if (!damaged) return route.continue();
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'portal-fold 1\n黨\n' });
  });
  const search = new Search(page);
  await search.type('黨員組織關係');
  const alert = page.getByRole('alert').filter({ hasText: '搜索用的字表文件已损坏' });
  await expect(alert).toBeVisible();
  await expect(search.results()).toHaveCount(0);
  damaged = false;
  await alert.getByRole('button', { name: '重试' }).click();
  await expect(search.results().first()).toContainText('组织关系');
});

test('pinyin and initials find titles', async ({ page }) => {
  await page.goto('/');
  const search = new Search(page);
  await search.type('sanhuiyike');
  await expect(search.results().first()).toContainText('三会一课');
  await expect(search.results().first()).toContainText('拼音匹配');
  await search.type('fqjy');
  await expect(search.results().first()).toContainText('枫桥');
});

test('the query is in the address and survives reload; keyboard opens a result', async ({ page }) => {
  await page.goto('/search?q=%E7%BD%91%E6%A0%BC');
  const search = new Search(page);
  await expect(search.box()).toHaveValue('网格');
  const count = await search.results().count();
  expect(count).toBeGreaterThan(1);
  await page.reload();
  await expect(search.results()).toHaveCount(count);
  await page.locator('body').click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(search.results().nth(1)).toHaveAttribute('aria-current', 'true');
  const href = await search.results().nth(1).getByRole('link').getAttribute('href');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${href}$`));
});

test('/ focuses the search box; an empty result suggests removing the filter', async ({ page }) => {
  await page.goto('/cases');
  await page.keyboard.press('/');
  const search = new Search(page);
  await expect(search.box()).toBeFocused();
  await page.goto('/search?q=%E7%BD%91%E6%A0%BC&kind=module&region=%E8%BE%BD%E5%AE%81%E7%9C%81');
  await expect(page.getByText('没有找到包含“网格”的内容')).toBeVisible();
  await page.getByRole('link', { name: '去掉筛选再试' }).click();
  await expect(search.results().first()).toBeVisible();
});

test('arrow keys move one result at a time after leaving and coming back', async ({ page }) => {
  await page.goto('/search?q=%E7%BD%91%E6%A0%BC');
  const search = new Search(page);
  await expect(search.results().first()).toBeVisible();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '他山之石' }).click();
  await page.goBack();
  await expect(search.results().first()).toBeVisible();
  await page.locator('body').click();
  await page.keyboard.press('ArrowDown');
  await expect(search.results().first()).toHaveAttribute('aria-current', 'true');
  await expect(search.results().nth(1)).not.toHaveAttribute('aria-current', 'true');
});
