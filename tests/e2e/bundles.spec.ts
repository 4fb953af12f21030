import { test, expect } from './fixtures';

// The trainer's page (培训管理) is its own bundle (trainer.html, served under /trainer/): a reader
// never downloads its code, and the links between the two bundles work both ways.

const TRAINER_FILES = /\/trainer\/trainer-[0-9a-f]+(_bg\.wasm|\.js)$/;
const READER_WASM = /\/portal-[0-9a-f]+_bg\.wasm$/;

test('an article visit downloads nothing of the trainer bundle', async ({ page }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto('/cases/panjin-2018');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(urls.some((u) => READER_WASM.test(u)), 'the reader bundle loads').toBe(true);
  expect(urls.filter((u) => new URL(u).pathname.startsWith('/trainer')), 'nothing of the trainer bundle').toEqual([]);
});

test('the nav opens the trainer bundle, and its nav opens the reader again', async ({ page }) => {
  test.setTimeout(60_000);
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto('/cases');
  await expect(page.getByRole('heading', { level: 1, name: '他山之石' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '培训管理' }).click();
  await expect(page).toHaveURL(/\/trainer$/);
  await expect(page.getByRole('heading', { level: 1, name: '培训管理' })).toBeVisible();
  // The app of this bundle, not only its static page: the form works.
  await expect(page.getByRole('button', { name: '生成任务链接' })).toBeEnabled({ timeout: 20_000 });
  expect(urls.filter((u) => TRAINER_FILES.test(u)).length, 'the trainer bundle was downloaded').toBe(2);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '学习档案' }).click();
  await expect(page).toHaveURL(/\/record$/);
  await expect(page.getByRole('heading', { level: 1, name: '学习档案' })).toBeVisible();
  // Back to the trainer's page and forward again: each address gets its own bundle.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '培训管理' })).toBeVisible();
  await expect(page.getByRole('button', { name: '生成任务链接' })).toBeEnabled({ timeout: 20_000 });
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: '学习档案' })).toBeVisible();
});
