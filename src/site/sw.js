// The service worker's logic. The content tool (src/site/offline.rs) writes `sw.js` into the
// build as a header that defines VERSION, COMPLETE, PRECACHE, REQUIRED and APART, followed by
// this file.
//
// - install: fetch every precache URL into the cache `dangjian-<VERSION>`, each tried up to
//   ATTEMPTS times with a growing pause. A REQUIRED file (the shell) that still fails fails the
//   install: the worker in charge keeps serving, and the page (sw-register.js) retries the update
//   and says so. Any other file that fails is left out, the open pages are told
//   ({type: 'PRECACHE_INCOMPLETE'}), and the worker fetches it on later navigations (topUp): one
//   missing file never holds a reader on the old version.
// - activate: delete the other `dangjian-*` caches and take control of open pages.
// - fetch (GET, same origin): precached files from the cache first; a navigation gets its route's
//   own index.html, else the app shell, at once from the cache (the page then checks for a new
//   version in the background); anything else from the network, kept for offline use. The pages
//   of other bundles (APART: the trainer's) are not precached and come from the network first.
// - The new worker waits until the page posts {type: 'SKIP_WAITING'} (the 点击刷新 button in
//   sw-register.js), so a page never runs old code against new files.
// - Retiring the worker is the page's job: when /sw.js answers 404 or 410, sw-register.js
//   unregisters it, deletes these caches and reloads from the network (docs/deploy.md).
'use strict';

const CACHE_PREFIX = 'dangjian-';
const CACHE = CACHE_PREFIX + VERSION;
const SHELL = new URL('/index.html', self.location.origin).href;
const PRECACHED = new Set(PRECACHE.map((path) => new URL(path, self.location.origin).href));
// Trunk names the JS, WASM and CSS after a hash of their contents: whatever the HTTP cache holds
// under such a name is current. Every other file is revalidated with the server. The hash is a u64
// written in hex without leading zeros, so it has up to 16 digits (15 in one build of 16); fewer
// than 12 is a chance of one in 65,536 and is then merely revalidated.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

// A redirected response cannot answer a navigation; store a copy that is not marked redirected.
async function storable(response) {
  if (!response.redirected) return response;
  const body = await response.blob();
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Tries for each file of the precache before giving up on it; pauses of 1 s, then 3 s. */
const ATTEMPTS = 3;
const PAUSE_MS = 1000;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Fetches one precache file into `cache`, tried up to ATTEMPTS times. */
async function fetchInto(cache, path) {
  const request = new Request(path, { cache: HASHED.test(path) ? 'default' : 'no-cache' });
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(request);
      if (!response.ok) throw new Error(`precache ${path}: HTTP ${response.status}`);
      await cache.put(path, await storable(response));
      return;
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await sleep(PAUSE_MS * 3 ** (attempt - 1));
    }
  }
}

/** Tells every open page of the site. */
async function tell(message) {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) page.postMessage(message);
}

const REQUIRED_SET = new Set(REQUIRED);

/** Fetches the files of `paths`; returns those that failed. Throws if a required one failed. */
async function fill(cache, paths) {
  const results = await Promise.allSettled(paths.map((path) => fetchInto(cache, path)));
  const failed = paths.filter((_, i) => results[i].status === 'rejected');
  const required = failed.filter((path) => REQUIRED_SET.has(path));
  if (required.length) {
    const first = results[paths.indexOf(required[0])].reason;
    throw new Error(`${required.length} required file(s) failed, first ${required[0]}: ${first}`);
  }
  return failed;
}

// The precache files an install left out, kept in the cache under this key (no page requests
// it), so that a worker started later still knows what to fetch (topUp).
const MISSING = new URL('/.precache-missing', self.location.origin).href;

async function precache() {
  const cache = await caches.open(CACHE);
  let missing;
  try {
    missing = await fill(cache, PRECACHE);
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
  if (missing.length) {
    console.warn(`precache: ${missing.length} file(s) left for later`, missing);
    await cache.put(MISSING, new Response(JSON.stringify(missing)));
    await tell({ type: 'PRECACHE_INCOMPLETE', version: VERSION, missing: missing.length });
  }
}

/** Fetches the files the install left out, if any: on a navigation, in the background (one
 * cache lookup when nothing is missing), at most once every TOP_UP_MS. */
const TOP_UP_MS = 60 * 1000;
let lastTopUp = 0;
async function topUp() {
  const now = Date.now();
  if (now - lastTopUp < TOP_UP_MS) return;
  lastTopUp = now;
  const cache = await caches.open(CACHE);
  const note = await cache.match(MISSING);
  if (!note) return;
  const missing = await note.json();
  const results = await Promise.allSettled(missing.map((path) => fetchInto(cache, path)));
  const still = missing.filter((_, i) => results[i].status === 'rejected');
  if (still.length) {
    await cache.put(MISSING, new Response(JSON.stringify(still)));
  } else {
    await cache.delete(MISSING);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'SKIP_WAITING') {
    self.skipWaiting();
  } else if (data.type === 'GET_VERSION' && event.ports[0]) {
    event.ports[0].postMessage(VERSION);
  }
});

// `/cases/x`, `/cases/x/` → `/cases/x/index.html`; `/` → `/index.html`; a file path stays.
function routePage(url) {
  const path = url.pathname;
  if (path.endsWith('/')) return new URL(path + 'index.html', url.origin).href;
  if (path.slice(path.lastIndexOf('/') + 1).includes('.')) return new URL(path, url.origin).href;
  return new URL(path + '/index.html', url.origin).href;
}

async function keep(cache, key, response) {
  if (response.ok && response.type === 'basic') {
    try {
      await cache.put(key, response.clone());
    } catch (_) {
      // Storage full or refused: the page still gets the response.
    }
  }
  return response;
}

// The routes of other bundles (the trainer's page, APART): not precached, since readers never
// open them. Their pages come from the network first and are kept for offline use; their JS and
// WASM are kept the same way by the fetch handler below.
function isApart(url) {
  return APART.some((route) => url.pathname === route || url.pathname.startsWith(route + '/'));
}

async function navigate(request, url) {
  const cache = await caches.open(CACHE);
  const key = routePage(url);
  if (isApart(url)) {
    try {
      return await keep(cache, key, await storable(await fetch(request)));
    } catch (error) {
      // Offline: the page as last opened, else the shell, whose app says that this page must
      // be opened once online.
      return (await cache.match(key)) || (await cache.match(SHELL)) || Promise.reject(error);
    }
  }
  const page = await cache.match(key);
  if (page) return page;
  if (!COMPLETE) {
    // Route pages were left out of the precache to stay within the budget: fetch the page,
    // keep it for offline use, and fall back to the shell when the network fails.
    try {
      return await keep(cache, key, await storable(await fetch(request)));
    } catch (_) {
      // Offline: the shell below renders the route in the browser.
    }
  }
  // Every route page is precached, so this address has none of its own (an unknown path): the
  // shell renders it in the browser (the app's not-found page).
  return (await cache.match(SHELL)) || fetch(request);
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || keep(cache, request, await fetch(request));
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    return await keep(cache, request, await fetch(request));
  } catch (error) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request, url));
    event.waitUntil(topUp().catch(() => {}));
  } else if (PRECACHED.has(url.href)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});
