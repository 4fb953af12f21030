import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from './fixtures';
import type { Page } from '@playwright/test';

/** What a learner does: complete items and pass a module's quiz, with answers read from content. */
export const MODULE = 'new-secretary-starter';
const contentDir = join(__dirname, '..', '..', 'content');

/** The module's items and the correct answers of its quiz, read from its markdown. */
export function moduleSpec() {
  const text = readFileSync(join(contentDir, 'modules', `${MODULE}.md`), 'utf8');
  const items = /items:\s*\[([^\]]*)\]/.exec(text)?.[1].split(',').map((s) => s.trim())
    ?? [...text.matchAll(/^\s+-\s+((?:case|workflow|community|module):[a-z0-9-]+)\s*$/gm)].map((m) => m[1]);
  const quiz = text.split(/^## 自测题\s*$/m)[1];
  const questions = quiz.split(/^### /m).slice(1).map((block) => {
    const options = [...block.matchAll(/^- \[( |x|X)\] (.*)$/gm)].map((m) => ({ correct: m[1] !== ' ', text: m[2].trim() }));
    return { text: block.split('\n')[0].trim(), options };
  });
  return { items, questions };
}

export async function completeItem(page: Page, ref: string) {
  const [kind, id] = ref.split(':');
  const folder = { case: 'cases', workflow: 'workflows', community: 'communities' }[kind]!;
  await page.goto(`/${folder}/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  if (kind === 'workflow') {
    const boxes = page.locator('ol.steps input[type="checkbox"]');
    await expect(boxes.first()).toBeVisible();
    const n = await boxes.count();
    for (let i = 0; i < n; i++) await boxes.nth(i).check();
    await expect(page.getByText(`已完成 ${n} / ${n} 步`)).toBeVisible();
  } else {
    await expect(page.locator('main .prose').first()).toBeVisible();
    // The app's marker: the static page carries one too, which the takeover replaces.
    await page.locator('#app .read-marker').scrollIntoViewIfNeeded();
    await expect(page.getByRole('status').filter({ hasText: '已读完' })).toBeVisible();
  }
}

export async function passQuiz(page: Page) {
  const { questions } = moduleSpec();
  for (const q of questions) {
    const card = page.locator('li.question').filter({ hasText: q.text });
    for (const [i, o] of q.options.entries()) {
      if (o.correct) await card.getByLabel(`${String.fromCharCode(65 + i)}. ${o.text}`, { exact: true }).check();
    }
  }
  await page.getByRole('button', { name: '提交答案' }).click();
  await expect(page.getByRole('status').filter({ hasText: '本次得分 100 分' })).toBeVisible();
}

