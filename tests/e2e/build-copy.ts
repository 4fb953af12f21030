import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from './fixtures';

/**
 * A copy of the build `dist` in a fresh temporary folder, with the service worker's retry pauses
 * shortened (sw-register.js's RETRY_MS, sw.js's PAUSE_MS): the tests check what is retried and
 * reported, not how long the pauses are. The build's sw-register.js is minified
 * (scripts/minify.mjs), so its source, the same program, is served in its place. Returns the
 * folder.
 */
export function copyWithShortPauses(dist: string, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(dist, dir, { recursive: true });
  const register = join(dir, 'sw-register.js');
  const registerText = readFileSync(resolve(__dirname, '../../public/sw-register.js'), 'utf8');
  expect(registerText).toMatch(/var RETRY_MS = \[[0-9, ]+\];/);
  writeFileSync(register, registerText.replace(/var RETRY_MS = \[[0-9, ]+\];/, 'var RETRY_MS = [200, 400, 800];'));
  const swFile = join(dir, 'sw.js');
  const swText = readFileSync(swFile, 'utf8');
  expect(swText).toContain('const PAUSE_MS = 1000;');
  writeFileSync(swFile, swText.replace('const PAUSE_MS = 1000;', 'const PAUSE_MS = 50;'));
  return dir;
}
