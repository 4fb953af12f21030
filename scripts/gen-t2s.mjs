// Generates src/search/t2s.txt, the Traditional → Simplified character folding table the search
// core compiles in, from OpenCC's dictionaries as shipped by the npm package opencc-js:
// TWVariantsRev and HKVariantsRev (regional variant → standard Traditional), then TSCharacters
// (Traditional → Simplified). Where OpenCC lists several Simplified forms, the first form that
// differs from the character itself is taken, so both sides of a search fold the same way.
// Usage: node scripts/gen-t2s.mjs [path/to/node_modules]   (output is committed; run on updates)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.argv[2] ?? 'node_modules';
const dict = async (name) =>
  (await import(pathToFileURL(join(modules, 'opencc-js/dist/esm-lib/dict', `${name}.js`)).href)).default;
const parse = (text) => {
  const map = new Map();
  for (const entry of text.split('|')) {
    const [key, ...targets] = entry.split(' ');
    if ([...key].length !== 1) continue; // characters only, no phrases
    const other = targets.find((t) => t !== key && [...t].length === 1);
    if (other) map.set(key, other);
  }
  return map;
};
const ts = parse(await dict('TSCharacters'));
const variants = new Map([...parse(await dict('HKVariantsRev')), ...parse(await dict('TWVariantsRev'))]);
const fold = new Map();
for (const [v, t] of variants) fold.set(v, ts.get(t) ?? t);
for (const [t, s] of ts) if (!fold.has(t)) fold.set(t, s);
// A folded character must itself be folded already (no chains), so one lookup is enough.
for (const [k, v] of fold) if (fold.has(v) && fold.get(v) !== v) fold.set(k, fold.get(v));
for (const [k, v] of fold) if (k === v) fold.delete(k);
const pairs = [...fold].sort(([a], [b]) => a.codePointAt(0) - b.codePointAt(0));
writeFileSync('src/search/t2s.txt', pairs.map(([k, v]) => k + v).join(''));
console.log(`src/search/t2s.txt: ${pairs.length} pairs`);
