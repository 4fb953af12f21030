import { test, expect, Page } from './fixtures';
import { ItemPage, appStarted, expectAccessibleInBothThemes } from './pages';

// The page shell when the app cannot run or stops (issue 14): public/loader.js tells the reader
// the real cause, and the page stays readable. The app's panic hook (src/main.rs) calls the
// loader's `portalPanic`; a production build has no way to make the app panic on purpose, so these
// tests call that same function where the hook would, and raise a real WebAssembly trap (what a
// panic ends in under panic = "abort") to check the loader's second net.

const ARTICLE = '社工编制';

function failure(page: Page) {
  return page.locator('.app-failed');
}

test('the loader picks the message by cause: network, old browser, start-up error, crash', async ({ page }) => {
  await page.goto('/record');
  await appStarted(page);
  const kinds = await page.evaluate(async () => {
    const { failureKind, FAILURES } = await import('/loader.js');
    const csp = new WebAssembly.CompileError(
      "WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive",
    );
    const kinds = {
      dropped: failureKind({ error: new TypeError('Failed to fetch') }),
      status: failureKind({ error: new Error('服务器返回 503') }),
      truncated: failureKind({ error: new WebAssembly.CompileError('expected 4 bytes, fell off end') }),
      csp: failureKind({ error: csp }),
      safari: failureKind({ error: new EvalError('Refused to create a WebAssembly object') }),
      refused: failureKind({ error: new TypeError('x'), refused: true }),
      trap: failureKind({ error: new WebAssembly.RuntimeError('unreachable') }),
      panicked: failureKind({ error: new TypeError('Failed to fetch'), panicked: true }),
      started: failureKind({ error: null, started: true }),
    };
    return { kinds, texts: Object.fromEntries(Object.entries(FAILURES).map(([k, v]: [string, any]) => [k, v.text])) };
  });
  expect(kinds.kinds).toEqual({
    dropped: 'network',
    status: 'network',
    truncated: 'network',
    csp: 'browser',
    safari: 'browser',
    refused: 'browser',
    trap: 'startup',
    panicked: 'startup',
    started: 'crashed',
  });
  expect(kinds.texts.network).toMatch(/^网络不稳定/);
  expect(kinds.texts.browser).toMatch(/^浏览器版本过旧/);
  expect(kinds.texts.startup).not.toMatch(/网络不稳定/);
  expect(kinds.texts.startup).toMatch(/不是网络问题/);
  expect(kinds.texts.crashed).toMatch(/^出错了/);
});

test('a browser without WebAssembly keeps the page and is told it is too old, not that the network failed', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/WebAssembly/);
  await page.addInitScript(() => {
    delete (window as any).WebAssembly;
  });
  const item = new ItemPage(page);
  await item.goto('/cases/panjin-2018');
  const banner = failure(page);
  await expect(banner).toContainText('浏览器版本过旧');
  await expect(banner).not.toContainText('网络不稳定');
  await expect(banner).toHaveAttribute('role', 'alert');
  // Reloading cannot help here.
  await expect(banner.getByRole('button')).toHaveCount(0);
  await expect(item.body()).toContainText(ARTICLE);
  await expect(page.locator('#prerender')).toBeVisible();
  await expectAccessibleInBothThemes(page, '.app-failed');
  expect(await page.evaluate(() => (window as any).wasmBindings)).toBeUndefined();
});

test('a WebView that does not know wasm-unsafe-eval (the policy refuses WebAssembly) is told its browser is too old', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/Content Security Policy|WebAssembly|wasm-unsafe-eval|unsafe-eval/);
  // The same page under the policy as such a WebView applies it: the unknown source ignored.
  await page.route('**/cases/panjin-2018', async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    const policy = / 'wasm-unsafe-eval'/;
    expect(html).toMatch(policy);
    await route.fulfill({ response, body: html.replace(policy, '') });
  });
  const item = new ItemPage(page);
  await item.goto('/cases/panjin-2018');
  await expect(failure(page)).toContainText('浏览器版本过旧');
  await expect(item.body()).toContainText(ARTICLE);
});

test('a panic after the start shows 出错了 with 重新加载 and keeps the page readable', async ({ page }) => {
  const item = new ItemPage(page);
  await item.goto('/cases/panjin-2018');
  await appStarted(page);
  await expect(failure(page)).toHaveCount(0);
  // What the panic hook calls.
  await page.evaluate(() => (window as any).portalPanic());
  const banner = page.getByRole('alert').filter({ hasText: '出错了' });
  await expect(banner).toBeVisible();
  await expect(banner).not.toContainText('网络不稳定');
  await expect(item.body()).toContainText(ARTICLE);
  await expect(item.heading()).toContainText('盘锦');
  const reload = banner.getByRole('button', { name: '重新加载' });
  expect((await reload.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expectAccessibleInBothThemes(page, '.app-failed');
  await reload.click();
  await appStarted(page);
  await expect(failure(page)).toHaveCount(0);
});

test('a WebAssembly trap after the start (how a panic ends, or running out of memory) shows 出错了 too', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/unreachable|RuntimeError/);
  await page.goto('/cases/panjin-2018');
  await appStarted(page);
  await page.evaluate(() => {
    // (module (func (export "f") unreachable)): a real trap, uncaught, as from an event handler.
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
    ]);
    const f = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f as () => void;
    setTimeout(f);
  });
  await expect(page.getByRole('alert').filter({ hasText: '出错了' })).toBeVisible();
});

test('a panic while the app starts is told apart from a network failure', async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(/学习功能加载失败|Failed to load resource|net::ERR/);
  let release!: () => void;
  const held = new Promise<void>((done) => (release = done));
  await page.route('**/*_bg.wasm', async (route) => {
    await held;
    await route.abort('connectionreset');
  });
  await new ItemPage(page).goto('/cases/panjin-2018');
  // The hook runs while the start is under way; the start then fails.
  await page.waitForFunction(() => typeof (window as any).portalPanic === 'function');
  await page.evaluate(() => (window as any).portalPanic());
  release();
  const banner = failure(page);
  await expect(banner).toContainText('启动时出错');
  await expect(banner).not.toContainText('网络不稳定');
  await expect(banner.getByRole('button', { name: '重新加载' })).toBeVisible();
});
