import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';

const PAGES = [
  '/', '/cases', '/cases/panjin-2018', '/workflows/sanhui-yike', '/communities/sample-hongfeng',
  '/communities/compare?ids=sample-hongfeng,sample-qinghe', '/modules/new-secretary-starter',
  '/search?q=%E7%BD%91%E6%A0%BC', '/record', '/tasks', '/trainer', '/no-such-page',
];
const MODES = [
  { name: 'light', prefs: {} },
  { name: 'dark', prefs: { theme: 'dark' } },
  { name: 'large text', prefs: { 'text-size': '150' } },
];

for (const mode of MODES) {
  test(`axe: no serious or critical violations (${mode.name})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.addInitScript((prefs) => {
      for (const [k, v] of Object.entries(prefs)) localStorage.setItem(`dangjian.pref.${k}`, v as string);
    }, mode.prefs);
    const problems: string[] = [];
    for (const path of PAGES) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        problems.push(`${path}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
}
