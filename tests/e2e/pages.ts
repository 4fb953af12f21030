import AxeBuilder from '@axe-core/playwright';
import { expect, Page, Locator } from '@playwright/test';

/** axe finds no serious or critical violation in `selector` (a banner over the page), in the light
 * and the dark theme. */
export async function expectAccessibleInBothThemes(page: Page, selector: string) {
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${theme}: ${v.id}`)).toEqual([]);
  }
}

/** Waits until the app has mounted and taken over the prerendered page. */
export async function appStarted(page: Page) {
  await expect(page.locator('#app')).toBeAttached();
  await expect(page.locator('#prerender')).toHaveCount(0);
}

/** The site header and navigation, present on every page. */
export class Site {
  constructor(readonly page: Page) {}
  nav(): Locator {
    return this.page.getByRole('navigation', { name: '主导航' });
  }
  async goTo(section: '他山之石' | '规范工作' | '身边典型' | '学习模块') {
    await this.nav().getByRole('link', { name: section }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: section })).toBeVisible();
  }
  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }
}

/** A list page of one kind. */
export class ListPage extends Site {
  cards(): Locator {
    return this.page.locator('main article.card');
  }
  async open(title: string | RegExp) {
    await this.page.getByRole('link', { name: title }).first().click();
  }
  tagFilter(): Locator {
    return this.page.getByRole('list', { name: '按标签筛选' });
  }
}

/** An item page. */
export class ItemPage extends Site {
  async goto(path: string) {
    await this.page.goto(path);
    await expect(this.heading()).toBeVisible();
  }
  factBox(name = '关键数据'): Locator {
    return this.page.getByRole('region', { name });
  }
  body(): Locator {
    return this.page.locator('main .prose').first();
  }
  steps(): Locator {
    return this.page.locator('ol.steps > li');
  }
  stepCheckbox(title: string): Locator {
    return this.page.getByRole('checkbox', { name: title });
  }
  sources(): Locator {
    return this.page.getByRole('region', { name: /资料来源|依据/ });
  }
}

/** The community comparison page. */
export class ComparePage extends Site {
  choose(name: string | RegExp): Locator {
    return this.page.getByRole('group', { name: '选择社区' }).getByRole('checkbox', { name });
  }
  table(): Locator {
    return this.page.getByRole('table', { name: '社区数据对比' });
  }
}
