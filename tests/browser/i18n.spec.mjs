// Languages: the page in 简体中文 leaves no English behind, the switch changes the page, its
// <html lang> and its link, and a Chinese browser gets Chinese without a lang key.
import assert from 'node:assert/strict';
import { open, noErrors, shot } from './common.mjs';

/** Every string a user can see or hear on the page: visible text nodes, the title,
 * aria-label and placeholder attributes, and every <option> (open or not). */
function uiStrings() {
  const out = [];
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
      if (e.tagName === 'DIALOG' && !e.open) return false;
    }
    return true;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'OPTION'].includes(el.tagName)) continue;
    if (el.closest('math, code, .formula-text, [translate="no"]')) continue;
    if (shown(el)) out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (!shown(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a)?.trim();
      if (v) out.push(v);
    }
  }
  for (const o of document.querySelectorAll('option')) {
    if (shown(o.parentElement)) out.push(o.textContent.trim());
  }
  return out;
}

/** Names, numbers and formula symbols that stay as they are in Chinese: optimizer, surface
 * and task names, PyTorch/optax identifiers, keys in code. */
const NAMES = new Set(['gradscape', 'English', 'SGD', 'Momentum', 'Nesterov', 'AdaGrad',
  'Adagrad', 'RMSprop', 'Adadelta', 'Adam', 'AMSGrad', 'AdamW', 'Adamax', 'NAdam', 'RAdam',
  'Lion', 'Newton', 'PyTorch', 'optax', 'Keras', 'CSV', 'JSON', 'PNG', 'WebM', 'Rosenbrock',
  'Beale', 'Booth', 'Himmelblau', 'Rastrigin', 'Ackley', 'Goldstein–Price', 'Matyas',
  'Goldstein', 'Price', 'Styblinski', 'Tang', 'Six', 'hump', 'camel', 'Legendre', 'Hessian',
  'lr', 'MSE', 'PCA', 'Chen', 'Li', 'Polyak', 'MediaRecorder', 'Chrome', 'Firefox', 'Shift', 'Ctrl', 'Enter', 'Delete', 'Home', 'BCE', 'KB',
  'min', 'max', 'sign', 'sin', 'cos', 'tan', 'exp', 'ln', 'sqrt', 'abs', 'tanh', 'pi', 'log']);

/** The English words left in `s` once names, code and ids are set aside: quoted values, the
 * list after 有效值 / 有效的键 (valid ids), a notice's leading URL keys, `gradscape …` commands, comma-joined column names,
 * tokens with `(`, `=`, `_`, `.` or a digit, symbols and function names. */
function words(s) {
  return s.replace(/^([a-z0-9_]+: )+/, ' ')
    .replace(/'[^']*'/g, ' ')
    .replace(/(有效值|有效的键)：[^；]*/g, ' ')
    .replace(/gradscape( [a-z-]+)+/g, ' ')
    .replace(/[A-Za-z0-9_]+(,[A-Za-z0-9_]+)+/g, ' ')
    .split(/[\s,;:，；：、（）·]+/)
    .filter((token) => !/[(=_.0-9²ⱼᵢ]/.test(token))
    .flatMap((token) => token.match(/[A-Za-z][A-Za-z'’]*/g) ?? [])
    .filter((w) => !NAMES.has(w) && w.length > 1);
}

export const tests = [
  {
    name: 'lang=zh leaves no untranslated UI string',
    run: async ({ browser, url }) => {
      const all = 'sgd,momentum,nesterov,adagrad,rmsprop,adadelta,adam,amsgrad,adamw,adamax,nadam,radam,lion,newton';
      const scenes = [
        '#lang=zh',
        `#lang=zh&opt=${all}&vectors=1&sched=cosine(t_max=100,warmup=5)&noise=0.1`,
        '#lang=zh&surface=quadratic&opt=sgd(lr=1),momentum(lr=0.5)&steps=50',
        '#lang=zh&steps=abc&foo=1&surface=nope&opt=sgd(lr=-1)&hide=nothing&t=-1',
        '#lang=zh&task=linear&batch=10&opt=sgd(lr=0.1,batch=1)',
        '#lang=zh&task=polynomial&degree=5',
        '#lang=zh&task=polynomial&degree=5&plane=pca',
        '#lang=zh&task=logistic&dataset=moons',
        '#lang=zh&surface=quadratic&opt=newton,sgd&steps=20',
      ];
      const left = [];
      for (const hash of scenes) {
        const page = await open(browser, url, hash);
        const found = async (what) => {
          for (const s of await page.evaluate(uiStrings)) {
            if (words(s).length > 0) left.push(`${what}: ${s}`);
          }
        };
        await found(hash);
        if (hash === '#lang=zh') {
          await page.click('[data-testid="share"]');
          await page.waitForSelector('dialog[open]');
          await found('share dialog');
        }
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
        noErrors(page);
        await page.context().close();
      }
      assert.deepEqual([...new Set(left)], [], 'English left on the Chinese page');
    },
  },
  {
    name: 'the switch changes the page, <html lang> and the link',
    run: async ({ browser, url }) => {
      const page = await open(browser, url, '');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      // A card added from the page survives the re-mount a switch causes (its runs belong to
      // the model, not to the button that added it).
      await page.click('[data-testid="add-optimizer"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="optimizer-card"]').length === 4);
      const before = await page.textContent('body');
      await page.selectOption('[data-testid="lang-select"]', 'zh');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await page.waitForFunction(() => location.hash.includes('lang=zh'));
      const after = await page.textContent('body');
      assert.notEqual(before, after);
      assert.match(after, /[\u4e00-\u9fff]/);
      await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
      assert.equal(await page.inputValue('[data-testid="lang-select"]'), 'zh');
      assert.equal(await page.$$eval('[data-testid="optimizer-card"][data-step]', (c) => c.length), 4);
      await page.fill('[data-testid="optimizer-card"]:nth-child(4) input[type="number"][name="lr"]', '0.02');
      await page.press('[data-testid="optimizer-card"]:nth-child(4) input[type="number"][name="lr"]', 'Enter');
      await page.selectOption('[data-testid="lang-select"]', 'en');
      await page.waitForFunction(() => location.hash.includes('lang=en'));
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      // The page is built afresh in the new language: one tree, the edit kept.
      assert.equal(await page.$$eval('.app', (a) => a.length), 1);
      assert.equal(await page.inputValue('[data-testid="optimizer-card"]:nth-child(4) input[type="number"][name="lr"]'), '0.02');
      // From the keyboard: the focus stays on the language select through the re-mount.
      await page.focus('[data-testid="lang-select"]');
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await page.waitForFunction(() => document.activeElement?.dataset.testid === 'lang-select');
      assert.equal(await page.$$eval('.app', (a) => a.length), 1);
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
