// Registers the service worker (sw.js, written by the content tool) and offers a new version.
// Plain JS, not the WASM app: it works even while the WASM loads or when it fails. Where service
// workers are unavailable it does nothing and the portal works online as before.
//
// Pages open at once from the worker's cache; every page load then asks the server for a new
// sw.js in the background. A new deploy changes sw.js; the browser installs the new worker next
// to the running one, and it waits. This script then shows "新版本可用" with a "点击刷新" button;
// the click tells the waiting worker to take over, and the page reloads once under it.
//
// Nothing fails in silence:
// - an update check that fails (offline, server down) or a new version whose install fails (a
//   file of the shell could not be downloaded) is tried again after RETRY_MS; when the last try
//   fails too, a quiet note says the page runs on the saved version, and the next visit tries
//   again;
// - a new version installed without some content files (the worker fetches them later) says so;
// - the kill switch: when /sw.js answers 404 or 410, the site has retired its worker; this script
//   unregisters it, deletes its caches and reloads the page once from the network
//   (docs/deploy.md).
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  var sw = navigator.serviceWorker;
  var registration = null;
  // A page that was not controlled gets a controller on the first install (clients.claim): no
  // reload is needed then. Any later change of controller means new files: reload once.
  var controlled = !!sw.controller;
  var reloading = false;
  // Pauses before the tries after a failure, at most this many for one page load.
  var RETRY_MS = [3000, 9000, 27000];
  var retries = 0;
  var retryTimer = 0;
  var CACHE_PREFIX = 'dangjian-';

  var NOTES = {
    check: '暂时无法检查新版本（网络不稳定），正在使用本机保存的版本；下次打开时会再检查。',
    install: '新版本没有下载成功，正在使用本机保存的版本；下次打开时会再试。',
    incomplete: function (n) {
      return '有 ' + n + ' 个内容文件没有下载成功，离线时可能打不开；联网时会自动补齐。';
    },
  };

  sw.addEventListener('controllerchange', function () {
    if (!controlled) {
      controlled = true;
      return;
    }
    if (reloading) return;
    reloading = true;
    location.reload();
  });

  /** The banner element, filled after it is in the document so screen readers announce it. */
  function banner(className, fill) {
    var el = document.createElement('div');
    el.className = className;
    el.setAttribute('role', 'status');
    document.body.appendChild(el);
    document.documentElement.classList.add('sw-update-shown');
    setTimeout(function () {
      fill(el);
    }, 50);
    return el;
  }

  function text(className, words) {
    var span = document.createElement('span');
    span.className = className;
    span.textContent = words;
    return span;
  }

  function button(label, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'sw-update__button';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  // The latest quiet note's words, kept under 新版本可用 when that banner takes the note's place.
  var note = '';

  /** 新版本可用 · 点击刷新; it takes the place of a quiet note and keeps the note's words. */
  function showBanner() {
    var shown = document.querySelector('.sw-update');
    if (shown && !shown.classList.contains('sw-update--quiet')) return;
    if (shown) shown.remove();
    banner('sw-update', function (el) {
      el.appendChild(text('sw-update__text', '新版本可用'));
      el.appendChild(
        button('点击刷新', function () {
          var waiting = registration && registration.waiting;
          if (waiting) {
            waiting.postMessage({ type: 'SKIP_WAITING' });
          } else {
            location.reload();
          }
        }),
      );
      if (note) el.appendChild(text('sw-update__note', note));
    });
  }

  /** A quiet note in the banner's place (知道了 closes it), or a line under 新版本可用. */
  function showNote(words) {
    note = words;
    var shown = document.querySelector('.sw-update');
    if (shown) {
      // A banner being filled picks the note up itself; a quiet note already says something.
      var filled = shown.querySelector('.sw-update__button');
      if (filled && !shown.classList.contains('sw-update--quiet') && !shown.querySelector('.sw-update__note')) {
        shown.appendChild(text('sw-update__note', words));
      }
      return;
    }
    banner('sw-update sw-update--quiet', function (el) {
      el.appendChild(text('sw-update__text', words));
      el.appendChild(
        button('知道了', function () {
          el.remove();
          if (!document.querySelector('.sw-update, .app-failed')) {
            document.documentElement.classList.remove('sw-update-shown');
          }
        }),
      );
    });
  }

  /** Tries again after a pause, or, once the tries are used up, says what failed. */
  function retry(kind, error) {
    console.warn('新版本检查或下载失败：', error);
    clearTimeout(retryTimer);
    // Known to be offline: nothing failed that a note could help with; the 'online' event
    // checks again.
    if (navigator.onLine === false) return;
    if (retries < RETRY_MS.length) {
      retryTimer = setTimeout(checkForUpdate, RETRY_MS[retries]);
      retries += 1;
    } else {
      showNote(NOTES[kind]);
    }
  }

  function deleteCaches() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) {
            return name.indexOf(CACHE_PREFIX) === 0;
          })
          .map(function (name) {
            return caches.delete(name);
          }),
      );
    });
  }

  /**
   * The kill switch: resolves true when the server says the worker is retired (sw.js answers
   * 404 or 410, not merely unreachable); then the worker is unregistered, its caches deleted and
   * a controlled page reloaded once, from the network.
   */
  function retireIfGone() {
    if (navigator.onLine === false) return Promise.resolve(false);
    return fetch('/sw.js', { cache: 'no-store' }).then(
      function (response) {
        if (response.status !== 404 && response.status !== 410) return false;
        console.warn('服务器已停用离线功能（sw.js ' + response.status + '），正在移除。');
        return Promise.all([registration ? registration.unregister() : true, deleteCaches()]).then(
          function () {
            if (sw.controller && !reloading) {
              reloading = true;
              location.reload();
            }
            return true;
          },
        );
      },
      function () {
        return false;
      },
    );
  }

  function watchInstall(worker) {
    var installed = false;
    worker.addEventListener('statechange', function () {
      if (worker.state === 'installed') {
        installed = true;
        if (sw.controller) showBanner();
      } else if (worker.state === 'redundant' && !installed) {
        // The install failed: a file the worker cannot do without did not download.
        retry('install', new Error('新版本安装失败'));
      }
    });
  }

  function watch(reg) {
    registration = reg;
    if (reg.waiting && sw.controller) showBanner();
    if (reg.installing) watchInstall(reg.installing);
    reg.addEventListener('updatefound', function () {
      if (reg.installing) watchInstall(reg.installing);
    });
  }

  function checkForUpdate() {
    // Known to be offline: there is nothing to check and every request would fail (the 'online'
    // event checks again).
    if (!registration || navigator.onLine === false) return;
    registration.update().catch(function (error) {
      retireIfGone().then(function (retired) {
        if (!retired) retry('check', error);
      });
    });
  }

  sw.addEventListener('message', function (event) {
    var data = event.data || {};
    if (data.type === 'PRECACHE_INCOMPLETE' && data.missing > 0) {
      showNote(NOTES.incomplete(data.missing));
    }
  });

  window.addEventListener('load', function () {
    sw.register('/sw.js')
      .then(function (reg) {
        watch(reg);
        checkForUpdate();
      })
      .catch(function (error) {
        // Offline with no worker yet, or sw.js missing: the portal still works online. A
        // retired worker's caches may outlive it; they go too.
        console.warn('离线功能不可用：', error);
        retireIfGone();
      });
  });

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') checkForUpdate();
  });
  window.addEventListener('online', checkForUpdate);
})();
