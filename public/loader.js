// Starts the WASM app: Trunk.toml's `pattern_script` imports the app's JS and calls start(). Plain
// JS, so it works before the app and when the app cannot start. On a weak network the readable
// (prerendered) page is there long before the WASM; this script keeps the reader informed:
// - while the download takes longer than SLOW_MS, a thin bar moves along the top of the page;
// - when it fails (the connection drops, the server answers an error, nothing arrives for
//   STALL_MS, or the browser cannot run WebAssembly), a banner says so, the page stays readable,
//   and 重新加载 tries again;
// - once the app has started, `TrunkApplicationStarted` is dispatched, as Trunk's own script does.

const SLOW_MS = 1000;
const STALL_MS = 30000;

export async function start(init, bindings, wasmUrl) {
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
    if (typeof WebAssembly !== 'object') throw new Error('这个浏览器不支持 WebAssembly');
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
    window.wasmBindings = bindings;
    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
  } catch (error) {
    console.error('学习功能加载失败：', error);
    showFailure();
  } finally {
    clearTimeout(slow);
    clearTimeout(stall);
    if (bar) bar.remove();
  }
}

function showFailure() {
  if (document.querySelector('.app-failed')) return;
  const banner = document.createElement('div');
  banner.className = 'app-failed';
  banner.setAttribute('role', 'alert');
  document.body.appendChild(banner);
  document.documentElement.classList.add('sw-update-shown');
  // Filled after the live region is in the document, so screen readers announce it.
  setTimeout(() => {
    const text = document.createElement('span');
    text.className = 'sw-update__text';
    text.textContent = '网络不稳定，搜索、打勾、自测等学习功能没有加载成功。本页内容仍可阅读。';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sw-update__button';
    button.textContent = '重新加载';
    button.addEventListener('click', () => location.reload());
    banner.append(text, button);
  }, 50);
}
