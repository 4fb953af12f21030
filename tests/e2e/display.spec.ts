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
