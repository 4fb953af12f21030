// Registers the service worker (sw.js, written by the content tool) and offers a new version.
// Plain JS, not the WASM app: it works even while the WASM loads or when it fails. Where service
// workers are unavailable it does nothing and the portal works online as before.
//
// A new deploy changes sw.js; the browser installs the new worker next to the running one, and it
// waits. This script then shows "新版本可用" with a "点击刷新" button; the click tells the waiting
// worker to take over, and the page reloads once under it.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  var sw = navigator.serviceWorker;
  var registration = null;
  // A page that was not controlled gets a controller on the first install (clients.claim): no
  // reload is needed then. Any later change of controller means new files: reload once.
  var controlled = !!sw.controller;
  var reloading = false;

  sw.addEventListener('controllerchange', function () {
    if (!controlled) {
      controlled = true;
      return;
    }
    if (reloading) return;
    reloading = true;
    location.reload();
  });

  function showBanner() {
    if (document.querySelector('.sw-update')) return;
    var banner = document.createElement('div');
    banner.className = 'sw-update';
    banner.setAttribute('role', 'status');
    document.body.appendChild(banner);
    document.documentElement.classList.add('sw-update-shown');
    // Filled after the live region is in the document, so screen readers announce it.
    setTimeout(function () {
      var text = document.createElement('span');
      text.className = 'sw-update__text';
      text.textContent = '新版本可用';
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sw-update__button';
      button.textContent = '点击刷新';
      button.addEventListener('click', function () {
        var waiting = registration && registration.waiting;
        if (waiting) {
          waiting.postMessage({ type: 'SKIP_WAITING' });
        } else {
          location.reload();
        }
      });
      banner.appendChild(text);
      banner.appendChild(button);
    }, 50);
  }

  function offerWhenInstalled(worker) {
    worker.addEventListener('statechange', function () {
      if (worker.state === 'installed' && sw.controller) showBanner();
    });
  }

  function watch(reg) {
    registration = reg;
    if (reg.waiting && sw.controller) showBanner();
    if (reg.installing) offerWhenInstalled(reg.installing);
    reg.addEventListener('updatefound', function () {
      if (reg.installing) offerWhenInstalled(reg.installing);
    });
  }

  function checkForUpdate() {
    // Offline or the server unreachable: try again on the next visit.
    if (registration) registration.update().catch(function () {});
  }

  window.addEventListener('load', function () {
    sw.register('/sw.js')
      .then(function (reg) {
        watch(reg);
        checkForUpdate();
      })
      .catch(function (error) {
        // Offline with no worker yet, or sw.js missing: the portal still works online.
        console.warn('离线功能不可用：', error);
      });
  });

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') checkForUpdate();
  });
})();
