// Locate an installed npm package (its folder and version) without relying on
// its "exports" map, which may not expose package.json.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function pkgInfo(name) {
  for (const base of require.resolve.paths(name) || []) {
    const dir = path.join(base, name);
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) return { dir, version: JSON.parse(fs.readFileSync(pj, 'utf8')).version };
  }
  throw new Error(`npm package ${name} is not installed (run npm ci at the repository root)`);
}

/** Every file under `dir`, as sorted `/`-separated paths relative to `base`. */
export function walk(dir, base = dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, base));
    else out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out.sort();
}
