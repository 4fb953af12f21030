// VitePress 1.x site built from the same markdown files as the portal, for the load benchmark
// (benches/load/run.mjs). Only what a reader of one article page gets is configured: a Chinese
// title, clean URLs like our routes, local search off (our search index loads on first focus,
// not with the page).
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default {
  lang: 'zh-CN',
  title: '智慧党建学习平台',
  description: '社区党务工作者的在线学习平台：他山之石、规范工作、身边典型与学习模块。',
  srcDir: here('../../../../content'),
  outDir: here('../../out/vitepress'),
  cacheDir: here('../../out/vitepress-cache'),
  srcExclude: ['README.md'],
  cleanUrls: true,
  // Our cross references (`case:fengqiao-jingyan`) and relative links mean nothing to VitePress.
  ignoreDeadLinks: true,
  themeConfig: {
    nav: [
      { text: '他山之石', link: '/cases/fengqiao-jingyan' },
      { text: '规范工作', link: '/workflows/fazhan-dangyuan' },
    ],
    outline: { label: '本页目录' },
    docFooter: { prev: '上一篇', next: '下一篇' },
  },
};
