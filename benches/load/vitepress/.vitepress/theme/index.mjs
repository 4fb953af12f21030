// The default theme, plus the front matter title as the article's <h1>: our markdown keeps the
// title in front matter (the portal renders it as the heading), so without this the VitePress
// pages would have no <h1> to wait for. It is server-rendered like the rest of the page.
import { h } from 'vue';
import { useData } from 'vitepress';
import DefaultTheme from 'vitepress/theme';

export default {
  extends: DefaultTheme,
  Layout() {
    const { frontmatter } = useData();
    return h(DefaultTheme.Layout, null, {
      'doc-before': () => (frontmatter.value.title ? h('h1', { class: 'bench-title' }, frontmatter.value.title) : null),
    });
  },
};
