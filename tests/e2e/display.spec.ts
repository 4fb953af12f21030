import { test, expect } from './fixtures';

test('text size, theme and contrast are remembered across reloads', async ({ page }) => {
  await page.goto('/cases/panjin-2018');
  const base = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  await page.getByText('显示设置').click();
  await page.getByLabel('特大（150%）').check();
  await page.getByLabel('深色').check();
  await page.getByLabel('高对比度').check();
  const larger = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(larger / base).toBeCloseTo(1.5, 1);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const after = await page.evaluate(() => ({
    size: parseFloat(getComputedStyle(document.documentElement).fontSize),
    theme: document.documentElement.dataset.theme,
    contrast: document.documentElement.dataset.contrast,
    bg: getComputedStyle(document.body).backgroundColor,
  }));
  expect(after.size / base).toBeCloseTo(1.5, 1);
  expect(after.theme).toBe('dark');
  expect(after.contrast).toBe('high');
  expect(after.bg).toBe('rgb(0, 0, 0)');
});

test('the web app manifest is linked and describes a Chinese app', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest.lang).toBe('zh-CN');
  expect(manifest.name).toBe('智慧党建学习平台');
  expect(manifest.icons.length).toBeGreaterThan(0);
  expect((await request.get(manifest.icons[0].src)).ok()).toBe(true);
});

test('read aloud speaks the article in Chinese, with pause and stop', async ({ page }) => {
  await page.addInitScript(() => {
    const spoken: { text: string; lang: string }[] = [];
    (window as any).__spoken = spoken;
    speechSynthesis.speak = (u: SpeechSynthesisUtterance) => { spoken.push({ text: u.text, lang: u.lang }); };
  });
  await page.goto('/cases/panjin-2018');
  await expect(page.locator('main .prose').first()).toBeVisible();
  await page.getByRole('button', { name: '朗读全文' }).click();
  const spoken = await page.evaluate(() => (window as any).__spoken);
  expect(spoken).toHaveLength(1);
  expect(spoken[0].lang).toBe('zh-CN');
  expect(spoken[0].text).toContain('盘锦');
  expect(spoken[0].text).toContain('社工编制');
  await page.getByRole('button', { name: '暂停' }).click();
  await expect(page.getByRole('button', { name: '继续朗读' })).toBeVisible();
  await page.getByRole('button', { name: '停止' }).click();
  await expect(page.getByRole('button', { name: '朗读全文' })).toBeVisible();
});

test('a workflow prints as a form with blanks for date, place, participants and signatures', async ({ page }) => {
  await page.goto('/workflows/sanhui-yike');
  await expect(page.locator('ol.steps li').first()).toBeVisible();
  await expect(page.getByText('工作台账')).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByText('工作台账')).toBeVisible();
  for (const blank of ['日期', '地点', '参加人员', '记录人']) {
    await expect(page.locator('.print-form__fields th', { hasText: blank })).toBeVisible();
  }
  await expect(page.getByText(/经办人签字/).first()).toBeVisible();
  await expect(page.getByText('负责人签字', { exact: false })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeHidden();
  await expect(page.getByRole('button', { name: '打印台账' })).toBeHidden();
});
