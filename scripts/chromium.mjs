// How this project starts Debian's Chromium headless, for the Playwright tests and both
// benchmarks (webdriver.json repeats the list for wasm-bindgen-test, which reads only JSON).
// Without the background-networking flags, the closed network here refuses Chromium's own
// connections, many at a time.
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
