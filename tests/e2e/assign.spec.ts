import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { MODULE, moduleSpec, completeItem, passQuiz } from './learner';

test('trainer assigns, worker accepts and completes, receipt comes back to the table, CSV downloads', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const trainerContext = await browser.newContext({ locale: 'zh-CN' });
  const workerContext = await browser.newContext({ locale: 'zh-CN' });
  const trainer = await trainerContext.newPage();
  const worker = await workerContext.newPage();

  // The trainer makes an assignment of a module and a workflow.
  await trainer.goto('/trainer');
  await trainer.getByLabel('任务名称').fill('十二月组织生活规范学习');
  await trainer.getByLabel('布置人').fill('某街道党建中心');
  await trainer.getByLabel('说明（可选）').fill('请在月底前完成。<b>不是HTML</b>');
  await trainer.getByRole('checkbox', { name: /^模块 新任社区党组织书记/ }).check();
  await trainer.getByLabel('按标题查找').fill('主題黨日');
  await trainer.getByRole('checkbox', { name: /^流程 主题党日/ }).check();
  await expect(trainer.getByText('已选 2 项')).toBeVisible();
  await trainer.getByRole('button', { name: '生成任务链接' }).click();
  const link = await trainer.getByLabel('任务链接').inputValue();
  expect(link).toMatch(/\/assignment#a=DJA1/);
  await expect(trainer.getByRole('img', { name: '二维码' }).locator('svg')).toBeVisible();

  // The worker opens it, accepts, completes the module's items and quiz.
  await worker.goto(link);
  await expect(worker.getByRole('heading', { level: 2, name: '十二月组织生活规范学习' })).toBeVisible();
  await expect(worker.getByText('请在月底前完成。<b>不是HTML</b>')).toBeVisible();
  await expect(worker.locator('.assignment b')).toHaveCount(0);
  await worker.getByRole('button', { name: '接受任务' }).click();
  await expect(worker).toHaveURL(/\/tasks$/);
  await expect(worker.getByText('已完成 0 / 2 项')).toBeVisible();
  for (const ref of moduleSpec().items) await completeItem(worker, ref);
  await worker.goto(`/modules/${MODULE}`);
  await passQuiz(worker);
  await worker.goto('/tasks');
  await expect(worker.getByText('已完成 2 / 2 项')).toBeVisible();
  await worker.getByRole('button', { name: '生成完成回执' }).click();
  await worker.getByLabel('你的姓名（回执上显示）').fill('李晓梅');
  await worker.getByLabel('你的姓名（回执上显示）').blur();
  await expect(worker.getByText('回执状态：全部完成')).toBeVisible();
  const receipt = await worker.getByLabel('回执链接（发给布置任务的同志）').inputValue();
  expect(receipt).toMatch(/\/trainer#r=DJR1/);

  // The trainer pastes it (with chat noise around it) and sees the worker complete.
  await trainer.goto('/trainer');
  await trainer.getByLabel('粘贴回执（可一次粘贴多条）').fill(`李晓梅：${receipt} 谢谢！`);
  await trainer.getByRole('button', { name: '添加粘贴的回执' }).click();
  await expect(trainer.getByText(/已添加 李晓梅/)).toBeVisible();
  const table = trainer.getByRole('table', { name: /十二月组织生活规范学习/ });
  const row = table.getByRole('row', { name: /李晓梅/ });
  await expect(row).toContainText('全部完成');
  await expect(row).toContainText('✓ 100 分');
  await expect(trainer.getByText('全部完成 1 人')).toBeVisible();

  const [download] = await Promise.all([
    trainer.waitForEvent('download'),
    trainer.getByRole('button', { name: '导出表格（CSV）' }).click(),
  ]);
  const file = info.outputPath('roster.csv');
  await download.saveAs(file);
  const csv = readFileSync(file, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('李晓梅');
  expect(lines[1]).toContain('全部完成');
  expect(lines[0]).toContain('新任社区党组织书记');

  // Opening the receipt link shows it; it is already there, and that is said (trainer.spec.ts
  // covers adding from a link).
  await trainer.goto(receipt);
  const preview = trainer.getByRole('region', { name: '收到一份学习回执（尚未添加）' });
  await expect(preview).toContainText('李晓梅 的这份回执已经收过了');
  await expect(preview.getByRole('button', { name: '添加回执' })).toHaveCount(0);
  await trainerContext.close();
  await workerContext.close();
});

test('a tampered assignment link is refused with a message', async ({ page }) => {
  await page.goto('/trainer');
  await page.getByLabel('任务名称').fill('测试任务');
  await page.getByLabel('布置人').fill('测试');
  await page.getByRole('checkbox', { name: /^流程 三会一课/ }).check();
  await page.getByRole('button', { name: '生成任务链接' }).click();
  const link = await page.getByLabel('任务链接').inputValue();
  const i = link.length - 5;
  const tampered = link.slice(0, i) + (link[i] === 'A' ? 'B' : 'A') + link.slice(i + 1);
  await page.goto(tampered);
  await expect(page.getByRole('alert')).toContainText('任务链接无法打开');
  await expect(page.getByRole('button', { name: '接受任务' })).toHaveCount(0);
  await page.goto(link.slice(0, link.length - 20));
  await expect(page.getByRole('alert')).toContainText('任务链接无法打开');
});
