// Hostile pastes: the trainer's receipt box (粘贴回执（可一次粘贴多条） / 添加粘贴的回执), and the
// other fields a user pastes into: the trainer's assignment form, the name on a receipt (我的任务),
// the name in 学习档案 and the header's search box. The expected texts are the app's own: the
// results list of trainer.rs's Receipts (`{excerpt}：{result}`), DecodeError and Refusal, the
// form's error line, the shell's alert for a refused event (progress_store.rs) and the search page.
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';
import { encodeAssignment, encodeReceipt } from '../codes';
import { ALARM, MESSAGES, Y9999, assignment, excerpt, receipt } from './links';

export type PasteField =
  /** The trainer's receipt box; `results` are the lines under it after 添加粘贴的回执. */
  | 'receipts'
  /** The trainer's 任务名称, 布置人 and 说明（可选）, then 生成任务链接. */
  | 'assignment-form'
  /** 你的姓名（回执上显示） on 我的任务, with one accepted task. */
  | 'receipt-name'
  /** 姓名 in 学习档案's 显示名称. */
  | 'record-name'
  /** The header's search box, then Enter. */
  | 'search';

export interface PasteCase {
  name: string;
  field: PasteField;
  /** What is pasted (for the form: 任务名称, 布置人, 说明 joined by \u0000) and what the app then
   * shows: the result lines, or the one message. */
  build(now: number): { text: string; results?: string[]; message?: string };
  /** Whole-paste failures keep the text in the box (nothing the trainer pasted is lost). */
  kept?: boolean;
  inspect?: (page: Page) => Promise<void>;
}

const code = (now: number, change = {}) => encodeReceipt(receipt(now, change));

export const PASTE_CASES: PasteCase[] = [
  {
    name: 'receipt box: only white space',
    field: 'receipts',
    build: () => ({ text: ' \n\t \n', results: ['没有内容：请粘贴链接或代码'] }),
    kept: true,
  },
  {
    name: 'receipt box: markup and script, no code',
    field: 'receipts',
    build: () => ({ text: '<script>window.__pwned=1</script><img src=x onerror=alert(1)>', results: [MESSAGES.notFound] }),
    kept: true,
  },
  {
    name: 'receipt box: 1,000,001 characters',
    field: 'receipts',
    build: () => ({ text: `${'回'.repeat(10)}${'x'.repeat(999_991)}`, results: [MESSAGES.tooLong(1_000_001, 1_000_000)] }),
    kept: true,
  },
  {
    name: 'receipt box: 301 codes at once',
    field: 'receipts',
    build: () => ({ text: Array.from({ length: 301 }, () => 'DJR1AAAA').join('\n'), results: ['一次最多添加 300 份回执，其余的请分批粘贴'] }),
    kept: true,
  },
  {
    name: 'receipt box: a chat with a good receipt, a cut one, an assignment and markup',
    field: 'receipts',
    build(now) {
      const good = code(now);
      const a = encodeAssignment(assignment(now));
      return {
        text: `王五：http://127.0.0.1/trainer#r=${good} 谢谢！\n李四：DJR1AAAA\n赵六：/assignment#a=${a}\n<img src=x onerror=window.__pwned=1>`,
        results: [`${excerpt(good)}：已添加 王五`, `DJR1AAAA：${MESSAGES.truncated('学习回执')}`, `${excerpt(a)}：${MESSAGES.notReceipt}`],
      };
    },
  },
  {
    name: 'receipt box: a worker name of HTML, added and shown as text',
    field: 'receipts',
    build(now) {
      const worker = '<b onmouseover="window.__pwned=1">王五</b>';
      const c = code(now, { worker });
      return { text: c, results: [`${excerpt(c)}：已添加 ${worker}`] };
    },
    async inspect(page) {
      const cell = page.getByRole('rowheader', { name: '<b onmouseover="window.__pwned=1">王五</b>' });
      await expect(cell).toBeVisible();
      await cell.hover();
      await expect(page.locator('main b')).toHaveCount(0);
    },
  },
  {
    name: 'receipt box: a worker name with a right-to-left override',
    field: 'receipts',
    build(now) {
      const c = code(now, { worker: '王\u202e五' });
      return { text: c, results: [`${excerpt(c)}：${MESSAGES.hidden('学员姓名')}`] };
    },
  },
  {
    name: 'receipt box: a receipt dated 9999-12-31',
    field: 'receipts',
    build(now) {
      const c = code(now, { created: Y9999, items: [{ item: { kind: 'workflow', id: 'sanhui-yike' }, assigned: true, completedAt: null, quiz: null }] });
      return { text: c, results: [`${excerpt(c)}：王五 的回执未添加：${MESSAGES.ahead('学习回执')}`] };
    },
  },
  {
    name: 'receipt box: the same receipt twice in one paste',
    field: 'receipts',
    build(now) {
      const c = code(now);
      return { text: `${c}\n${c}`, results: [`${excerpt(c)}：已添加 王五`, `${excerpt(c)}：王五 的回执已存在`] };
    },
  },
  {
    name: `receipt box: a stranger's assignment captioned ${ALARM}`,
    field: 'receipts',
    build(now) {
      const c = code(now, { assignment: 'fake0001', title: ALARM });
      return { text: `【通知】${c}`, results: [`${excerpt(c)}：已添加 王五`] };
    },
    async inspect(page) {
      const foreign = page.getByRole('region', { name: '不是本机布置的任务的回执' });
      await expect(foreign.locator('q')).toHaveText(ALARM);
      await expect(page.getByRole('heading', { name: ALARM })).toHaveCount(0);
      await expect(page.getByRole('table', { name: ALARM })).toHaveCount(0);
    },
  },
  {
    name: 'receipt box: a zero-width space inside a code',
    field: 'receipts',
    build(now) {
      const c = code(now);
      const cut = c.slice(0, 20);
      return { text: `${cut}\u200b${c.slice(20)}`, results: [`${excerpt(cut)}：${MESSAGES.truncated('学习回执')}`] };
    },
  },
  {
    name: 'assignment form: a title with a right-to-left override and an img',
    field: 'assignment-form',
    build: () => ({
      text: ['\u202e<img src=x onerror=window.__pwned=1>', '城南街道党建中心', ''].join('\u0000'),
      message: '任务标题中有看不见的字符（零宽字符、文字方向控制符之类），可能被用来冒充他人，请删去后再试',
    }),
  },
  {
    name: 'assignment form: HTML in title, trainer and note makes a link that shows them as text',
    field: 'assignment-form',
    build: () => ({
      text: ['<img src=x onerror=window.__pwned=1>', '<script>window.__pwned=2</script>', '<a href="javascript:window.__pwned=3">签到</a>'].join('\u0000'),
      message: '“<img src=x onerror=window.__pwned=1>”已生成，把链接或二维码发给社区工作者：',
    }),
    async inspect(page) {
      const link = await page.getByLabel('任务链接').inputValue();
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/assignment#a=DJA1[A-Za-z0-9_-]+$/);
      await page.goto(link);
      await expect(page.getByRole('heading', { level: 2 })).toHaveText('<img src=x onerror=window.__pwned=1>');
      await expect(page.locator('.assignment__note')).toHaveText('<a href="javascript:window.__pwned=3">签到</a>');
      await expect(page.locator('main img, main script, main a[href^="javascript"]')).toHaveCount(0);
    },
  },
  {
    name: 'receipt name (我的任务): a name with a right-to-left override is refused',
    field: 'receipt-name',
    build: () => ({
      text: '\u202e敏赵',
      message: '这次操作没有记下：显示名称过长（最多 40 个字）或含控制字符、不可见字符或文字方向控制符',
    }),
  },
  {
    name: '学习档案 name: HTML is kept as text',
    field: 'record-name',
    build: () => ({ text: '<img src=x onerror=window.__pwned=1>', message: '学员：<img src=x onerror=window.__pwned=1>' }),
  },
  {
    name: '学习档案 name: 41 characters pasted, the field keeps 40 (its maxlength)',
    field: 'record-name',
    build: () => ({ text: '张'.repeat(41), message: `学员：${'张'.repeat(40)}` }),
  },
  {
    name: 'search box: markup as the query',
    field: 'search',
    build: () => ({ text: '<img src=x onerror=window.__pwned=1>', message: '没有找到包含“<img src=x onerror=window.__pwned=1>”的内容。' }),
  },
];
