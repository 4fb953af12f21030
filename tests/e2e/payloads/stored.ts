// Hostile or damaged data already in localStorage when the app starts: the learning record
// (dangjian.record), the trainer's roster (dangjian.trainer) and the accepted tasks
// (dangjian.tasks). Nothing may be deleted without a copy kept, and the page says what happened
// in the app's own words: storage.rs (load), progress_store.rs, assignments.rs (load_roster, the
// task list), ReadOnly and FormatError (src/progress/storage_format.rs), RosterError, TasksError
// and DecodeError (src/assign).
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';
import { encodeAssignment } from '../codes';
import { MESSAGES, Y9999, assignment } from './links';

export interface StoredCase {
  name: string;
  /** localStorage before the app starts, key → value. */
  storage(now: number): Record<string, string>;
  /** The page opened. */
  path: string;
  /** The alerts the page shows (text of each role=alert, exact or a pattern), in any order. */
  alerts: (string | RegExp)[];
  /** The stored keys that must still hold exactly what was stored (never deleted or rewritten). */
  untouched: string[];
  /** Stored keys whose value must be kept under a backup key (`<key>.backup.…`) once read. */
  backedUp: string[];
  inspect?: (page: Page, now: number) => Promise<void>;
  /** A bug this case shows: the test is marked to fail (test.fail) until it is fixed. */
  bug?: string;
}

const RECORD = 'dangjian.record';
const ROSTER = 'dangjian.trainer';
const TASKS = 'dangjian.tasks';

const record = (events: unknown[], schema = 2) => JSON.stringify({ schema, format: 'portal-learning-record', learner: 'stored-device', events });
const NEWER_MESSAGE = '这份学习记录来自更新版本的平台（格式版本 3），本页只读显示；请刷新或更新后再修改。新的学习进度不会保存，以免覆盖这份记录';

export const STORED_CASES: StoredCase[] = [
  {
    name: 'a record of a newer schema (3) with an event this version does not know',
    storage: (now) => ({
      [RECORD]: record(
        [
          { id: 'n-1', at: now - 60_000, type: 'read', item: 'case:panjin-2018' },
          { id: 'n-2', at: now - 50_000, type: 'hologram', payload: '<script>window.__pwned=1</script>' },
        ],
        3,
      ),
    }),
    path: '/record',
    // The shell's alert (the record is not saved) and the page's own 只读显示 note say it.
    alerts: [NEWER_MESSAGE],
    untouched: [RECORD],
    backedUp: [],
    async inspect(page) {
      await expect(page.getByRole('status').filter({ hasText: '只读显示' })).toContainText(NEWER_MESSAGE);
      await expect(page.getByLabel('导入学习记录文件')).toBeDisabled();
      // Acting does not write over it, and says so.
      await page.goto('/workflows/sanhui-yike');
      await page.locator('ol.steps input[type="checkbox"]').first().click();
      await expect(page.getByRole('alert').filter({ hasText: '这次的学习进度没有保存' })).toHaveText(`这次的学习进度没有保存：${NEWER_MESSAGE}`);
    },
  },
  {
    name: 'a record that is markup, not JSON',
    storage: () => ({ [RECORD]: '<script>window.__pwned=1</script><img src=x onerror=alert(1)>' }),
    path: '/record',
    alerts: [/^本机保存的学习记录无法读取（这不是学习记录文件：内容不是 JSON 格式）。原始数据已另存为备份，可在“学习档案”页下载；现在从空白记录开始。$/],
    untouched: [],
    backedUp: [RECORD],
    async inspect(page) {
      await expect(page.locator('li.backup').filter({ hasText: '学习记录备份' })).toHaveCount(1);
    },
  },
  {
    name: 'a roster whose assignments are markup instead of a list',
    storage: () => ({ [ROSTER]: '{"version":1,"assignments":"<img src=x onerror=window.__pwned=1>","receipts":[]}' }),
    path: '/trainer',
    alerts: [/^本机保存的回执表无法读取（培训记录无法读取：invalid type: string "<img src=x onerror=window\.__pwned=1>", expected a sequence at line 1 column \d+），原始数据已另存为 dangjian\.trainer\.backup\.\S+$/],
    untouched: [ROSTER],
    backedUp: [ROSTER],
  },
  {
    name: 'a roster of a newer version (2)',
    storage: () => ({ [ROSTER]: '{"version":2,"assignments":[],"receipts":[],"groups":{"x":"<script>"}}' }),
    path: '/trainer',
    alerts: [/^本机保存的回执表无法读取（培训记录是第 2 版格式，本应用只能读取第 1 版：请刷新页面，更新到最新版本），原始数据已另存为 dangjian\.trainer\.backup\.\S+$/],
    untouched: [ROSTER],
    backedUp: [ROSTER],
  },
  {
    name: 'a roster with one good assignment and one damaged code',
    storage: (now) => ({ [ROSTER]: JSON.stringify({ version: 1, assignments: ['DJA1<svg/onload=window.__pwned=1>', encodeAssignment(assignment(now))], receipts: [] }) }),
    path: '/trainer',
    alerts: [/^本机保存的培训记录中有 1 条未载入（培训记录中的第 1 份学习任务无法读取：学习任务的代码中有不该出现的字符，可能复制时混入了别的文字或被改动：请重新复制完整的链接），原始数据已另存为 dangjian\.trainer\.backup\.\S+$/],
    untouched: [ROSTER],
    backedUp: [ROSTER],
    async inspect(page) {
      await expect(page.getByRole('heading', { level: 3, name: /^三会一课专题学习（截止 / })).toBeVisible();
    },
  },
  {
    name: 'a task list that is not JSON',
    storage: () => ({ [TASKS]: '[not json <script>window.__pwned=1</script>' }),
    path: '/tasks',
    alerts: [/^本机保存的任务列表无法读取：expected ident at line 1 column 3，原始数据已另存为 dangjian\.tasks\.backup\.\S+$/],
    untouched: [TASKS],
    backedUp: [TASKS],
  },
  {
    name: 'a task list with a newer version\'s code and markup beside a good task',
    storage: (now) => ({ [TASKS]: JSON.stringify(['DJA2AAAA', '<img src=x onerror=window.__pwned=1>', encodeAssignment(assignment(now))]) }),
    path: '/tasks',
    alerts: [`有 2 项已接受的任务本页无法显示（${MESSAGES.version('学习任务', 2)}），已原样保留，不会删除`],
    untouched: [TASKS],
    backedUp: [],
    async inspect(page) {
      await expect(page.getByRole('article', { name: '三会一课专题学习' })).toBeVisible();
    },
  },
  {
    name: 'a record with a display name dated 9999-12-31 and one with a right-to-left override',
    storage: (now) => ({
      [RECORD]: record([
        { id: 'f-1', at: Y9999, type: 'display_name_set', name: '钉住' },
        { id: 'b-1', at: now - 60_000, type: 'display_name_set', name: '\u202e敏赵' },
        { id: 'r-1', at: now - 50_000, type: 'read', item: 'case:panjin-2018' },
      ]),
    }),
    path: '/record',
    alerts: ['本机学习记录中有 1 条记录无法读取，已跳过；原始数据已另存为备份，可在“学习档案”页下载。'],
    untouched: [],
    backedUp: [RECORD],
    async inspect(page) {
      // The dated name is this device's own record; a name set now still takes effect.
      const name = page.getByLabel('姓名');
      await expect(name).toHaveValue('钉住');
      await name.fill('李四');
      await name.press('Tab');
      await page.reload();
      await expect(name).toHaveValue('李四');
    },
  },
  {
    name: 'a record whose display name is markup',
    storage: (now) => ({
      [RECORD]: record([{ id: 'h-1', at: now - 60_000, type: 'display_name_set', name: '<img src=x onerror=window.__pwned=1>' }]),
    }),
    path: '/record',
    alerts: [],
    untouched: [],
    backedUp: [],
    async inspect(page) {
      await expect(page.locator('.record-name')).toHaveText('学员：<img src=x onerror=window.__pwned=1>');
      await expect(page.locator('main img')).toHaveCount(0);
    },
  },
  {
    name: 'display preferences out of range: text size 65535 %, a theme and a contrast of markup',
    storage: () => ({
      'dangjian.pref.text-size': '65535',
      'dangjian.pref.theme': '"><img src=x onerror=window.__pwned=1>',
      'dangjian.pref.contrast': '<script>window.__pwned=2</script>',
    }),
    path: '/cases/panjin-2018',
    alerts: [],
    untouched: ['dangjian.pref.text-size', 'dangjian.pref.theme', 'dangjian.pref.contrast'],
    backedUp: [],
    async inspect(page) {
      // The values are attribute values, never markup; a size the settings do not offer is the
      // standard size (65535 % once made every page blank, with 显示设置 off the screen).
      const root = await page.evaluate(() => ({
        theme: document.documentElement.getAttribute('data-theme'),
        contrast: document.documentElement.getAttribute('data-contrast'),
        style: document.documentElement.getAttribute('style'),
      }));
      expect(root).toEqual({ theme: '"><img src=x onerror=window.__pwned=1>', contrast: 'normal', style: '--text-scale: 1' });
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('img[src="x"]')).toHaveCount(0);
    },
  },
];
