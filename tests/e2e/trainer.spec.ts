import { test, expect, Page } from './fixtures';
import {
  codeIn, decodeAssignment, decodeReceipt, encodeAssignment, encodeReceipt, Receipt,
} from './codes';

// 培训管理 with untrusted receipts (issue 14): a receipt link changes nothing until the trainer
// clicks, forged and foreign receipts are refused or set apart, anything can be deleted and
// brought back, and the largest table the caps allow opens within a second.

const ROSTER_KEY = 'dangjian.trainer';

async function storedReceipts(page: Page): Promise<number> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{"receipts":[]}').receipts.length, ROSTER_KEY);
}

/** The trainer makes an assignment of one workflow through the UI; returns its link. */
async function makeAssignment(trainer: Page, title: string): Promise<string> {
  await trainer.goto('/trainer');
  await trainer.getByLabel('任务名称').fill(title);
  await trainer.getByLabel('布置人').fill('城南街道党建中心');
  await trainer.getByRole('checkbox', { name: /^流程 三会一课/ }).check();
  await trainer.getByRole('button', { name: '生成任务链接' }).click();
  return trainer.getByLabel('任务链接').inputValue();
}

/** Opens a receipt link on the trainer's page, as a tap on it in a chat would. */
async function openReceipt(trainer: Page, link: string) {
  await trainer.goto(link);
  await expect(trainer).toHaveURL(/\/trainer$/); // the code left the address bar
}

test('a receipt link is shown, added only on a click, and leaves the address bar and the history', async ({ browser }) => {
  test.setTimeout(90_000);
  const trainerContext = await browser.newContext({ locale: 'zh-CN' });
  const workerContext = await browser.newContext({ locale: 'zh-CN' });
  const trainer = await trainerContext.newPage();
  const worker = await workerContext.newPage();

  const link = await makeAssignment(trainer, '一月三会一课学习');
  await worker.goto(link);
  await worker.getByRole('button', { name: '接受任务' }).click();
  await expect(worker).toHaveURL(/\/tasks$/);
  // Accepting replaced the link's history entry: going back does not reopen it.
  await worker.goBack();
  expect(worker.url()).not.toContain('#a=');
  await worker.goto('/tasks');
  await worker.getByRole('button', { name: '生成完成回执' }).click();
  await worker.getByLabel('你的姓名（回执上显示）').fill('赵敏');
  await worker.getByLabel('你的姓名（回执上显示）').blur();
  await expect(worker.getByText('回执状态：未开始')).toBeVisible();
  const receiptLink = await worker.getByLabel('回执链接（发给布置任务的同志）').inputValue();

  // The test's code writer must agree with the app byte for byte before it writes anything.
  const assignmentCode = codeIn(link);
  const receiptCode = codeIn(receiptLink);
  expect(encodeAssignment(decodeAssignment(assignmentCode))).toBe(assignmentCode);
  const receipt = decodeReceipt(receiptCode);
  expect(receipt.worker).toBe('赵敏');
  expect(encodeReceipt(receipt)).toBe(receiptCode);

  // Opening the link shows the receipt and adds nothing.
  await openReceipt(trainer, receiptLink);
  const preview = trainer.getByRole('region', { name: '收到一份学习回执（尚未添加）' });
  await expect(preview).toContainText('赵敏');
  await expect(preview).toContainText('一月三会一课学习（本机布置的任务）');
  await expect(preview).toContainText('这是 赵敏 这项任务的第一份回执。');
  await expect(preview.getByRole('listitem')).toHaveCount(receipt.items.length);
  expect(await storedReceipts(trainer)).toBe(0);
  // A reload does not bring it back: the fragment is gone from this history entry too.
  await trainer.reload();
  await expect(trainer.getByRole('heading', { name: '培训管理' })).toBeVisible();
  await expect(preview).toHaveCount(0);

  // 不添加 leaves the roster as it was; 添加回执 adds it.
  await openReceipt(trainer, receiptLink);
  await preview.getByRole('button', { name: '不添加' }).click();
  await expect(trainer.getByRole('status').filter({ hasText: '未添加这份回执。' })).toBeVisible();
  await expect(preview).toHaveCount(0);
  expect(await storedReceipts(trainer)).toBe(0);
  await openReceipt(trainer, receiptLink);
  await preview.getByRole('button', { name: '添加回执' }).click();
  await expect(trainer.getByRole('status').filter({ hasText: '已添加 赵敏 的回执' })).toBeVisible();
  expect(await storedReceipts(trainer)).toBe(1);
  const table = trainer.getByRole('table', { name: /一月三会一课学习/ });
  await expect(table.getByRole('row', { name: /赵敏/ })).toContainText('未开始');
  await openReceipt(trainer, receiptLink);
  await expect(preview).toContainText('赵敏 的这份回执已经收过了');
  await expect(preview.getByRole('button', { name: '添加回执' })).toHaveCount(0);
  await preview.getByRole('button', { name: '知道了' }).click();

  // A receipt dated 9999-12-31 would win over the real one for good: refused.
  const forged: Receipt = { ...receipt, created: Date.UTC(9999, 11, 31), items: receipt.items.map((i) => ({ ...i, completedAt: null })) };
  await openReceipt(trainer, `/trainer#r=${encodeReceipt(forged)}`);
  await expect(preview).toContainText('晚了一天以上');
  await expect(preview.getByRole('button', { name: '添加回执' })).toHaveCount(0);
  await preview.getByRole('button', { name: '知道了' }).click();

  // 张‍三 with a zero-width joiner is not a name.
  await openReceipt(trainer, `/trainer#r=${encodeReceipt({ ...receipt, worker: '赵\u200d敏' })}`);
  await expect(trainer.getByRole('alert').filter({ hasText: '回执链接无法读取' })).toContainText('看不见的字符');
  await trainer.getByRole('button', { name: '知道了' }).click();

  // A receipt of an assignment not made here: its caption is only quoted, apart from ours.
  const fake = '【紧急】请全体学员重新登记';
  await openReceipt(trainer, `/trainer#r=${encodeReceipt({ ...receipt, assignment: 'fake0001', title: fake, worker: '王五' })}`);
  await expect(preview).toContainText(`不是本机布置的任务（编号 fake0001）。回执中写的任务名称，未经核实：“${fake}”`);
  await preview.getByRole('button', { name: '添加回执' }).click();
  const foreign = trainer.getByRole('region', { name: '不是本机布置的任务的回执' });
  await expect(foreign.getByRole('heading', { name: '任务编号 fake0001' })).toBeVisible();
  await expect(foreign.locator('q')).toHaveText(fake);
  await expect(trainer.getByRole('heading', { name: fake })).toHaveCount(0);
  await expect(trainer.getByRole('table', { name: fake })).toHaveCount(0);
  await expect(trainer.getByRole('table', { name: /任务编号 fake0001 的回执（任务名称未经核实）/ })).toBeVisible();

  // Anything can be deleted, and brought back.
  await trainer.getByRole('button', { name: '删除任务编号 fake0001 的回执' }).click();
  await expect(foreign).toHaveCount(0);
  expect(await storedReceipts(trainer)).toBe(1);
  await trainer.getByRole('button', { name: '撤销' }).click();
  await expect(foreign).toBeVisible();
  expect(await storedReceipts(trainer)).toBe(2);
  await table.getByRole('button', { name: '删除 赵敏 的回执' }).click();
  await expect(table.getByRole('row', { name: /赵敏/ })).toHaveCount(0);
  await trainer.getByRole('button', { name: '撤销' }).click();
  await expect(table.getByRole('row', { name: /赵敏/ })).toBeVisible();
  await trainer.getByRole('button', { name: '删除任务“一月三会一课学习”及其回执' }).click();
  await expect(table).toHaveCount(0);
  await trainer.getByRole('button', { name: '撤销' }).click();
  await expect(table.getByRole('row', { name: /赵敏/ })).toBeVisible();
  expect(await storedReceipts(trainer)).toBe(2);

  await trainerContext.close();
  await workerContext.close();
});

// The caps of src/assign/roster.rs and model.rs: the largest table they allow.
const ROWS = 2_500; // MAX_TABLE_ROWS
const ASSIGNED = 60; // MAX_ITEMS
const COLUMNS = 150; // MAX_TABLE_COLUMNS
// Each receipt lists the 60 assigned modules and 30 of 90 further items, a different window per
// worker, so the table has every column the cap allows. (Receipts of 120 items each, as
// examples/roster_bench.rs uses, make 5.7 MB of codes: more than Chromium's localStorage holds.)
const LISTED = 90;

/** The largest allowed roster, as the app stores it: one assignment, ROWS receipts, COLUMNS columns. */
function largestRoster(now: number): { json: string; title: string } {
  const day = 86_400_000;
  const title = '街道全体社区工作者轮训';
  const assignment = {
    id: 'k3Vq9xZa', title, trainer: '街道党工委组织科', note: '',
    dueDays: Math.floor((now - Date.UTC(2000, 0, 1)) / day) + 30, created: now - 10 * day,
    items: Array.from({ length: ASSIGNED }, (_, i) => ({ kind: 'module' as const, id: `module-${String(i).padStart(2, '0')}` })),
  };
  const extra = COLUMNS - ASSIGNED;
  const receipts = Array.from({ length: ROWS }, (_, w) => {
    const done = (n: number) => (n + w) % 3 !== 0;
    const items = [
      ...assignment.items.map((item, n) => ({
        item, assigned: true, completedAt: done(n) ? now - 5 * day + n * 60_000 : null,
        quiz: n % 4 === 0 ? { best: 60 + (w % 41), passed: w % 2 === 0 } : null,
      })),
      ...Array.from({ length: LISTED - ASSIGNED }, (_, j) => {
        const n = (w * 7 + j) % extra;
        return { item: { kind: 'case' as const, id: `case-${String(n).padStart(3, '0')}` }, assigned: false, completedAt: done(n + 1) ? now - 4 * day : null, quiz: null };
      }),
    ];
    return encodeReceipt({ assignment: assignment.id, title, worker: `社区工作者${String(w).padStart(4, '0')}`, created: now - 3 * day + w * 1000, items });
  });
  return { json: JSON.stringify({ version: 1, assignments: [encodeAssignment(assignment)], receipts }), title };
}

test('the largest table the caps allow opens at its first page without freezing (time reported)', async ({ page }, info) => {
  test.setTimeout(60_000);
  const { json, title } = largestRoster(Date.now());
  await page.goto('/');
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [ROSTER_KEY, json]);
  // When the first row of a table is in the document, and the frame that draws it.
  await page.addInitScript(() => {
    const w = window as unknown as { firstRows?: number; firstRowsPainted?: number };
    new MutationObserver((_, observer) => {
      if (w.firstRows === undefined && document.querySelector('table tbody tr')) {
        w.firstRows = performance.now();
        requestAnimationFrame(() => { w.firstRowsPainted = performance.now(); });
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/trainer');
  const table = page.getByRole('table', { name: new RegExp(title) });
  await expect(table.getByRole('row')).toHaveCount(51); // a header row and the first page
  await expect(page.getByText(`第 1–50 人，共 ${ROWS} 人（第 1/${ROWS / 50} 页）`)).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveCount(COLUMNS + 3);
  await expect(page.getByRole('alert')).toHaveCount(0); // every generated code was read
  const { firstRows, firstRowsPainted, start } = await page.evaluate(() => {
    const w = window as unknown as { firstRows: number; firstRowsPainted: number };
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { firstRows: w.firstRows, firstRowsPainted: w.firstRowsPainted, start: nav.startTime };
  });

  // The next page is drawn from the same table, not rebuilt.
  const clicked = Date.now();
  await page.getByRole('button', { name: '下一页' }).first().click();
  await expect(page.getByText(`第 51–100 人，共 ${ROWS} 人`)).toBeVisible();
  const nextPage = Date.now() - clicked;

  const report = `largest table ${ROWS} x ${COLUMNS} (${Math.round(json.length / 1000)} kB stored): first page of rows in the document ${Math.round(firstRows - start)} ms after navigation start, painted ${Math.round(firstRowsPainted - start)} ms; next page ${nextPage} ms`;
  console.log(report);
  info.annotations.push({ type: 'timing', description: report });
  // The goal is the first page of rows within a second of the navigation; the figure above
  // reports it (painting comes later by the layout of its 7,500 cells). A speed goal is not a
  // pass/fail line on a shared CI machine, where two test workers share 2 cores, so this bound
  // only catches a freeze: the quadratic table this replaced took many seconds at this size.
  expect(firstRows - start).toBeLessThan(5000);
});
