// Starts the WASM app: Trunk.toml's `pattern_script` imports the app's JS and calls start(). Plain
// JS, so it works before the app and when the app cannot start. On a weak network the readable
// (prerendered) page is there long before the WASM; this script keeps the reader informed:
// - while the download takes longer than SLOW_MS, a thin bar moves along the top of the page;
// - when the app cannot run, a banner says why (failureKind) and the page stays readable: the
//   connection dropped, the server answered an error or nothing arrived for STALL_MS (网络不稳定,
//   重新加载 tries again); the browser cannot run WebAssembly at all or the page's security
//   policy stops it, as in WebViews too old for 'wasm-unsafe-eval' (浏览器版本过旧, nothing to
//   retry); or the app itself failed while starting (a program error, not the network);
// - when the app fails after it started (a Rust panic: src/main.rs's hook calls portalPanic; or
//   any WebAssembly trap, which is how a panic ends in the release build), 出错了 and 重新加载;
// - once the app has started, `TrunkApplicationStarted` is dispatched, as Trunk's own script does.

const SLOW_MS = 1000;
const STALL_MS = 30000;

/** What the reader is told, by kind of failure; `reload` says whether 重新加载 can help. */
export const FAILURES = {
  network: {
    text: '网络不稳定，搜索、打勾、自测等学习功能没有加载成功。本页内容仍可阅读。',
    reload: true,
  },
  browser: {
    text: '浏览器版本过旧，无法运行搜索、打勾、自测等学习功能。本页内容仍可阅读；请把微信或浏览器升级到最新版本后再打开。',
    reload: false,
  },
  startup: {
    text: '学习功能启动时出错（不是网络问题）。本页内容仍可阅读，可以重新加载再试。',
    reload: true,
  },
  crashed: {
    text: '出错了，搜索、打勾、自测等学习功能已停止工作。本页内容仍可阅读，请重新加载。',
    reload: true,
  },
};

/** 'loading' until the app's start (its Rust `main`) has returned, then 'started'. */
let phase = 'loading';
/** The app panicked while starting: its start then fails, but not because of the network. */
let panickedWhileStarting = false;
/** The page's security policy refused to compile WebAssembly (seen as a violation report). */
let wasmRefused = false;

/**
 * Which failure the reader is told about. `error` is what stopped the start (or null after it);
 * `panicked` whether the app's panic hook ran while starting; `refused` whether the browser
 * reported that the page's policy blocked WebAssembly.
 */
export function failureKind({ error, panicked = false, refused = false, started = false }) {
  if (started) return 'crashed';
  if (panicked) return 'startup';
  if (typeof WebAssembly !== 'object' || refused) return 'browser';
  if (error instanceof WebAssembly.RuntimeError) return 'startup';
  const name = (error && error.name) || '';
  const message = String((error && error.message) || '');
  // Chromium: "CompileError: ... Refused to compile or instantiate WebAssembly module because
  // 'unsafe-eval' is not an allowed source of script"; Safari: an EvalError.
  if (name === 'EvalError' || /unsafe-eval|wasm-eval|Content Security Policy/i.test(message)) {
    return 'browser';
  }
  return 'network';
}

/**
 * Tells the reader the app failed. The app's panic hook (src/main.rs) calls it as
 * `portalPanic()`: while the app starts, the start then fails and says it was not the network;
 * after the start, the banner appears at once.
 */
export function portalPanic() {
  if (phase === 'started') {
    showFailure('crashed');
  } else {
    panickedWhileStarting = true;
  }
}
globalThis.portalPanic = portalPanic;

/** A WebAssembly trap after the start: a panic ends in one (panic = "abort"), and so does
 * running out of memory, which calls no hook. */
function onTrap(error) {
  if (phase === 'started' && typeof WebAssembly === 'object' && error instanceof WebAssembly.RuntimeError) {
    showFailure('crashed');
  }
}
addEventListener('error', (event) => onTrap(event.error));
addEventListener('unhandledrejection', (event) => onTrap(event.reason));
document.addEventListener('securitypolicyviolation', (event) => {
  if (event.blockedURI === 'wasm-eval' || event.blockedURI === 'eval') wasmRefused = true;
});

/** Whether this browser may compile WebAssembly on this page: the smallest valid module (8
 * bytes), compiled before the app's 1.5 MB are downloaded for nothing. A WebView that does not
 * know 'wasm-unsafe-eval' refuses it under the page's policy. */
function wasmAllowed() {
  if (typeof WebAssembly !== 'object') return false;
  try {
    new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    return true;
  } catch (error) {
    console.warn('WebAssembly 不可用：', error);
    return false;
  }
}

export async function start(init, bindings, wasmUrl) {
  if (!wasmAllowed()) {
    showFailure('browser');
    return;
  }
  const abort = new AbortController();
  let stall = 0;
  // Re-armed on every piece of the download; a connection that goes quiet is given up on.
  const alive = () => {
    clearTimeout(stall);
    stall = setTimeout(() => abort.abort(), STALL_MS);
  };
  let bar = null;
  const slow = setTimeout(() => {
    bar = document.createElement('div');
    bar.className = 'app-loading';
    bar.setAttribute('aria-hidden', 'true');
    document.body.appendChild(bar);
  }, SLOW_MS);
  try {
    alive();
    const response = await fetch(wasmUrl, { signal: abort.signal });
    if (!response.ok) throw new Error(`服务器返回 ${response.status}`);
    let source = response;
    if (response.body && typeof TransformStream === 'function') {
      // The same bytes, watched as they arrive; an error in the download reaches init().
      const watched = response.body.pipeThrough(
        new TransformStream({
          transform(chunk, controller) {
            alive();
            controller.enqueue(chunk);
          },
          flush() {
            clearTimeout(stall);
          },
        }),
      );
      source = new Response(watched, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    const wasm = await init({ module_or_path: source });
    phase = 'started';
    window.wasmBindings = bindings;
    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
  } catch (error) {
    console.error('学习功能加载失败：', error);
    showFailure(failureKind({ error, panicked: panickedWhileStarting, refused: wasmRefused }));
  } finally {
    clearTimeout(slow);
    clearTimeout(stall);
    if (bar) bar.remove();
  }
}

/** The banner at the bottom of the page (style/sw.css); the first failure's stays. */
function showFailure(kind) {
  if (document.querySelector('.app-failed')) return;
  const failure = FAILURES[kind] || FAILURES.network;
  const banner = document.createElement('div');
  banner.className = 'app-failed';
  banner.setAttribute('role', 'alert');
  banner.dataset.failure = kind;
  document.body.appendChild(banner);
  document.documentElement.classList.add('sw-update-shown');
  // Filled after the live region is in the document, so screen readers announce it.
  setTimeout(() => {
    const text = document.createElement('span');
    text.className = 'sw-update__text';
    text.textContent = failure.text;
    banner.append(text);
    if (failure.reload) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sw-update__button';
      button.textContent = '重新加载';
      button.addEventListener('click', () => location.reload());
      banner.append(button);
    }
  }, 50);
}
