// One measured visit in Chromium: the slow profile, the in-page probes and what they yield.
//
// The probes are installed with addInitScript, so they run before any of the page's own scripts:
// - first contentful paint: the `paint` PerformanceObserver entry;
// - heading visible: an <h1> whose text contains the page's title has been painted in the
//   viewport (Element Timing: a MutationObserver marks every <h1> with `elementtiming` as it
//   enters the DOM, before it can be painted); failing that, the first animation frame after
//   which such an <h1> has a box and is not hidden (checkVisibility with opacity and visibility);
// - long tasks (`longtask` PerformanceObserver), the load event, the page's requests (Resource
//   Timing), and Trunk's `TrunkApplicationStarted` event (dispatched once the WASM's main has run,
//   i.e. the Leptos app has mounted and its event handlers are attached).
// Transferred bytes are the sum of `encodedDataLength` of CDP Network.loadingFinished for the
// page's requests (headers included; 0 for a response taken from the HTTP cache).

/** The slow profile of issue 7: slow 4G as Chromium emulates it, CPU slowed four times. */
export const PROFILE = {
  network: { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 },
  cpuRate: 4,
};

/** A phone-sized window (the workers read on phones). */
export const VIEWPORT = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const QUIET_MS = 2000; // the quiet window of the interactive time
const HEADING_GIVE_UP_MS = 30_000; // a heading not seen by then is reported missing

/** Installed in every page before its own scripts; `title` is the heading text to wait for. */
function probes(title) {
  const norm = (s) => (s ?? '').replace(/\s+/g, '');
  const want = norm(title);
  const b = {
    fcp: null, headingPaint: null, headingFrame: null, load: null, appStarted: null,
    longTasks: [], frames: [], controlled: false,
  };
  window.__loadBench = b;
  const observe = (type, each) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(each)).observe({ type, buffered: true });
    } catch {
      // An entry type this browser lacks leaves its figure empty.
    }
  };
  observe('paint', (e) => { if (e.name === 'first-contentful-paint') b.fcp = e.startTime; });
  observe('longtask', (e) => { b.longTasks.push([e.startTime, e.startTime + e.duration]); });
  // Long animation frames name the scripts that held the main thread: kept for results.json only.
  observe('long-animation-frame', (e) => {
    b.frames.push({
      start: Math.round(e.startTime), duration: Math.round(e.duration),
      scripts: e.scripts.map((x) => ({
        invoker: x.invoker, source: x.sourceURL.replace(location.origin, ''), duration: Math.round(x.duration),
      })),
    });
  });
  const visible = () => {
    for (const h of document.getElementsByTagName('h1')) {
      if (!norm(h.textContent).includes(want)) continue;
      const r = h.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && h.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
        return true;
      }
    }
    return false;
  };
  // With Element Timing the paint itself is the evidence: an entry whose intersectionRect has an
  // area was painted in the viewport, and opacity-0 text is not reported as painted. The probe
  // reads no layout then, so it never makes the page lay out early. Without Element Timing, or
  // when the heading was painted with other text or no area, it is watched frame by frame
  // (checked in a task queued from each frame, after that frame's layout) until it shows.
  let watching = false;
  const watch = () => {
    if (watching) return;
    watching = true;
    const frame = (time) => {
      setTimeout(() => {
        if (visible()) b.headingFrame = time;
        else requestAnimationFrame(frame);
      }, 0);
    };
    requestAnimationFrame(frame);
  };
  observe('element', (e) => {
    if (b.headingPaint !== null || e.identifier !== 'load-bench-h1') return;
    const area = e.intersectionRect.width * e.intersectionRect.height;
    if (area > 0 && norm(e.element?.textContent).includes(want)) {
      b.headingPaint = e.renderTime || e.startTime;
      b.headingFrame = b.headingPaint;
    } else {
      watch();
    }
  });
  new MutationObserver(() => {
    for (const h of document.getElementsByTagName('h1')) {
      if (!h.hasAttribute('elementtiming')) h.setAttribute('elementtiming', 'load-bench-h1');
    }
  }).observe(document, { childList: true, subtree: true });
  addEventListener('load', () => { b.load = performance.now(); });
  addEventListener('TrunkApplicationStarted', () => { b.appStarted = performance.now(); });
  b.controlled = !!(navigator.serviceWorker && navigator.serviceWorker.controller);
  // Without Element Timing, watch from the start.
  if (!PerformanceObserver.supportedEntryTypes?.includes('element')) watch();
}

/** What the probes hold now, with the page's finished requests as [start, end] pairs. */
function readProbes() {
  const b = window.__loadBench;
  if (!b) return null;
  const requests = performance.getEntriesByType('resource').map((r) => [r.startTime, r.responseEnd]);
  const heading = b.headingFrame === null ? null : Math.max(b.headingFrame, b.headingPaint ?? 0);
  return { ...b, heading, requests, now: performance.now() };
}

/** Installs the probes in every page of `context`. */
export async function prepareContext(context, title) {
  await context.addInitScript(probes, title);
}

/**
 * Interactive time, after Lighthouse's but with a 2 s window: from the load event on, find the
 * first 2 s with no long task and no request of the page in flight; the interactive time is the
 * end of the last long task before that window, or the load event if no long task ends after it.
 * (Requests count because a WASM app is not interactive while its module is still downloading,
 * though nothing busies the main thread meanwhile.)
 */
export function interactiveTime(load, longTasks, requests) {
  const spans = [
    ...longTasks.map(([start, end]) => ({ start, end, task: true })),
    ...requests.map(([start, end]) => ({ start, end, task: false })),
  ].sort((a, b) => a.start - b.start);
  let quietFrom = load;
  let interactive = load;
  for (const { start, end, task } of spans) {
    if (end <= quietFrom) continue;
    if (start - quietFrom >= QUIET_MS) break;
    quietFrom = end;
    if (task) interactive = Math.max(interactive, end);
  }
  return interactive;
}

/**
 * Opens `url` in a new tab of `context` on the slow profile and waits until the heading is
 * visible (or given up) and the page has had 2 s without long tasks or requests after its load
 * event.
 * Returns times in ms from navigation start, bytes and requests, or `{ error }`.
 * With `waitForWorker`, a service worker the page registered is given time to activate
 * before the tab closes, so the repeat visit sees it the way a returning reader would.
 */
export async function visit(context, url, { timeoutMs = 60_000, waitForWorker = false } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  let bytes = 0;
  let requests = 0;
  const inFlight = new Set();
  cdp.on('Network.requestWillBeSent', (e) => inFlight.add(e.requestId));
  cdp.on('Network.loadingFailed', (e) => inFlight.delete(e.requestId));
  cdp.on('Network.loadingFinished', (e) => {
    inFlight.delete(e.requestId);
    bytes += e.encodedDataLength;
    requests += 1;
  });
  try {
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.send('Network.emulateNetworkConditions', PROFILE.network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuRate });
    const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    if (!response || response.status() >= 400) {
      return { error: `HTTP ${response ? response.status() : 'no response'} for ${url}` };
    }
    // Done once the heading is seen (or given up on) and the page has had 2 s with no long
    // task and no request in flight since its load event.
    const deadline = Date.now() + timeoutMs;
    let b;
    for (;;) {
      b = await page.evaluate(readProbes);
      if (b && b.load !== null && inFlight.size === 0) {
        const busy = Math.max(b.load, ...b.longTasks.map(([, end]) => end), ...b.requests.map(([, end]) => end));
        if ((b.heading !== null || b.now > HEADING_GIVE_UP_MS) && b.now - busy >= QUIET_MS) break;
      }
      if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const sent = { bytes, requests }; // requests after this point are not the page load's
    let worker = 'none';
    if (waitForWorker) {
      worker = await page.evaluate(async () => {
        if (!navigator.serviceWorker) return 'unsupported';
        const reg = await navigator.serviceWorker.getRegistration();
        if (!reg) return 'none';
        const ready = navigator.serviceWorker.ready.then(() => 'active');
        return Promise.race([ready, new Promise((r) => setTimeout(() => r('not active after 30 s'), 30_000))]);
      });
    }
    return {
      fcp: b.fcp,
      heading: b.heading,
      interactive: interactiveTime(b.load, b.longTasks, b.requests),
      load: b.load,
      appStarted: b.appStarted,
      headingPaint: b.headingPaint,
      headingFrame: b.headingFrame,
      longTasks: b.longTasks,
      requestSpans: b.requests,
      longFrames: b.frames,
      controlled: b.controlled,
      worker,
      ...sent,
    };
  } catch (err) {
    return { error: err.message.split('\n')[0] };
  } finally {
    await cdp.detach().catch(() => {});
    await page.close().catch(() => {});
  }
}
