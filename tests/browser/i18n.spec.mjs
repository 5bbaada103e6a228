// Languages: the page in 简体中文 leaves no English behind, the switch changes the page, its
// <html lang> and its link, and a Chinese browser gets Chinese without a lang key.
import assert from 'node:assert/strict';
import { open, noErrors } from './common.mjs';

export const tests = [
  {
    name: 'the switch changes the page, <html lang> and the link',
    run: async ({ browser, url }) => {
      const page = await open(browser, url, '');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      const before = await page.textContent('body');
      await page.selectOption('[data-testid="lang-select"]', 'zh');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await page.waitForFunction(() => location.hash.includes('lang=zh'));
      const after = await page.textContent('body');
      assert.notEqual(before, after);
      assert.match(after, /[\u4e00-\u9fff]/);
      await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
      assert.equal(await page.inputValue('[data-testid="lang-select"]'), 'zh');
      await page.selectOption('[data-testid="lang-select"]', 'en');
      await page.waitForFunction(() => location.hash.includes('lang=en'));
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      noErrors(page);
      await page.context().close();
    },
  },
  {
    name: 'a zh-CN browser gets Chinese with no lang key, and the link stays without one',
    run: async ({ browser, url }) => {
      const page = await open(browser, url, '#steps=100', { locale: 'zh-CN' });
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.equal(await page.inputValue('[data-testid="lang-select"]'), 'zh');
      await page.waitForTimeout(400);
      assert.ok(!(await page.evaluate(() => location.hash)).includes('lang='));
      noErrors(page);
      await page.context().close();
    },
  },
];
