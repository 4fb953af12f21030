// Hostile files given to 学习档案's 导入学习记录文件. The expected texts are the app's own:
// record.rs (the size check before reading, the alert 导入失败，本机记录未改变 and the preview
// dialog 导入预览), ImportError (src/progress/import.rs), FormatError (storage_format.rs) and
// ImportPreview::summary / refusal.
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';
import { Y9999 } from './links';

export interface ImportFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export interface ImportCase {
  name: string;
  /** Steps before the import (what the learner did on this device); its result goes to `file`. */
  prepare?: (page: Page) => Promise<string[]>;
  file(now: number, prepared: string[]): ImportFile;
  /** Refused: the message under 导入失败，本机记录未改变. */
  error?: string;
  /** Previewed: the refusal line (if any), the summary, and the button the dialog offers;
   * `confirmed` is the status after 确认合并. */
  preview?: { refusal?: string; summary: string; button: '确认合并' | '关闭'; confirmed?: string };
  inspect?: (page: Page) => Promise<void>;
  /** A bug this case shows: the test is marked to fail (test.fail) until it is fixed. */
  bug?: string;
}

const json = (name: string, value: unknown): ImportFile => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value), 'utf8') });
const text = (name: string, body: string, mimeType = 'application/json'): ImportFile => ({ name, mimeType, buffer: Buffer.from(body, 'utf8') });
const record = (events: unknown[], schema: unknown = 2) => ({ schema, format: 'portal-learning-record', events });
const read = (id: string, at: number, item = 'case:panjin-2018') => ({ id, at, type: 'read', item });

const CORRUPT = '{"schema":2,"format":"portal-learning-record","events":[}]}';
const SAME_ID_SUMMARY =
  '文件中有 1 条学习记录，没有新的记录。1 条记录与本设备的记录编号相同但内容不同，不导入，本设备的记录保持不变。';

export const IMPORT_CASES: ImportCase[] = [
  {
    name: 'an empty file',
    file: () => text('空.json', ''),
    error: '文件是空的',
  },
  {
    name: 'invalid JSON: a closing brace where an event should be',
    file: () => text('坏.json', CORRUPT),
    error: `学习记录已损坏：第 1 行第 ${CORRUPT.indexOf('[}') + 2} 列无法读取`,
  },
  {
    name: 'JSON cut off in the middle of an event',
    file: () => text('截断.json', '{"schema":2,"format":"portal-learning-record","events":[{"id":"a","at":'),
    error: '学习记录不完整（文件可能被截断），请重新导出后再试',
  },
  {
    name: 'a 6 MB file (refused before it is read)',
    file: () => ({ name: '巨大.json', mimeType: 'application/json', buffer: Buffer.alloc(6 * 1024 * 1024, 0x20) }),
    error: '文件过大（6.0 MB），学习记录文件不会超过 5 MB，请确认选对了文件',
  },
  {
    name: 'every event dated 9999-12-31, one of them a display name to pin',
    file: () =>
      json('未来.json', record([
        { id: 'evil-1', at: Y9999, type: 'display_name_set', name: '钉住' },
        read('evil-2', Y9999),
      ])),
    preview: {
      refusal: '有 2 条记录的日期比本机时间晚一天以上（最晚为 9999-12-31），可能来自时钟有误的设备或被改动的文件，已拒绝导入。',
      summary: '有 2 条记录的日期比本机时间晚一天以上（最晚为 9999-12-31），可能来自时钟有误的设备或被改动的文件，已拒绝导入。文件中没有其他可导入的学习记录，导入不会改变任何内容。',
      button: '关闭',
    },
  },
  {
    name: 'a record of a newer schema (3)',
    file: (now) => json('新版.json', record([read('n-1', now - 60_000)], 3)),
    error: '这份学习记录来自更新版本的平台（格式版本 3，本页面只支持到 2），请刷新页面更新后再试',
  },
  {
    name: 'a display name with a right-to-left override, beside a good event',
    file: (now) =>
      json('反向.json', record([
        { id: 'b-1', at: now - 60_000, type: 'display_name_set', name: '\u202e敏赵' },
        read('b-2', now - 50_000),
      ])),
    preview: {
      summary: '文件中有 1 条学习记录，其中 1 条是新的。1 项内容的学习状态会改变。1 条记录无法读取，将被跳过。',
      button: '确认合并',
    },
    async inspect(page) {
      await expect(page.getByRole('dialog', { name: '导入预览' })).not.toContainText('显示名称');
    },
  },
  {
    name: 'HTML in the display name and in event ids: merged, shown as text',
    file: (now) =>
      json('标记.json', record([
        { id: '<script>window.__pwned=1</script>', at: now - 60_000, type: 'display_name_set', name: '<img src=x onerror=window.__pwned=2>' },
        read('<img src=x onerror=window.__pwned=3>', now - 50_000),
      ])),
    preview: {
      summary: '文件中有 2 条学习记录，其中 2 条是新的。1 项内容的学习状态会改变。显示名称将变为“<img src=x onerror=window.__pwned=2>”。',
      button: '确认合并',
      confirmed: '已导入：文件中有 2 条学习记录，其中 2 条是新的。1 项内容的学习状态会改变。显示名称将变为“<img src=x onerror=window.__pwned=2>”。',
    },
    async inspect(page) {
      await expect(page.getByLabel('姓名')).toHaveValue('<img src=x onerror=window.__pwned=2>');
      await expect(page.locator('.record-name')).toHaveText('学员：<img src=x onerror=window.__pwned=2>');
      await expect(page.locator('main img, main script')).toHaveCount(0);
    },
  },
  {
    name: 'wrong types: the schema as a string',
    file: () => text('类型.json', '{"schema":"2","format":"portal-learning-record","events":[]}'),
    error: '不支持的学习记录格式版本："2"',
  },
  {
    name: 'wrong types inside an event (a number id, a text date, a number item)',
    file: () => text('事件类型.json', '{"schema":2,"format":"portal-learning-record","events":[{"id":7,"at":"昨天","type":"read","item":42}]}'),
    // Nothing is imported and nothing changes. (The summary does not say that one record was
    // unreadable: ImportPreview::summary mentions skipped records only when some were read.)
    preview: { summary: '文件中没有学习记录。', button: '关闭' },
  },
  {
    name: '100,000 nested arrays',
    file: () => text('嵌套.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    error: '学习记录已损坏：第 1 行第 128 列无法读取',
  },
  {
    name: 'a good record with a UTF-8 byte order mark',
    file: (now) => ({ name: 'bom.json', mimeType: 'application/json', buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(record([read('u-1', now - 60_000)])))]) }),
    preview: { summary: '文件中有 1 条学习记录，其中 1 条是新的。1 项内容的学习状态会改变。', button: '确认合并', confirmed: '已导入：文件中有 1 条学习记录，其中 1 条是新的。1 项内容的学习状态会改变。' },
  },
  {
    name: 'the same record saved as UTF-16 with a byte order mark',
    file: (now) => ({ name: 'utf16.json', mimeType: 'application/json', buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(record([read('u-1', now - 60_000)])), 'utf16le')]) }),
    error: '这不是学习记录文件：内容不是文本',
  },
  {
    name: 'a PNG image renamed .json',
    file: () => ({ name: '图片.json', mimeType: 'application/json', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]) }),
    error: '这不是学习记录文件：内容不是文本',
  },
  {
    name: 'an HTML page with a script',
    file: () => text('页面.json', '<!doctype html><script>window.__pwned=1</script><img src=x onerror=alert(1)>', 'text/html'),
    error: '这不是学习记录文件：内容不是 JSON 格式',
  },
  {
    name: 'an xAPI statements file',
    file: () => json('xapi.json', [{ id: '1', actor: { name: 'x' }, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { id: 'https://evil.example/' } }]),
    error: '这是 xAPI 语句文件，供单位的学习记录系统（LRS）使用，不能导入本平台；请选择“导出学习记录（JSON）”得到的文件',
  },
  {
    name: 'an event that takes the id of one of this device\'s own events, dated later',
    async prepare(page) {
      await page.goto('/cases/panjin-2018');
      await page.locator('#app .read-marker').scrollIntoViewIfNeeded();
      await expect(page.getByRole('status').filter({ hasText: '已读完' })).toBeVisible();
      const events = await page.evaluate(() => JSON.parse(localStorage.getItem('dangjian.record')!).events as { id: string; type: string }[]);
      await page.goto('/record');
      await expect(page.getByRole('region', { name: '学习概况' }).getByRole('definition').first()).toHaveText('1 篇');
      return [events.find((e) => e.type === 'read')!.id];
    },
    file: (now, [id]) => json('同号.json', record([{ id, at: now + 60_000, type: 'display_name_set', name: '钉住' }])),
    preview: {
      summary: SAME_ID_SUMMARY,
      button: '关闭',
    },
    async inspect(page) {
      // The learner's own reading of the case is still on record: the file could not replace it
      // (it once did, on 确认合并: Progress::insert kept the later of two events with one id).
      const totals = page.getByRole('region', { name: '学习概况' });
      await expect(totals.getByRole('definition').first()).toHaveText('1 篇');
    },
  },
  {
    name: 'a 4.8 MB record of 40,000 events on items this site does not have (just under the limit)',
    file(now) {
      const events = Array.from({ length: 40_000 }, (_, n) => ({ id: `big-${n}`, at: now - 3_600_000 + n, type: 'read', item: `case:bulk-item-${String(n).padStart(6, '0')}-${'x'.repeat(40)}` }));
      const file = json('大量.json', record(events));
      expect(file.buffer.length).toBeLessThan(5 * 1024 * 1024);
      expect(file.buffer.length).toBeGreaterThan(4.5 * 1024 * 1024);
      return file;
    },
    preview: {
      summary: '文件中有 40000 条学习记录，其中 40000 条是新的。40000 项内容的学习状态会改变。40000 项内容在本设备上没有，相关记录会保留。',
      button: '确认合并',
      confirmed: '已导入：文件中有 40000 条学习记录，其中 40000 条是新的。40000 项内容的学习状态会改变。40000 项内容在本设备上没有，相关记录会保留。',
    },
    async inspect(page) {
      // Merged and saved: no alert, and the stored record holds the 40,000 events.
      await expect(page.getByRole('alert')).toHaveCount(0);
      expect(await page.evaluate(() => JSON.parse(localStorage.getItem('dangjian.record')!).events.length)).toBe(40_000);
    },
  },
  {
    name: '300,000 events that are not events (a file made to fill the memory with messages)',
    file: () => text('垃圾.json', `{"schema":2,"format":"portal-learning-record","events":[${Array(300_000).fill('{}').join(',')}]}`),
    preview: { summary: '文件中没有学习记录。', button: '关闭' },
  },
];
