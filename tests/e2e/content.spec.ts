import { test, expect } from './fixtures';
import { ComparePage, ItemPage, ListPage, Site } from './pages';

test('case page: fact box with figures, and the sources', async ({ page }) => {
  const item = new ItemPage(page);
  await item.goto('/cases/panjin-2018');
  const facts = item.factBox();
  await expect(facts).toBeVisible();
  await expect(facts).toContainText('72258');
  await expect(facts).toContainText('党员');
  await expect(item.sources()).toContainText('人民网');
  await expect(item.sources()).toContainText('2018-11-02');
});

test('workflow page: steps are a checklist that counts ticks', async ({ page }) => {
  const item = new ItemPage(page);
  await item.goto('/workflows/sanhui-yike');
  const steps = item.steps();
  const total = await steps.count();
  expect(total).toBeGreaterThanOrEqual(4);
  await expect(steps.first()).toContainText('责任人');
  await expect(page.getByText(`已完成 0 / ${total} 步`)).toBeVisible();
  const first = item.stepCheckbox(/确定议题/);
  await first.check();
  await expect(first).toBeChecked();
  await expect(page.getByText(`已完成 1 / ${total} 步`)).toBeVisible();
  await expect(item.sources()).toContainText('支部工作条例');
});

test('a link to a step scrolls to it', async ({ page }) => {
  await page.goto('/workflows/fazhan-dangyuan#入党宣誓');
  const step = page.locator('li.step#入党宣誓');
  await expect(step).toBeInViewport();
});

test('communities: compare two in one table', async ({ page }) => {
  await page.goto('/communities');
  await page.getByRole('link', { name: '对比社区数据' }).click();
  const compare = new ComparePage(page);
  await expect(compare.heading()).toHaveText('社区数据对比');
  await expect(page.getByText('请至少选择 2 个社区')).toBeVisible();
  await compare.choose(/红枫/).check();
  await compare.choose(/青禾/).check();
  const table = compare.table();
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /户数/ })).toContainText('6800');
  await expect(table.getByRole('row', { name: /户数/ })).toContainText('4200');
  await expect(page).toHaveURL(/ids=sample-hongfeng,sample-qinghe|ids=sample-qinghe,sample-hongfeng/);
  await page.reload();
  await expect(compare.table()).toBeVisible();
});

test('a sample community is marked 示例', async ({ page }) => {
  await new ItemPage(page).goto('/communities/sample-hongfeng');
  await expect(page.getByRole('note')).toContainText('示例社区');
  await expect(page.getByRole('region', { name: '社区数据' })).toContainText('户数');
});

test('module page: items in order and the quiz', async ({ page }) => {
  const site = new Site(page);
  await page.goto('/');
  await site.goTo('学习模块');
  await new ListPage(page).open(/新任社区党组织书记/);
  const items = page.getByRole('list', { name: '学习内容' }).getByRole('listitem');
  expect(await items.count()).toBeGreaterThanOrEqual(3);
  await expect(items.first()).toContainText('三会一课');
  await expect(page.getByRole('heading', { name: '自测题' })).toBeVisible();
  const questions = page.locator('li.question');
  expect(await questions.count()).toBeGreaterThanOrEqual(5);
  await expect(page.getByRole('button', { name: '提交答案' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: '模块学习进度' })).toBeVisible();
  await items.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/workflows\/sanhui-yike/);
});

test('list filters by tag and region, and an empty filter can be cleared', async ({ page }) => {
  await page.goto('/cases');
  const list = new ListPage(page);
  const all = await list.cards().count();
  await list.tagFilter().getByRole('link', { name: '街道管理体制改革' }).click();
  await expect(page).toHaveURL(/tag=street-reform/);
  await expect(list.tagFilter().getByRole('link', { name: '街道管理体制改革' })).toHaveAttribute('aria-current', 'true');
  const filtered = await list.cards().count();
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(all);
  for (const card of await list.cards().all()) await expect(card).toContainText('街道管理体制改革');
  await page.getByLabel('地区').selectOption('辽宁省');
  await expect(page).toHaveURL(/region=/);
  await expect(list.cards()).toHaveCount(1);
  await expect(list.cards().first()).toContainText('盘锦');
  await page.goto('/cases?region=%E8%BE%BD%E5%AE%81%E7%9C%81&tag=organizational-life');
  await expect(page.getByText('没有符合条件的内容')).toBeVisible();
  await page.getByRole('link', { name: '清除筛选' }).click();
  await expect(list.cards()).toHaveCount(all);
});
