import { test as base, expect, Page } from '@playwright/test';

/** Every test fails on a console error or an uncaught exception, unless it expects some. */
export const test = base.extend<{ consoleErrors: string[]; allowConsoleErrors: (re: RegExp) => void }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      await use(errors);
    },
    { auto: true },
  ],
  allowConsoleErrors: [
    async ({ consoleErrors }, use, testInfo) => {
      const allowed: RegExp[] = [];
      await use((re) => allowed.push(re));
      if (testInfo.status === 'passed') {
        const unexpected = consoleErrors.filter((e) => !allowed.some((re) => re.test(e)));
        expect(unexpected, 'console errors').toEqual([]);
      }
    },
    { auto: true },
  ],
});

export { expect };
export type { Page };
