// The native content tools the content payloads run: `content check` (src/bin/content.rs) and the
// renderer as the build runs it (examples/render_body.rs). Both are built by `cargo build --bin
// content --example render_body` (scripts/test.sh builds them with `cargo test` and `cargo run
// --bin content`); CARGO_TARGET_DIR is honoured, and CONTENT_BIN / RENDER_BODY_BIN name other
// binaries.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const TARGET = resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
export const CONTENT_BIN = process.env.CONTENT_BIN ?? join(TARGET, 'debug', 'content');
export const RENDER_BODY_BIN = process.env.RENDER_BODY_BIN ?? join(TARGET, 'debug', 'examples', 'render_body');

/** Whether both tools are built; the spec says how to build them when not. */
export function toolsMissing(): string | null {
  for (const bin of [CONTENT_BIN, RENDER_BODY_BIN]) {
    if (!existsSync(bin)) return `${bin} is missing: run \`cargo build --bin content --example render_body\``;
  }
  return null;
}

/** The item file the probe body goes into, with front matter the checker accepts. */
export const PROBE_ID = 'payload-probe';
const FRONT: Record<'case' | 'workflow', string> = {
  case: `---
id: ${PROBE_ID}
title: 载荷测试案例
summary: 一个只在测试中出现的案例，正文是恶意输入。
tags: [urban-party-building]
updated: 2026-11-27
region:
  province: 辽宁省
  city: 盘锦市
date: 2018-11-02
sources:
  - publisher: 人民网
    title: 测试来源
    date: 2018-11-02
figures:
  - { label: 党员, value: 72258, unit: 名 }
---
`,
  workflow: `---
id: ${PROBE_ID}
title: 载荷测试流程
summary: 一个只在测试中出现的流程，正文是恶意输入。
tags: [organizational-life]
updated: 2026-11-27
sources:
  - publisher: 中共中央
    title: 中国共产党支部工作条例（试行）
    date: 2018-10-28
---
`,
};

/** Lines of front matter before the body: the body's line n is the file's line n + this. */
export function frontLines(kind: 'case' | 'workflow'): number {
  return FRONT[kind].split('\n').length - 1;
}

export interface Diagnostic {
  path: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  field: string;
}

/** `path:line:column: 严重性: message (field)`, the format of src/check/diagnostic.rs. */
function parseDiagnostic(line: string): Diagnostic | null {
  const m = /^(.*?):(\d+):(\d+): (错误|警告): ([\s\S]*?)(?: \(([^()]*)\))?$/.exec(line);
  if (!m) return null;
  return { path: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4], message: m[5], field: m[6] ?? '' };
}

/**
 * Runs `content check` on a copy of content/ with `body` as one more item of `kind`. Returns the
 * diagnostics about the probe file, the others, the exit status and the whole report.
 */
export function checkBody(kind: 'case' | 'workflow', body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'portal-payload-'));
  try {
    const content = join(dir, 'content');
    cpSync(join(ROOT, 'content'), content, { recursive: true });
    const folder = kind === 'case' ? 'cases' : 'workflows';
    const probe = `${folder}/${PROBE_ID}.md`;
    writeFileSync(join(content, probe), FRONT[kind] + body);
    const run = spawnSync(CONTENT_BIN, ['check', content], { encoding: 'utf8', timeout: 30_000 });
    // A diagnostic's message may hold a line break (a tab or newline inside a quoted link), so the
    // report is split before each `path:` rather than at every line end.
    const report = `${run.stdout}${run.stderr}`;
    const entries = report.split(new RegExp(`\\n(?=${content.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/|检查了 )`));
    // Paths as editors see them (content/cases/x.md), not the temporary copy's.
    const diagnostics = entries
      .map((e) => parseDiagnostic(e.trim()))
      .filter((d): d is Diagnostic => d !== null)
      .map((d) => ({ ...d, message: d.message.split(content).join('content') }));
    return {
      status: run.status,
      report,
      probe: diagnostics.filter((d) => d.path === `${content}/${probe}`),
      others: diagnostics.filter((d) => d.path !== `${content}/${probe}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The body JSON the build would write for `body` (src/site/mod.rs::write_site). */
export function renderBody(kind: 'case' | 'workflow', body: string): string {
  return execFileSync(RENDER_BODY_BIN, [kind], { input: body, encoding: 'utf8', timeout: 30_000 });
}

/** The body of a content file: what follows its front matter (src/content/mod.rs
 * split_front_matter). */
export function bodyOf(folder: string, id: string): string {
  const text = readFileSync(join(ROOT, 'content', folder, `${id}.md`), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/(?<=\n)/);
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (lines[0].trimEnd() !== '---' || close < 0) throw new Error(`${folder}/${id}.md has no front matter`);
  return lines.slice(close + 1).join('');
}
