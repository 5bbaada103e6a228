// Lessons: every lesson loads from the list in place, its text and question show in English
// and in 简体中文, the link carries the page's language, and the list works from the keyboard.
import assert from 'node:assert/strict';
import { open, cards, noErrors, shot } from './common.mjs';

/** Opens the list, follows lesson `i`'s link and waits for its text and its cards. */
async function follow(page, i) {
  if (!(await page.$eval('[data-testid="lessons"]', (d) => d.open))) {
    await page.click('[data-testid="lessons"] summary');
  }
  const href = await page.getAttribute(`[data-testid="lessons"] a[data-lesson="${i}"]`, 'href');
  const before = await page.evaluate(() => location.hash);
  await page.click(`[data-testid="lessons"] a[data-lesson="${i}"]`);
  // The link is followed (the page may then rewrite the hash in its own canonical form).
  await page.waitForFunction((h) => location.hash !== h, before);
  await page.waitForSelector('[data-testid="lesson"]');
  await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
  return href;
}

export const tests = [
  {
    name: 'every lesson loads in place and shows its text and question, in English and in Chinese',
    run: async ({ browser, url }) => {
      for (const lang of ['en', 'zh']) {
        const page = await open(browser, url, `#lang=${lang}`);
        const count = await page.$$eval('[data-testid="lessons"] a[data-lesson]', (a) => a.length);
        assert.ok(count >= 12, `${count} lessons`);
        const seen = new Set();
        for (let i = 0; i < count; i += 1) {
          const href = await follow(page, i);
          assert.match(href, new RegExp(`lang=${lang}`), 'the link keeps the language');
          const lesson = await page.$eval('[data-testid="lesson"]', (a) => ({
            id: a.dataset.lessonId,
            title: a.querySelector('h2').textContent,
            text: a.querySelector('p').textContent,
            ask: a.querySelector('.ask').textContent,
          }));
          assert.ok(lesson.title && lesson.text.length > (lang === 'zh' ? 40 : 80) && lesson.ask.length > 15, JSON.stringify(lesson));
          const han = /[\u4e00-\u9fff]/;
          if (lang === 'zh') {
            assert.match(lesson.text, han);
            assert.match(lesson.ask, /^向全班提问：/);
          } else {
            assert.doesNotMatch(lesson.text + lesson.ask, han);
            assert.match(lesson.ask, /^Ask the class:/);
          }
          seen.add(lesson.id);
          // The scene on screen is the lesson's: its cards ran (none failed to run).
          const cs = await cards(page);
          assert.ok(cs.length >= 1 && cs.every((c) => c.status), JSON.stringify(cs));
          assert.equal(await page.$eval('[data-testid="lessons"]', (d) => d.open), false);
        }
        assert.equal(seen.size, count);
        noErrors(page);
        await page.context().close();
      }
    },
  },
  {
    name: 'a lesson survives a switch of language, and the claims show on the cards',
    run: async ({ browser, url }) => {
      const page = await open(browser, url, '#lang=en');
      await follow(page, 0);
      // learning-rate: the last SGD card (η = 0.25) diverges, the others do not.
      const status = (await cards(page)).map((c) => c.status);
      assert.deepEqual(status, ['finished', 'finished', 'finished', 'diverged']);
      const title = await page.textContent('[data-testid="lesson"] h2');
      await page.selectOption('[data-testid="lang-select"]', 'zh');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      const zh = await page.textContent('[data-testid="lesson"] h2');
      assert.notEqual(zh, title);
      assert.match(zh, /学习率/);
      await shot(page, 'lesson-zh');
      noErrors(page);
      await page.context().close();
    },
  },
  {
    name: 'the lessons list works from the keyboard alone',
    run: async ({ browser, url }) => {
      const page = await open(browser, url, '#lang=zh');
      await page.focus('[data-testid="lessons"] summary');
      await page.keyboard.press('Enter');
      assert.equal(await page.$eval('[data-testid="lessons"]', (d) => d.open), true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement.dataset.lesson);
      assert.equal(focused, '1');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="lesson"][data-lesson-id="ill-conditioning"]');
      await page.waitForFunction(() => location.hash.includes('kappa=50'));
      noErrors(page);
      await page.context().close();
    },
  },
];
