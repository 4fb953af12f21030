import { test, expect } from './fixtures';
import { ItemPage, ListPage, Site } from './pages';

test('home → case through the UI, back, and reload of the deep link', async ({ page }) => {
  await page.goto('/');
  const site = new Site(page);
  await expect(site.heading()).toHaveText('智慧党建学习平台');
  await expect(page).toHaveTitle('智慧党建学习平台');

  await site.goTo('他山之石');
  const list = new ListPage(page);
  await expect(list.cards()).not.toHaveCount(0);
  await list.open(/盘锦/);

  await expect(page).toHaveURL(/\/cases\/panjin-2018$/);
  const item = new ItemPage(page);
  await expect(item.heading()).toContainText('盘锦');
  await expect(page).toHaveTitle(/盘锦.*智慧党建学习平台/);
  // A paragraph of the rendered markdown body, in Chinese.
  await expect(item.body().locator('p').filter({ hasText: '社工编制' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '街道大部制改革' })).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(site.heading()).toHaveText('他山之石');
  await page.goForward();
  await expect(item.heading()).toContainText('盘锦');

  await page.reload();
  await expect(item.heading()).toContainText('盘锦');
  await expect(item.body()).toContainText('大部制');
});

test('a deep link opens directly, with its own title in the served HTML', async ({ page, request }) => {
  const html = await (await request.get('/workflows/sanhui-yike')).text();
  expect(html).toContain('<title>');
  expect(html).toMatch(/<title>[^<]*三会一课[^<]*<\/title>/);
  await new ItemPage(page).goto('/workflows/sanhui-yike');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('三会一课');
});

test('an unknown route shows the 404 page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await expect(page.getByText('/no/such/page')).toBeVisible();
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('智慧党建学习平台');
});

test('an unknown item id says so, with a way back', async ({ page, allowConsoleErrors }) => {
  // On a cold deep link the body is fetched beside the manifest, so the browser logs its 404.
  allowConsoleErrors(/status of 404/);
  await page.goto('/cases/no-such-case');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('内容不存在');
  await expect(page.getByRole('link', { name: '返回他山之石' })).toBeVisible();
});

test('a failed manifest fetch shows a Chinese message and retry recovers', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/Failed to load resource|ERR_FAILED|net::/);
  let fail = true;
  await page.route('**/content/manifest.json', (route) => (fail ? route.abort('failed') : route.continue()));
  await page.goto('/cases');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('内容加载失败');
  await expect(alert).toContainText('网络连接失败');
  fail = false;
  await alert.getByRole('button', { name: '重试' }).click();
  await expect(new ListPage(page).cards()).not.toHaveCount(0);
});

test('a failed body fetch shows the server status and retry recovers', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/Failed to load resource|404/);
  let fail = true;
  await page.route('**/content/cases/panjin-2018.json', (route) =>
    fail ? route.fulfill({ status: 404, body: 'not found' }) : route.continue(),
  );
  await page.goto('/cases/panjin-2018');
  await expect(page.getByRole('alert')).toContainText('服务器返回 404');
  fail = false;
  await page.getByRole('button', { name: '重试' }).click();
  await expect(new ItemPage(page).body()).toContainText('大部制');
});

test('a damaged body file says so and offers a retry', async ({ page }) => {
  await page.route('**/content/cases/panjin-2018.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '<html>not json' }),
  );
  await page.goto('/cases/panjin-2018');
  await expect(page.getByRole('alert')).toContainText('内容文件已损坏');
  await expect(page.getByRole('button', { name: '重试' })).toBeVisible();
});
