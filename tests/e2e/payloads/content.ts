// Hostile markdown: what an editor's pull request could carry. Each body is checked twice:
// (a) `content check` on a copy of content/ with the body in one more item file must report each
//     listed error at its line and column (lines count from the body's first line), or accept the
//     body when `checker` is empty, which is only allowed when it renders harmless;
// (b) with the checker bypassed, the body rendered by the real renderer (examples/render_body.rs,
//     the JSON write_site writes) is served in place of a real item's body, and the item page must
//     show `shows` as text and nothing of the payload may act (the sentinel, dialogs, requests,
//     the DOM checks of payloads.spec.ts, and `inspect` where a case has more to check).
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';

export interface CheckerError {
  /** 1-based line in the body (the spec adds the front matter's lines). */
  line: number;
  column: number;
  message: string;
  field: string;
}

export interface ContentCase {
  name: string;
  kind: 'case' | 'workflow';
  body: string;
  /** Every error `content check` reports for the file; empty: the file is accepted. */
  checker: CheckerError[];
  /** Text the rendered body must show (the payload as inert text, or the text around it). */
  shows: string[];
  /** Console errors this case may cause (an image of the site that does not exist). */
  consoleErrors?: RegExp;
  /** Further checks on the page with the rendered body. */
  inspect?: (page: Page) => Promise<void>;
}

/** The probe's place in the page: the rendered body's containers. */
export const BODY = 'main .prose';

const bodyLinks = (page: Page) =>
  page.locator(BODY).locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

export const CONTENT_CASES: ContentCase[] = [
  {
    name: 'heading attributes: autofocus and an onfocus handler',
    kind: 'case',
    body: '# 背景\n\n正文。\n\n## 做法 {#x onfocus=window.__pwned=1 autofocus tabindex=0}\n\n做法正文。\n',
    checker: [
      { line: 5, column: 7, field: 'body', message: '标题“做法”后的 {…} 中只能写锚点（如 {#zuofa}），不能写“onfocus=window.__pwned=1”、“autofocus”、“tabindex=0”' },
    ],
    shows: ['做法正文。'],
    async inspect(page) {
      const heading = page.locator(BODY).getByRole('heading', { name: '做法' });
      await expect(heading).toHaveAttribute('id', 'x');
      expect(await heading.evaluate((h) => h.getAttributeNames())).toEqual(['id']);
      expect(await page.evaluate(() => document.activeElement?.closest('.prose') ?? null)).toBeNull();
    },
  },
  {
    name: 'heading class {.app-failed}: the loader\'s failure banner borrowed',
    kind: 'case',
    body: '# 背景\n\n## 借用 {.app-failed role=alert}\n\n学习功能没有加载成功\n',
    checker: [
      { line: 3, column: 7, field: 'body', message: '标题“借用”后的 {…} 中只能写锚点（如 {#zuofa}），不能写“.app-failed”、“role=alert”' },
    ],
    shows: ['学习功能没有加载成功'],
    async inspect(page) {
      await expect(page.locator('.app-failed')).toHaveCount(0);
      expect(await page.locator(BODY).getByRole('heading', { name: '借用' }).evaluate((h) => h.getAttributeNames())).toEqual(['id']);
    },
  },
  {
    name: 'heading style with an outside url(): a full-page overlay that calls evil.example',
    kind: 'case',
    body: '# 背景\n\n## 遮罩 {style=position:fixed;inset:0;z-index:9999;background:url(https://evil.example/x.png)}\n\n遮罩正文。\n',
    checker: [
      { line: 3, column: 7, field: 'body', message: '标题“遮罩”后的 {…} 中只能写锚点（如 {#zuofa}），不能写“style=position:fixed;inset:0;z-index:9999;background:url(https://evil.example/x.png)”' },
    ],
    shows: ['遮罩正文。'],
  },
  {
    name: 'reserved id {#main}: a second skip-link target',
    kind: 'case',
    body: '# 背景\n\n## 主要做法 {#main}\n\n正文。\n',
    checker: [{ line: 3, column: 9, field: 'body', message: '锚点“main”是网站页面自身使用的名称，请换一个' }],
    shows: ['主要做法'],
    async inspect(page) {
      await expect(page.locator(BODY).getByRole('heading', { name: '主要做法' })).toHaveAttribute('id', '主要做法');
      expect(await page.evaluate(() => document.getElementById('main')?.tagName)).toBe('MAIN');
    },
  },
  {
    name: 'reserved id {#prerender}: the element the app takes over',
    kind: 'case',
    body: '# 背景\n\n## 预渲染 {#prerender}\n\n### 应用 {#app}\n\n正文。\n',
    checker: [
      { line: 3, column: 8, field: 'body', message: '锚点“prerender”是网站页面自身使用的名称，请换一个' },
      { line: 5, column: 8, field: 'body', message: '锚点“app”是网站页面自身使用的名称，请换一个' },
    ],
    shows: ['预渲染', '应用'],
    async inspect(page) {
      expect(await page.evaluate(() => document.getElementById('prerender'))).toBeNull();
      expect(await page.evaluate(() => document.getElementById('app')?.closest('.prose') ?? null)).toBeNull();
      await expect(page.locator(BODY).getByRole('heading', { name: '预渲染' })).toHaveAttribute('id', '预渲染');
    },
  },
  {
    name: 'raw <script> block',
    kind: 'case',
    body: '# 背景\n\n<script>window.__pwned = 1; alert(1)</script>\n\n正文。\n',
    checker: [{ line: 3, column: 1, field: 'body', message: '正文中不能使用 HTML 标签“<script>window.__pwned = 1; alert(1)</sc”，请改用 Markdown 写法' }],
    shows: ['<script>window.__pwned = 1; alert(1)</script>'],
  },
  {
    name: '<img src=x onerror=…> inline',
    kind: 'case',
    body: '# 背景\n\n请看图<img src=x onerror="window.__pwned=1;alert(1)">。\n',
    checker: [{ line: 3, column: 4, field: 'body', message: '正文中不能使用 HTML 标签“<img src=x onerror="window.__pwned=1;ale”，请改用 Markdown 写法' }],
    shows: ['<img src=x onerror="window.__pwned=1;alert(1)">'],
  },
  {
    name: '<iframe srcdoc> with a script, and an outside src',
    kind: 'case',
    body: '# 背景\n\n<iframe srcdoc="<script>parent.__pwned=1</script>" src="https://evil.example/"></iframe>\n\n正文。\n',
    checker: [{ line: 3, column: 1, field: 'body', message: '正文中不能使用 HTML 标签“<iframe srcdoc="<script>parent.__pwned=1”，请改用 Markdown 写法' }],
    shows: ['<iframe srcdoc="<script>parent.__pwned=1</script>" src="https://evil.example/"></iframe>'],
  },
  {
    name: 'javascript: link',
    kind: 'case',
    body: '# 背景\n\n[点我领取学习积分](javascript:window.__pwned=1)\n',
    checker: [{ line: 3, column: 1, field: 'link', message: '不允许的链接“javascript:window.__pwned=1”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' }],
    shows: ['点我领取学习积分'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'JaVaScRiPt: with a tab written as an entity (java&#x09;script:)',
    kind: 'case',
    body: '# 背景\n\n[登记入口](java&#x09;script:window.__pwned=1) 和 [另一个](JaVaScRiPt:window.__pwned=2)\n',
    checker: [
      { line: 3, column: 1, field: 'link', message: '不允许的链接“java\tscript:window.__pwned=1”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' },
      { line: 3, column: 45, field: 'link', message: '不允许的链接“JaVaScRiPt:window.__pwned=2”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' },
    ],
    shows: ['登记入口', '另一个'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'data:text/html link',
    kind: 'case',
    body: '# 背景\n\n[查看附件](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)\n',
    checker: [{ line: 3, column: 1, field: 'link', message: '不允许的链接“data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' }],
    shows: ['查看附件'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'vbscript: link and a javascript: autolink',
    kind: 'case',
    body: '# 背景\n\n[旧版入口](vbscript:msgbox(1)) <javascript:window.__pwned=1>\n',
    checker: [
      { line: 3, column: 1, field: 'link', message: '不允许的链接“vbscript:msgbox(1)”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' },
      { line: 3, column: 28, field: 'link', message: '不允许的链接“javascript:window.__pwned=1”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' },
    ],
    shows: ['旧版入口', 'javascript:window.__pwned=1'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'javascript: in a reference definition',
    kind: 'case',
    body: '# 背景\n\n请[点这里][入口]报名。\n\n[入口]: javascript:window.__pwned=1 "报名"\n',
    checker: [{ line: 3, column: 2, field: 'link', message: '不允许的链接“javascript:window.__pwned=1”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' }],
    shows: ['请点这里报名。'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'external image (a tracking pixel on evil.example)',
    kind: 'case',
    body: '# 背景\n\n![追踪像素](https://evil.example/x.png)\n',
    checker: [{ line: 3, column: 1, field: 'image', message: '不能使用外部图片“https://evil.example/x.png”（每位读者的手机都会去访问那个网站）：请把图片放进本栏目的 img/ 文件夹' }],
    shows: ['追踪像素'],
    async inspect(page) {
      await expect(page.locator(BODY).locator('img')).toHaveCount(0);
    },
  },
  {
    name: 'protocol-relative link //evil.example, as markdown and as <a>',
    kind: 'case',
    body: '# 背景\n\n[官方通知](//evil.example/login)\n\n<a href="//evil.example/">官方通知二</a>\n',
    checker: [
      { line: 3, column: 1, field: 'link', message: '不允许的链接“//evil.example/login”：只能链接 http(s) 网址、case:id 形式的内容或本文件夹中的文件' },
      { line: 5, column: 1, field: 'body', message: '正文中不能使用 HTML 标签“<a href="//evil.example/">”，请改用 Markdown 写法' },
    ],
    shows: ['官方通知', '<a href="//evil.example/">'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'backslash host /\\evil.example (browsers read it as //)',
    kind: 'case',
    body: '# 背景\n\n[下载](/\\evil.example/a.apk)\n',
    checker: [{ line: 3, column: 1, field: 'link', message: '路径“/\\evil.example/a.apk”指到了本栏目文件夹之外：图片请放进本栏目的 img/ 文件夹并写成 img/文件名（不要以 / 开头，不要含 ../、./ 或 %）；链接其他内容请写成“类型:id”' }],
    shows: ['下载'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual([]);
    },
  },
  {
    name: 'attribute break-outs: a quote in a link title, in another item\'s anchor, in a fragment',
    kind: 'case',
    body: '# 背景\n\n[同一案例](case:panjin-2018#%22onmouseover=window.__pwned=1) [外站](https://www.gov.cn/ "\\" onmouseover=\\"window.__pwned=2") [本页](#"onmouseover="window.__pwned=3)\n',
    checker: [
      { line: 3, column: 1, field: 'link', message: '“content/cases/panjin-2018.md”中没有标题锚点“%22onmouseover=window.__pwned=1”；可用的锚点：背景与问题、街道大部制改革、街道机构整合、社区两委两中心、四级党建中心、大工委与大党委、社区工作者职业化、社工编制、薪酬待遇、考核与使用、经费与阵地保障、经费与放权' },
      { line: 3, column: 120, field: 'link', message: '本页没有标题锚点“"onmouseover="window.__pwned=3”' },
    ],
    shows: ['同一案例 外站 本页'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual(['/cases/panjin-2018#%22onmouseover=window.__pwned=1', 'https://www.gov.cn/', '#%22onmouseover=%22window.__pwned=3']);
      const links = page.locator(BODY).getByRole('link');
      for (const name of ['同一案例', '外站', '本页']) await links.filter({ hasText: name }).hover();
      await expect(links.filter({ hasText: '外站' })).toHaveAttribute('title', '" onmouseover="window.__pwned=2');
      // The links on this site are followed (the other site's is not: that is a request away).
      await links.filter({ hasText: '本页' }).click();
      await expect(page).toHaveURL(/#%22onmouseover=%22window\.__pwned=3$/);
      await links.filter({ hasText: '同一案例' }).click();
      await expect(page).toHaveURL(/\/cases\/panjin-2018#%22onmouseover=window\.__pwned=1$/);
      await expect(page.getByRole('heading', { level: 1 }).first()).toContainText('盘锦');
    },
  },
  {
    name: 'email autolink: accepted, a plain mailto: link',
    kind: 'case',
    body: '# 背景\n\n联系邮箱：<dangjian@example.org>\n',
    checker: [],
    shows: ['联系邮箱：dangjian@example.org'],
    async inspect(page) {
      expect(await bodyLinks(page)).toEqual(['mailto:dangjian@example.org']);
    },
  },
  {
    name: 'footnote id collisions: a heading fn-1, a label defined twice',
    kind: 'case',
    body: '# 背景\n\n## fn-1\n\n正文[^1]，再引一次[^1]，另一个[^fn-1]。\n\n[^1]: 第一个脚注。\n[^1]: 同名的第二个脚注。\n[^fn-1]: 名字像锚点的脚注。\n',
    checker: [],
    shows: ['第一个脚注。', '同名的第二个脚注。', '名字像锚点的脚注。'],
    async inspect(page) {
      await expect(page.locator(BODY).getByRole('heading', { name: 'fn-1' })).toHaveAttribute('id', 'h-fn-1');
    },
  },
  {
    name: 'a heading whose text is a reserved id (Main, Prerender): accepted, escaped',
    kind: 'case',
    body: '# 背景\n\n## Main\n\n## Prerender\n\n## step-1\n\n正文。\n',
    checker: [],
    shows: ['Main', 'Prerender', 'step-1'],
    async inspect(page) {
      const ids = await page.locator(`${BODY} h2`).evaluateAll((hs) => hs.map((h) => h.id));
      expect(ids).toEqual(['h-main', 'h-prerender', 'h-step-1']);
      expect(await page.evaluate(() => document.getElementById('main')?.tagName)).toBe('MAIN');
    },
  },
  {
    name: 'HTML inside a table',
    kind: 'case',
    body: '# 背景\n\n| 项目 | 说明 |\n| --- | --- |\n| <b onmouseover="window.__pwned=1">悬停</b> | <img src=x onerror=alert(1)> |\n',
    checker: [
      { line: 5, column: 3, field: 'body', message: '正文中不能使用 HTML 标签“<b onmouseover="window.__pwned=1">”，请改用 Markdown 写法' },
      { line: 5, column: 46, field: 'body', message: '正文中不能使用 HTML 标签“<img src=x onerror=alert(1)>”，请改用 Markdown 写法' },
    ],
    shows: ['<b onmouseover="window.__pwned=1">', '悬停', '<img src=x onerror=alert(1)>'],
    async inspect(page) {
      const table = page.locator(BODY).getByRole('table');
      await expect(table).toBeVisible();
      await table.getByText('悬停').hover();
    },
  },
  {
    name: 'inline SVG with onload and a script',
    kind: 'case',
    body: '# 背景\n\n<svg onload="window.__pwned=1"><script>alert(1)</script></svg>\n\n正文。\n',
    checker: [
      { line: 3, column: 1, field: 'body', message: '正文中不能使用 HTML 标签“<svg onload="window.__pwned=1">”，请改用 Markdown 写法' },
      { line: 3, column: 32, field: 'body', message: '正文中不能使用 HTML 标签“<script>”，请改用 Markdown 写法' },
    ],
    shows: ['<svg onload="window.__pwned=1"><script>alert(1)</script></svg>'],
  },
  {
    name: 'an image title that tries to break out of its attribute',
    kind: 'case',
    body: '# 背景\n\n![示意图](img/a.png "x\\" onerror=\\"window.__pwned=1")\n',
    checker: [{ line: 3, column: 1, field: 'image', message: '图片“img/a.png”不存在（路径相对于本文件所在文件夹）' }],
    shows: [],
    // The image of the item's own folder is requested from the site, and is not there.
    consoleErrors: /Failed to load resource.*404/,
    async inspect(page) {
      const img = page.locator(BODY).locator('img');
      await expect(img).toHaveCount(1);
      expect(await img.evaluate((i) => i.getAttributeNames().sort())).toEqual(['alt', 'src', 'title']);
      await expect(img).toHaveAttribute('title', 'x" onerror="window.__pwned=1');
      await expect(img).toHaveAttribute('src', '/content/cases/img/a.png');
    },
  },
  {
    name: 'HTML written as entities: accepted, shown as text',
    kind: 'case',
    body: '# 背景\n\n&lt;img src=x onerror=window.__pwned=1&gt; 和 &#60;script&#62;alert(1)&#60;/script&#62;\n',
    checker: [],
    shows: ['<img src=x onerror=window.__pwned=1> 和 <script>alert(1)</script>'],
  },
  {
    name: '3,000 nested block quotes: a deep tree for the renderer and the page',
    kind: 'case',
    body: `# 背景\n\n${'>'.repeat(3000)} 深处的正文\n`,
    checker: [],
    shows: ['深处的正文'],
  },
  {
    name: 'a workflow step: reserved anchor {#step-1}, an img in 责任人, a script in its description',
    kind: 'workflow',
    body: '引言。\n\n## 准备 {#step-1}\n- 责任人：<img src=x onerror=window.__pwned=1>\n\n说明<script>window.__pwned=2</script>。\n\n## 归档\n- 责任人：组织委员\n\n归档。\n',
    // `<img src=x onerror=window.__pwned=1>` is not an HTML tag to CommonMark (an unquoted
    // attribute value may not contain `=`), so it is text, and the checker lets it be: it is
    // shown as text wherever it lands.
    checker: [
      { line: 3, column: 7, field: 'body', message: '锚点“step-1”是网站页面自身使用的名称，请换一个' },
      { line: 6, column: 3, field: 'body', message: '正文中不能使用 HTML 标签“<script>”，请改用 Markdown 写法' },
    ],
    shows: ['说明<script>window.__pwned=2</script>。', '归档。'],
    async inspect(page) {
      const steps = page.locator('ol.steps > li');
      await expect(steps).toHaveCount(2);
      await expect(steps.first()).toHaveAttribute('id', '准备');
      await expect(steps.first().locator('dd').first()).toHaveText('<img src=x onerror=window.__pwned=1>');
      await expect(page.locator('#step-1')).toHaveAttribute('type', 'checkbox');
      await expect(page.locator('ol.steps img')).toHaveCount(0);
    },
  },
];
