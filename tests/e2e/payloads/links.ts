// Hostile assignment links (/assignment#a=…) and receipt links (/trainer#r=…), written with the
// test-only mirror of the codec (../codes.ts). The expected messages are the app's own strings:
// DecodeError, Invalid and Refusal in src/assign/codec.rs and model.rs, and the pages
// src/app/pages/assignment.rs and trainer.rs.
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';
import {
  Assignment, PayloadWriter, Receipt, encodeAssignment, encodeReceipt, frameCode,
} from '../codes';

export const DAY = 86_400_000;
/** 9999-12-31T00:00:00Z: the latest day a code may name (MAX_TIMESTAMP is the end of it). */
export const Y9999 = Date.UTC(9999, 11, 31);
/** What a stranger's receipt claims its assignment is called (trainer.spec.ts uses it too). */
export const ALARM = '【紧急】请全体学员重新登记';

/** Days since 2000-01-01, the epoch of encoded due dates. */
export const daysSince2000 = (ms: number) => Math.floor((ms - Date.UTC(2000, 0, 1)) / DAY);
/** An encoded due date as the page writes it. */
export const dateOf = (days: number) => new Date(Date.UTC(2000, 0, 1) + days * DAY).toISOString().slice(0, 10);

/** A sound assignment of one workflow, made an hour ago, due in a week. */
export function assignment(now: number, change: Partial<Assignment> = {}): Assignment {
  return {
    id: 'k3Vq9xZa',
    title: '三会一课专题学习',
    trainer: '城南街道党建中心',
    note: '请在周五前完成。',
    dueDays: daysSince2000(now) + 7,
    created: now - 3_600_000,
    items: [{ kind: 'workflow', id: 'sanhui-yike' }],
    ...change,
  };
}

/** A sound receipt of that assignment: the workflow done two minutes ago. */
export function receipt(now: number, change: Partial<Receipt> = {}): Receipt {
  return {
    assignment: 'k3Vq9xZa',
    title: '三会一课专题学习',
    worker: '王五',
    created: now - 60_000,
    items: [{ item: { kind: 'workflow', id: 'sanhui-yike' }, assigned: true, completedAt: now - 120_000, quiz: null }],
    ...change,
  };
}

/** The payload inside a code (its frame's length and checksum taken off). */
export function payloadOf(code: string): number[] {
  const body = Buffer.from(code.slice(4), 'base64url');
  let len = 0;
  let at = 0;
  for (let shift = 0; ; shift += 7) {
    const b = body[at++];
    len |= (b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  return [...body.subarray(at, at + len)];
}

/** The same code with one bit of its checksum flipped: sound length, sound base64, wrong CRC. */
export function badChecksum(code: string): string {
  const body = Buffer.from(code.slice(4), 'base64url');
  body[body.length - 1] ^= 0x01;
  return code.slice(0, 4) + body.toString('base64url');
}

/** The first 12 characters of a code and …, as the paste results name it (Pasted::excerpt). */
export const excerpt = (code: string) => (code.length > 12 ? `${code.slice(0, 12)}…` : code);

/** An assignment payload written field by field, with any kind byte. */
function assignmentWithKindByte(now: number, kindByte: number): string {
  const a = assignment(now);
  const w = new PayloadWriter();
  for (const s of [a.id, a.title, a.trainer, a.note]) w.string(s);
  w.varint(a.dueDays);
  w.varint(a.created);
  w.varint(1);
  w.bytes.push(kindByte);
  w.string('sanhui-yike');
  return frameCode('DJA1', w.bytes);
}

/** A receipt payload of one item with any flags byte. */
function receiptWithFlags(now: number, flags: number): string {
  const r = receipt(now);
  const w = new PayloadWriter();
  for (const s of [r.assignment, r.title, r.worker]) w.string(s);
  w.varint(r.created);
  w.varint(1);
  w.bytes.push(flags);
  w.string('sanhui-yike');
  return frameCode('DJR1', w.bytes);
}

const HIDDEN = '中有看不见的字符（零宽字符、文字方向控制符之类），可能被用来冒充他人，请删去后再试';
const AHEAD = (kind: string) =>
  `这份${kind}注明的时间比本机现在的时间晚了一天以上，可能是对方手机的日期设错了，也可能是伪造的，不能添加：请对方核对手机日期后重新生成`;
const TOO_LONG = (chars: number, max: number) =>
  `内容太长（${chars} 个字符，最多 ${max} 个）：本平台的链接和回执没有这么长，请检查粘贴的内容，或分批粘贴`;

export const MESSAGES = {
  hidden: (field: string, kind = '学习回执') => `${kind}中的内容不合规：${field}${HIDDEN}`,
  ahead: AHEAD,
  tooLong: TOO_LONG,
  notFound: '没有找到学习任务或学习回执的代码：请确认复制的是完整的链接或回执',
  truncated: (kind: string) => `${kind}不完整，可能复制时少了一截：请重新复制完整的链接或代码`,
  damagedAssignment: '学习任务链接已损坏或被改动（校验不符），不能使用：请培训者重新发送链接',
  damagedReceipt:
    '学习回执已损坏或被改动（校验不符），不能使用：请学员重新发送。校验只能发现传输中的损坏；回执由学员自己生成，属于自行报告，并不能防止伪造',
  version: (kind: string, v: number) => `这份${kind}是第 ${v} 版格式，本应用只能读取第 1 版：请刷新页面，更新到最新版本后再打开`,
  notReceipt: '这是学习任务链接，不是学习回执：请直接在浏览器中打开它查看任务',
  notAssignment: '这是学习回执，不是学习任务：回执请发给培训者，在“培训管理”页面添加',
};

export interface LinkCase {
  name: string;
  /** The address opened (path and fragment), built with the test's clock. */
  url(now: number): string;
  /** The link is refused: the alert's title and the message under it. */
  refused?: { title: '任务链接无法打开' | '回执链接无法读取'; message: string };
  /** An assignment is shown: its title (h2) and texts; refused to accept with `refusal`, or
   * accepted (`accept`), after which 我的任务 lists it by its title. */
  assignment?: { title: string; shows: string[]; refusal?: string; accept?: boolean };
  /** A receipt is previewed: texts, the verdict, and whether it can be added; `added` is the
   * status after 添加回执. */
  receipt?: { shows: string[]; verdict: string; refused: boolean; added?: string };
  /** Codes already in 我的任务 (dangjian.tasks) before the link is opened. */
  tasks?: (now: number) => string[];
  inspect?: (page: Page, now: number) => Promise<void>;
}

const A = (now: number, change: Partial<Assignment> = {}) => `/assignment#a=${encodeAssignment(assignment(now, change))}`;
const R = (now: number, change: Partial<Receipt> = {}) => `/trainer#r=${encodeReceipt(receipt(now, change))}`;
const FOREIGN = (title = '三会一课专题学习', id = 'k3Vq9xZa') =>
  `不是本机布置的任务（编号 ${id}）。回执中写的任务名称，未经核实：“${title}”`;

/** No image, frame or link made of the payload anywhere in the page's main part. */
async function noMarkupFromPayload(page: Page) {
  await expect(page.locator('main img, main iframe, main script, main object, main embed')).toHaveCount(0);
  await expect(page.locator('main a[href^="javascript"], main a[href*="evil"]')).toHaveCount(0);
}

export const LINK_CASES: LinkCase[] = [
  // ---- assignments --------------------------------------------------------------------------
  {
    name: 'assignment dated 9999-12-31 (it would stay the newest for good)',
    url: (now) => A(now, { created: Y9999 }),
    assignment: { title: '三会一课专题学习', shows: ['城南街道党建中心'], refusal: AHEAD('学习任务') },
  },
  {
    name: 'assignment due in the year 9999',
    url: (now) => A(now, { dueDays: daysSince2000(Y9999) }),
    refused: {
      title: '任务链接无法打开',
      message: `学习任务中的内容不合规：截止日期“2000-01-01 之后第 ${daysSince2000(Y9999)} 天”无效：应写成 2026-12-04 这样的日期，年份在 2000 至 2999 之间`,
    },
  },
  {
    name: 'assignment with an unknown kind of item (kind byte 9)',
    url: (now) => `/assignment#a=${assignmentWithKindByte(now, 9)}`,
    refused: { title: '任务链接无法打开', message: '学习任务的内容无法读取（未知的内容类型），可能来自不兼容的程序' },
  },
  {
    name: 'assignment of a newer format version (DJA2, sound frame)',
    url: (now) => `/assignment#a=${frameCode('DJA2', payloadOf(encodeAssignment(assignment(now))))}`,
    refused: { title: '任务链接无法打开', message: MESSAGES.version('学习任务', 2) },
  },
  {
    name: 'assignment of format version Z (35)',
    url: (now) => `/assignment#a=${frameCode('DJAZ', payloadOf(encodeAssignment(assignment(now))))}`,
    refused: { title: '任务链接无法打开', message: MESSAGES.version('学习任务', 35) },
  },
  {
    name: 'assignment whose trainer name hides a zero-width joiner (城南\\u200d街道党建中心)',
    url: (now) => A(now, { trainer: '城南\u200d街道党建中心' }),
    refused: { title: '任务链接无法打开', message: MESSAGES.hidden('布置人姓名', '学习任务') },
  },
  {
    name: 'assignment title with a right-to-left override (\\u202e)',
    url: (now) => A(now, { title: '三会一课\u202e习学题专' }),
    refused: { title: '任务链接无法打开', message: MESSAGES.hidden('任务标题', '学习任务') },
  },
  {
    name: 'assignment with HTML and script in title, trainer and note: shown as text, accepted as text',
    url: (now) =>
      A(now, {
        title: '<img src=x onerror=window.__pwned=1>',
        trainer: '<script>window.__pwned=2</script>',
        note: '<iframe srcdoc="<script>parent.__pwned=3</script>"></iframe>\n<a href="javascript:window.__pwned=4">点此签到</a>',
      }),
    assignment: {
      title: '<img src=x onerror=window.__pwned=1>',
      shows: ['<script>window.__pwned=2</script>', '<iframe srcdoc="<script>parent.__pwned=3</script>"></iframe>', '<a href="javascript:window.__pwned=4">点此签到</a>'],
      accept: true,
    },
    inspect: noMarkupFromPayload,
  },
  {
    name: 'assignment with javascript: text and an item this site does not have',
    url: (now) =>
      A(now, {
        title: 'javascript:window.__pwned=1',
        note: 'javascript:window.__pwned=2 https://evil.example/',
        items: [{ kind: 'workflow', id: 'sanhui-yike' }, { kind: 'case', id: 'fake-notice-2026' }],
      }),
    assignment: { title: 'javascript:window.__pwned=1', shows: ['javascript:window.__pwned=2 https://evil.example/', 'case:fake-notice-2026（本站暂无此内容）'], accept: true },
    inspect: noMarkupFromPayload,
  },
  {
    name: 'assignment of an item whose id is javascript:alert(1)',
    url: (now) => A(now, { items: [{ kind: 'case', id: 'javascript:alert(1)' }] }),
    refused: { title: '任务链接无法打开', message: '学习任务中的内容不合规：学习内容的标识“javascript:alert(1)”无效' },
  },
  {
    name: 'assignment code of 5,000 characters',
    url: () => `/assignment#a=DJA1${'A'.repeat(4996)}`,
    refused: { title: '任务链接无法打开', message: TOO_LONG(5000, 4000) },
  },
  {
    name: 'assignment link of 200,000 characters',
    url: () => `/assignment#a=DJA1${'A'.repeat(199_996)}`,
    refused: { title: '任务链接无法打开', message: TOO_LONG(200_003, 8000) },
  },
  {
    name: 'assignment code cut short by 10 characters',
    url: (now) => A(now).slice(0, -10),
    refused: { title: '任务链接无法打开', message: MESSAGES.truncated('学习任务') },
  },
  {
    name: 'assignment with a wrong checksum',
    url: (now) => `/assignment#a=${badChecksum(encodeAssignment(assignment(now)))}`,
    refused: { title: '任务链接无法打开', message: MESSAGES.damagedAssignment },
  },
  {
    name: 'assignment fragment of markup only: #a=<script>…',
    url: () => '/assignment#a=<script>window.__pwned=1</script><img src=x onerror=alert(1)>',
    refused: { title: '任务链接无法打开', message: MESSAGES.notFound },
  },
  {
    name: 'assignment header followed by markup: #a=DJA1"><svg onload=…>',
    url: () => '/assignment#a=DJA1"><svg onload=window.__pwned=1>',
    refused: { title: '任务链接无法打开', message: MESSAGES.truncated('学习任务') },
  },
  {
    name: `a second link with the id of an accepted task, captioned ${ALARM}: the task kept is not replaced`,
    tasks: (now) => [encodeAssignment(assignment(now))],
    url: (now) => A(now, { title: ALARM, note: '请立即打开 https://evil.example/ 重新登记', created: now - 60_000 }),
    assignment: { title: ALARM, shows: ['请立即打开 https://evil.example/ 重新登记', '你已接受这项任务。'] },
    async inspect(page) {
      await expect(page.getByRole('button', { name: '接受任务' })).toHaveCount(0);
      await page.getByRole('link', { name: '查看我的任务' }).click();
      await expect(page.getByRole('article', { name: '三会一课专题学习' })).toBeVisible();
      await expect(page.getByRole('article', { name: ALARM })).toHaveCount(0);
    },
  },
  {
    name: 'a receipt opened as an assignment',
    url: (now) => `/assignment#a=${encodeReceipt(receipt(now))}`,
    refused: { title: '任务链接无法打开', message: MESSAGES.notAssignment },
  },
  // ---- receipts -----------------------------------------------------------------------------
  {
    name: 'receipt dated 9999-12-31',
    url: (now) => R(now, { created: Y9999, items: [{ item: { kind: 'workflow', id: 'sanhui-yike' }, assigned: true, completedAt: null, quiz: null }] }),
    receipt: { shows: ['王五'], verdict: `不能添加：${AHEAD('学习回执')}`, refused: true },
  },
  {
    name: 'receipt made now whose item claims completion on 9999-12-31',
    url: (now) => R(now, { items: [{ item: { kind: 'workflow', id: 'sanhui-yike' }, assigned: true, completedAt: Y9999, quiz: null }] }),
    receipt: { shows: ['王五'], verdict: `不能添加：${AHEAD('学习回执')}`, refused: true },
  },
  {
    name: `receipt of an assignment not made here, captioned ${ALARM}`,
    url: (now) => R(now, { assignment: 'fake0001', title: ALARM }),
    receipt: { shows: [FOREIGN(ALARM, 'fake0001')], verdict: '这是 王五 这项任务的第一份回执。', refused: false, added: '已添加 王五 的回执' },
    async inspect(page) {
      const foreign = page.getByRole('region', { name: '不是本机布置的任务的回执' });
      await expect(foreign.getByRole('heading', { name: '任务编号 fake0001' })).toBeVisible();
      await expect(foreign.locator('q')).toHaveText(ALARM);
      await expect(page.getByRole('heading', { name: ALARM })).toHaveCount(0);
    },
  },
  {
    name: 'receipt whose worker name has a right-to-left override',
    url: (now) => R(now, { worker: '王\u202e五' }),
    refused: { title: '回执链接无法读取', message: MESSAGES.hidden('学员姓名') },
  },
  {
    name: 'receipt whose title has a first-strong isolate (\\u2068)',
    url: (now) => R(now, { title: '三会一课\u2068专题学习' }),
    refused: { title: '回执链接无法读取', message: MESSAGES.hidden('任务标题') },
  },
  {
    name: 'receipt with HTML in the worker name and a script in the title: shown and added as text',
    url: (now) => R(now, { worker: '<img src=x onerror=window.__pwned=1>', title: '<script>window.__pwned=2</script>' }),
    receipt: {
      shows: ['<img src=x onerror=window.__pwned=1>', FOREIGN('<script>window.__pwned=2</script>')],
      verdict: '这是 <img src=x onerror=window.__pwned=1> 这项任务的第一份回执。',
      refused: false,
      added: '已添加 <img src=x onerror=window.__pwned=1> 的回执',
    },
    async inspect(page) {
      const row = page.getByRole('row', { name: /<img src=x onerror=window.__pwned=1>/ });
      await expect(row.getByRole('rowheader')).toHaveText('<img src=x onerror=window.__pwned=1>');
      await noMarkupFromPayload(page);
    },
  },
  {
    name: 'receipt of an item whose id is javascript:alert(1)',
    url: (now) => R(now, { items: [{ item: { kind: 'case', id: 'javascript:alert(1)' }, assigned: true, completedAt: null, quiz: null }] }),
    refused: { title: '回执链接无法读取', message: '学习回执中的内容不合规：学习内容的标识“javascript:alert(1)”无效' },
  },
  {
    name: 'receipt with a quiz score of 255',
    url: (now) =>
      R(now, { items: [{ item: { kind: 'module', id: 'new-secretary-starter' }, assigned: true, completedAt: null, quiz: { best: 255, passed: true } }] }),
    refused: { title: '回执链接无法读取', message: '学习回执中的内容不合规：“module:new-secretary-starter”的自测成绩 255 不在 0 至 100 之间' },
  },
  {
    name: 'receipt with a flag bit no version defines (bit 7)',
    url: (now) => `/trainer#r=${receiptWithFlags(now, 2 | 8 | 128)}`,
    refused: { title: '回执链接无法读取', message: '学习回执的内容无法读取（未知的标记），可能来自不兼容的程序' },
  },
  {
    name: 'receipt of a newer format version (DJR9)',
    url: (now) => `/trainer#r=${frameCode('DJR9', payloadOf(encodeReceipt(receipt(now))))}`,
    refused: { title: '回执链接无法读取', message: MESSAGES.version('学习回执', 9) },
  },
  {
    name: 'receipt code of 5,000 characters',
    url: () => `/trainer#r=DJR1${'A'.repeat(4996)}`,
    refused: { title: '回执链接无法读取', message: TOO_LONG(5000, 4000) },
  },
  {
    name: 'receipt cut short by 10 characters',
    url: (now) => R(now).slice(0, -10),
    refused: { title: '回执链接无法读取', message: MESSAGES.truncated('学习回执') },
  },
  {
    name: 'receipt with a wrong checksum',
    url: (now) => `/trainer#r=${badChecksum(encodeReceipt(receipt(now)))}`,
    refused: { title: '回执链接无法读取', message: MESSAGES.damagedReceipt },
  },
  {
    name: 'an assignment opened as a receipt',
    url: (now) => `/trainer#r=${encodeAssignment(assignment(now))}`,
    refused: { title: '回执链接无法读取', message: MESSAGES.notReceipt },
  },
  {
    name: 'receipt fragment of markup only: #r=<script>…',
    url: () => '/trainer#r="><script>window.__pwned=1</script>',
    refused: { title: '回执链接无法读取', message: MESSAGES.notFound },
  },
];
