import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

// End-to-end tests against the release build in dist/, served on loopback by sirv with the same
// fallback to index.html a static host would use. Chromium is Debian's, not a downloaded build.
// E2E_PORT and E2E_DIST let a second build be tested side by side (defaults: 8091, dist/).
const PORT = Number(process.env.E2E_PORT ?? 8091);
const DIST = process.env.E2E_DIST ?? '../../dist';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'zh-CN',
    // Tests simulate failures with page.route(), which a service worker's fetches would bypass.
    // offline.spec.ts allows the worker for its own tests.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `node ../../node_modules/sirv-cli/bin.js ${DIST} --single --port ${PORT} --host 127.0.0.1 --quiet`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
