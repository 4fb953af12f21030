import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from './fixtures';

import { MODULE, moduleSpec, completeItem, passQuiz } from './learner';
import { appStarted } from './pages';

test('finish a module and pass its quiz; it stays done after reload', async ({ page }) => {
  test.setTimeout(90_000);
  const { items } = moduleSpec();
  for (const ref of items) await completeItem(page, ref);
  await page.goto(`/modules/${MODULE}`);
  await expect(page.getByRole('link', { name: '去做自测题' })).toBeVisible();
  await passQuiz(page);
  await expect(page.getByText('已通过，可以继续学习下一模块')).toBeVisible();
  await page.reload();
  await expect(page.getByText('本模块已全部完成')).toBeVisible();
  await expect(page.getByText(/已作答 1 次 · 最高 100 分 · 已通过/)).toBeVisible();
  await page.goto('/modules');
  await expect(page.locator('article.card').filter({ hasText: '新任社区党组织书记' })).toContainText('已完成');
  await page.goto('/record');
  const totals = page.getByRole('region', { name: '学习概况' });
  await expect(totals.getByRole('definition').nth(1)).toHaveText('1 个');
  await expect(totals.getByRole('definition').nth(2)).toHaveText('1 个');
  await expect(page.getByRole('table')).toContainText('已完成');
});

test('a wrong answer is reviewed with the explanation and offered again first', async ({ page }) => {
  await page.goto(`/modules/${MODULE}`);
  await page.getByRole('button', { name: '提交答案' }).click();
  await expect(page.getByRole('status').filter({ hasText: '本次得分 0 分' })).toBeVisible();
  const first = page.locator('li.question').first();
  await expect(first).toContainText('回答错误');
  await expect(first).toContainText('解析：');
  await expect(first.getByRole('link')).toBeVisible();
  await page.getByRole('button', { name: '再做一次' }).click();
  await expect(page.locator('li.question').first()).toContainText('上次答错');
});

test('a second tab sees progress made in the first', async ({ page, context }) => {
  await page.goto('/workflows/sanhui-yike');
  const other = await context.newPage();
  await other.goto('/workflows/sanhui-yike');
  await expect(other.locator('ol.steps input[type="checkbox"]').first()).not.toBeChecked();
  await page.locator('ol.steps input[type="checkbox"]').first().check();
  await expect(other.locator('ol.steps input[type="checkbox"]').first()).toBeChecked();
  await expect(other.getByText(/已完成 1 \//)).toBeVisible();
});

test('a corrupt stored record is backed up, reported, and the app starts fresh', async ({ page }) => {
  await page.goto('/');
  // The first page's app must have started before the record is damaged: one that starts after
  // would find the damage itself, back it up and save a fresh record before the reload.
  await appStarted(page);
  await page.evaluate(() => localStorage.setItem('dangjian.record', '{"schema":2,"format":"portal-learning-record","events":[{"id":'));
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: '学习记录无法读取' })).toBeVisible();
  const backups = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('dangjian.record.backup.')).map((k) => localStorage.getItem(k)),
  );
  expect(backups).toEqual(['{"schema":2,"format":"portal-learning-record","events":[{"id":']);
  await page.goto('/record');
  await expect(page.locator('li.backup').filter({ hasText: '学习记录备份' }).getByRole('button', { name: '下载' })).toBeVisible();
  await page.goto('/workflows/sanhui-yike');
  await page.locator('ol.steps input[type="checkbox"]').first().check();
  await page.reload();
  await expect(page.locator('ol.steps input[type="checkbox"]').first()).toBeChecked();
});

test('export JSON, clear storage, import: the same state comes back, merged after a preview', async ({ page }, info) => {
  await page.goto('/workflows/zhuti-dangri');
  await page.locator('ol.steps input[type="checkbox"]').nth(1).check();
  await page.goto('/record');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出学习记录（JSON）' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^学习档案-\d{4}-\d{2}-\d{2}\.json$/);
  const file = info.outputPath('record.json');
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.schema).toBe(2);
  expect(exported.events.length).toBeGreaterThan(0);

  await page.evaluate(() => localStorage.clear());
  await page.goto('/workflows/zhuti-dangri');
  await expect(page.locator('ol.steps input[type="checkbox"]').nth(1)).not.toBeChecked();
  await page.goto('/record');
  await page.getByLabel('导入学习记录文件').setInputFiles(file);
  const preview = page.getByRole('dialog', { name: '导入预览' });
  await expect(preview).toBeVisible();
  await preview.getByRole('button', { name: '确认合并' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已导入' })).toBeVisible();
  await page.goto('/workflows/zhuti-dangri');
  await expect(page.locator('ol.steps input[type="checkbox"]').nth(1)).toBeChecked();
});

test('a wrong file is refused with a message and changes nothing', async ({ page }, info) => {
  await page.goto('/record');
  const bad = info.outputPath('bad.json');
  require('node:fs').writeFileSync(bad, '{"hello": "world"}');
  await page.getByLabel('导入学习记录文件').setInputFiles(bad);
  await expect(page.getByRole('alert').filter({ hasText: '导入失败，本机记录未改变' })).toBeVisible();
  const truncated = info.outputPath('truncated.json');
  require('node:fs').writeFileSync(truncated, '{"schema":2,"format":"portal-learning-record","events":[');
  await page.getByLabel('导入学习记录文件').setInputFiles(truncated);
  await expect(page.getByRole('alert').filter({ hasText: '导入失败' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: '导入预览' })).toHaveCount(0);
});

test('xAPI export has statements of the right shape', async ({ page }, info) => {
  await page.goto('/cases/panjin-2018');
  await page.locator('#app .read-marker').scrollIntoViewIfNeeded();
  await expect(page.getByRole('status').filter({ hasText: '已读完' })).toBeVisible();
  await page.goto('/record');
  await expect(page.locator('ol.timeline li').first()).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 xAPI 语句' }).click(),
  ]);
  const file = info.outputPath('xapi.json');
  await download.saveAs(file);
  const statements = JSON.parse(readFileSync(file, 'utf8'));
  expect(Array.isArray(statements)).toBe(true);
  const s = statements.find((x: any) => x.verb.id === 'http://adlnet.gov/expapi/verbs/experienced');
  expect(s).toBeTruthy();
  expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(s.actor.account.name).toBeTruthy();
  expect(s.object.id).toMatch(/\/cases\/panjin-2018$/);
  expect(s.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
});

test('a record from a newer version is shown read-only and is still there after acting and reloading', async ({ page }) => {
  await page.goto('/');
  await appStarted(page);
  const now = Date.now();
  const newer = JSON.stringify({
    schema: 3,
    format: 'portal-learning-record',
    learner: 'newer-device',
    events: [
      { id: 'n-1', at: now - 60_000, type: 'read', item: 'case:panjin-2018' },
      { id: 'n-2', at: now - 50_000, type: 'display_name_set', name: '新版学员' },
      { id: 'n-3', at: now - 40_000, type: 'badge_earned', badge: 'gold' },
    ],
    streaks: { longest: 12 },
  });
  await page.evaluate((v) => localStorage.setItem('dangjian.record', v), newer);
  await page.goto('/record');
  const message = '这份学习记录来自更新版本的平台（格式版本 3），本页只读显示；请刷新或更新后再修改';
  await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
  // What this version understands of it is shown.
  await expect(page.getByLabel('姓名')).toHaveValue('新版学员');
  await expect(page.getByLabel('姓名')).toBeDisabled();
  await expect(page.getByLabel('导入学习记录文件')).toBeDisabled();

  // Acting on a page does not write over it, and says so.
  await page.goto('/workflows/sanhui-yike');
  await page.locator('ol.steps input[type="checkbox"]').first().click();
  await expect(page.getByRole('alert').filter({ hasText: '这次的学习进度没有保存' })).toBeVisible();
  await page.reload();
  await appStarted(page);
  await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('dangjian.record'))).toBe(newer);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('.backup.')))).toEqual([]);
});

test('backups of unreadable data are kept once, listed, downloaded and deleted after confirming', async ({ page }, info) => {
  await page.goto('/');
  await appStarted(page);
  const record = '{"schema":2,"format":"portal-learning-record","events":[{"id":';
  await page.evaluate((r) => {
    localStorage.setItem('dangjian.record', r);
    localStorage.setItem('dangjian.tasks', '[not json');
    localStorage.setItem('dangjian.trainer', '{broken');
  }, record);
  // Two loads with the same unreadable data: one backup of each, not one per load. The roster
  // (dangjian.trainer) is read only on the trainer's page, so that page is opened twice too.
  await page.reload();
  await appStarted(page);
  await page.reload();
  await appStarted(page);
  for (let i = 0; i < 2; i++) {
    await page.goto('/trainer');
    await appStarted(page);
  }
  const backupKeys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('.backup.')).sort());
  const keys = await backupKeys();
  expect(keys).toHaveLength(3);
  expect(keys.map((k) => k.replace(/\.backup\..*/, ''))).toEqual(['dangjian.record', 'dangjian.tasks', 'dangjian.trainer']);

  await page.goto('/record');
  const list = page.locator('li.backup');
  await expect(list).toHaveCount(3);
  const recordBackup = list.filter({ hasText: '学习记录备份' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    recordBackup.getByRole('button', { name: '下载' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^学习记录备份-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.json$/);
  const file = info.outputPath('backup.json');
  await download.saveAs(file);
  expect(readFileSync(file, 'utf8')).toBe(record);

  // Deleting asks first; cancelling keeps it.
  await recordBackup.getByRole('button', { name: '删除' }).click();
  const confirm = page.getByRole('alertdialog', { name: '确认删除备份' });
  await expect(confirm).toContainText('删除后无法恢复');
  await confirm.getByRole('button', { name: '取消' }).click();
  await expect(confirm).toHaveCount(0);
  expect(await backupKeys()).toHaveLength(3);
  await recordBackup.getByRole('button', { name: '删除' }).click();
  await confirm.getByRole('button', { name: '确定删除' }).click();
  await expect(list).toHaveCount(2);
  await expect(list.filter({ hasText: '学习记录备份' })).toHaveCount(0);
  const left = await backupKeys();
  expect(left.map((k) => k.replace(/\.backup\..*/, ''))).toEqual(['dangjian.tasks', 'dangjian.trainer']);
  // The roster's and the task list's backups download too.
  for (const label of ['任务列表备份', '回执表备份']) {
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      list.filter({ hasText: label }).getByRole('button', { name: '下载' }).click(),
    ]);
    expect(d.suggestedFilename()).toMatch(new RegExp(`^${label}-\\d{4}-\\d{2}-\\d{2}-[0-9a-f]{8}\\.json$`));
  }
  // The record's original was removed once its backup was written, so it stays deleted.
  await page.reload();
  await expect(page.locator('li.backup')).toHaveCount(2);
});

test('an import dated in the far future is refused in the preview and cannot pin the name', async ({ page }, info) => {
  await page.goto('/record');
  const name = page.getByLabel('姓名');
  await name.fill('张三');
  await name.press('Tab');
  await page.reload();
  await expect(name).toHaveValue('张三');

  const file = info.outputPath('future.json');
  writeFileSync(file, JSON.stringify({
    schema: 2,
    format: 'portal-learning-record',
    events: [
      { id: 'evil-1', at: 253402300799999, type: 'display_name_set', name: '钉住' },
      { id: 'evil-2', at: Date.now() - 1000, type: 'read', item: 'case:panjin-2018' },
    ],
  }));
  await page.getByLabel('导入学习记录文件').setInputFiles(file);
  const preview = page.getByRole('dialog', { name: '导入预览' });
  await expect(preview.getByRole('alert')).toHaveText(
    '有 1 条记录的日期比本机时间晚一天以上（最晚为 9999-12-31），可能来自时钟有误的设备或被改动的文件，已拒绝导入。',
  );
  await expect(preview).not.toContainText('显示名称将变为');
  await preview.getByRole('button', { name: '确认合并' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已导入' })).toBeVisible();
  await page.reload();
  await expect(name).toHaveValue('张三');
  // Renaming afterwards takes effect.
  await name.fill('李四');
  await name.press('Tab');
  await page.reload();
  await expect(name).toHaveValue('李四');
});
