import { test, expect, Page } from './fixtures';
import { MODULE, moduleSpec, completeItem, passQuiz } from './learner';
import { appStarted } from './pages';

// The pages' Content-Security-Policy (issue 14). Every page carries a strict policy in a meta tag
// (src/site/prerender/csp.rs); these tests show that it breaks nothing the portal does (not one
// violation on any page type or in the main flows) and that it stops script injected into the
// page, reporting it.

/** Records every CSP violation of the page (and of pages it navigates to) in `__violations`,
 * from before the page's first byte is parsed. */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as any).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`);
    });
  });
  // Violations the page's own listener could miss (a navigation right after one) reach the console.
  const logged: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/.test(msg.text())) logged.push(msg.text());
  });
  return {
    async none() {
      expect(await page.evaluate(() => (window as any).__violations as string[])).toEqual([]);
      expect(logged).toEqual([]);
    },
    async list(): Promise<string[]> {
      return page.evaluate(() => (window as any).__violations as string[]);
    },
  };
}

/** The policy the page carries in its meta tag. */
function policyOf(page: Page): Promise<string | null> {
  return page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
}

const PAGES: [string, string | RegExp][] = [
  ['/', '智慧党建学习平台'],
  ['/cases', '他山之石'],
  ['/workflows', '规范工作'],
  ['/communities', '身边典型'],
  ['/modules', '学习模块'],
  ['/cases/panjin-2018', /盘锦/],
  ['/workflows/sanhui-yike', /三会一课/],
  ['/communities/sample-hongfeng', /红枫/],
  [`/modules/${MODULE}`, /新任社区党组织书记/],
  ['/communities/compare?ids=sample-hongfeng', '社区数据对比'],
  ['/search?q=%E7%BD%91%E6%A0%BC', '搜索'],
  ['/record', '学习档案'],
  ['/tasks', '我的任务'],
  ['/assignment', '学习任务'],
  ['/trainer', '培训管理'],
  ['/no/such/page', '页面不存在'],
];

test('every page type carries the strict policy and runs without a single violation', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await recordViolations(page);
  for (const [path, heading] of PAGES) {
    await page.goto(path);
    await appStarted(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    const policy = await policyOf(page);
    expect(policy, path).toMatch(/^default-src 'none'; script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/]{43}=')+; /);
    for (const d of ["style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "manifest-src 'self'", "worker-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
      expect(policy!.split('; '), `${path}: ${d}`).toContain(d);
    }
    expect(await page.locator('meta[name="referrer"]').getAttribute('content')).toBe('strict-origin-when-cross-origin');
    await violations.none();
  }
});

test('the main flows run without a violation: search, a step, a quiz, an assignment, a receipt, display settings, read aloud', async ({ page }) => {
  test.setTimeout(120_000);
  const violations = await recordViolations(page);

  // Search from the header.
  await page.goto('/');
  await appStarted(page);
  await page.getByRole('searchbox', { name: '搜索内容' }).fill('社工编制');
  await expect(page.getByRole('list', { name: '搜索结果' }).getByRole('listitem').first()).toBeVisible();
  await violations.none();

  // Display settings.
  await page.getByText('显示设置').click();
  await page.getByLabel('深色').check();
  await page.getByLabel('特大（150%）').check();
  await violations.none();

  // Read aloud, where the browser can speak (Chromium has speechSynthesis; no voice is needed
  // for the click to go through the app).
  await page.goto('/cases/panjin-2018');
  await appStarted(page);
  const readAloud = page.getByRole('button', { name: '朗读全文' });
  if (await readAloud.isVisible()) {
    await readAloud.click();
    await violations.none();
  }

  // A trainer makes an assignment link; the learner accepts it, does the work and makes a receipt.
  await page.goto('/trainer');
  await page.getByLabel('任务名称').fill('安全策略检查');
  await page.getByLabel('布置人').fill('某街道党建中心');
  await page.getByRole('checkbox', { name: /^模块 新任社区党组织书记/ }).check();
  await page.getByRole('button', { name: '生成任务链接' }).click();
  const link = await page.getByLabel('任务链接').inputValue();
  await expect(page.getByRole('img', { name: '二维码' }).locator('svg')).toBeVisible();
  await violations.none();
  await page.goto(link);
  await page.getByRole('button', { name: '接受任务' }).click();
  await expect(page).toHaveURL(/\/tasks$/);
  await violations.none();

  // Tick steps, read the items, answer the quiz.
  for (const ref of moduleSpec().items) await completeItem(page, ref);
  await violations.none();
  await page.goto(`/modules/${MODULE}`);
  await passQuiz(page);
  await violations.none();

  await page.goto('/tasks');
  await page.getByRole('button', { name: '生成完成回执' }).click();
  await page.getByLabel('你的姓名（回执上显示）').fill('李晓梅');
  await page.getByLabel('你的姓名（回执上显示）').blur();
  const receipt = await page.getByLabel('回执链接（发给布置任务的同志）').inputValue();
  expect(receipt).toMatch(/\/trainer#r=DJR1/);
  await page.goto('/trainer');
  await page.getByLabel('粘贴回执（可一次粘贴多条）').fill(receipt);
  await page.getByRole('button', { name: '添加粘贴的回执' }).click();
  await expect(page.getByText(/已添加 李晓梅/)).toBeVisible();
  await violations.none();
});

test('markup injected into the page cannot run script, and each attempt is reported', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/Content Security Policy|Refused to|Failed to load resource|404/);
  const violations = await recordViolations(page);
  await page.goto('/cases/panjin-2018');
  await appStarted(page);
  await page.evaluate(() => {
    (window as any).__ran = [];
    const article = document.querySelector('main .prose')!;
    // An inline event handler, as a rendering bug could let through from content or a link.
    article.insertAdjacentHTML('beforeend', '<img src="/no-such-image.png" onerror="window.__ran.push(\'onerror\')">');
    // An inline script element, added the way a script would be (innerHTML never runs scripts).
    const script = document.createElement('script');
    script.textContent = "window.__ran.push('inline script')";
    document.body.appendChild(script);
    // A javascript: URL followed.
    const a = document.createElement('a');
    a.href = "javascript:window.__ran.push('javascript url')";
    document.body.appendChild(a);
    a.click();
    // A script from another origin.
    const remote = document.createElement('script');
    remote.src = 'https://example.org/x.js';
    document.body.appendChild(remote);
  });
  // The violations are reported asynchronously; wait until all four are in.
  await expect.poll(async () => (await violations.list()).length).toBeGreaterThanOrEqual(4);
  expect(await page.evaluate(() => (window as any).__ran)).toEqual([]);
  const seen = (await violations.list()).join('\n');
  expect(seen).toMatch(/script-src-attr blocked inline/);
  expect(seen).toMatch(/script-src-elem blocked inline/);
  expect(seen).toMatch(/script-src-elem blocked https:\/\/example\.org\/x\.js/);
  // Nor may script build code from strings: the policy has no 'unsafe-eval'. (DevTools'
  // own evaluation, which these tests use, is exempt, so that is read from the policy.)
  expect(await policyOf(page)).not.toContain("'unsafe-eval'");
  // The page itself still works.
  await expect(page.getByRole('button', { name: '朗读全文' })).toBeEnabled();
});

test('sent as a header as well (docs/deploy.md), the same policy starts the app without a violation, and no other site can frame the portal', async ({ page, baseURL, allowConsoleErrors }) => {
  allowConsoleErrors(/frame-ancestors|Refused to (display|frame)/);
  const violations = await recordViolations(page);
  // What nginx adds with the lines `content headers` prints: the page's own policy plus
  // frame-ancestors, which only a header can carry.
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    const html = await response.text();
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(policy, route.request().url()).toBeTruthy();
    await route.fulfill({
      response,
      body: html,
      headers: { ...response.headers(), 'content-security-policy': `${policy}; frame-ancestors 'none'` },
    });
  });
  await page.goto('/cases/panjin-2018');
  await appStarted(page);
  await expect(page.getByRole('button', { name: '朗读全文' })).toBeEnabled();
  await violations.none();

  // Another page (not of the portal's origin, with no policy of its own) tries to show the
  // portal in a frame.
  await page.goto('about:blank');
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.appendChild(frame);
  }, `${baseURL}/cases/panjin-2018`);
  await expect
    .poll(() => page.frames().find((f) => f !== page.mainFrame())?.url() ?? '')
    .toMatch(/^chrome-error:/);
});
