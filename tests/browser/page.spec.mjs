// The page loads cleanly, draws a real heat-map and path, and reacts to its controls.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHOTS, newPage, canvasStats } from './harness.mjs';

/** Opens the app and waits until the first path is drawn. */
async function open(browser, url, opts) {
  const page = await newPage(browser, opts);
  await page.goto(url);
  await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
  await page.waitForFunction(() => document.querySelector('canvas.overlay')?.width > 0);
  return page;
}

const overlay = 'canvas.overlay';
const base = 'canvas.base';

function noErrors(page) {
  assert.deepEqual(page.errors, [], `console or page errors:\n${page.errors.join('\n')}`);
}

export const tests = [
  {
    name: 'loads with no console errors and draws a heat-map and a path',
    async run({ browser, url }) {
      const page = await open(browser, url);
      await page.screenshot({ path: join(SHOTS, 'page.png') });
      const heat = await canvasStats(page, base);
      assert.ok(heat.variance > 100, `heat-map looks blank (variance ${heat.variance})`);
      const path = await canvasStats(page, overlay);
      assert.ok(path.opaque > 200, `no path drawn (${path.opaque} opaque pixels)`);
      assert.equal(await page.title(), 'gradscape — see how optimizers move');
      noErrors(page);
    },
  },
  {
    name: 'moving the learning-rate slider redraws the path',
    async run({ browser, url }) {
      const page = await open(browser, url);
      const before = await canvasStats(page, overlay);
      const stepsBefore = await page.getAttribute('[data-testid="optimizer-card"]', 'data-x');
      await page.$eval('input[type="range"][name="lr"]', (el) => {
        el.value = '-2.5';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForFunction(
        (x) => document.querySelector('[data-testid="optimizer-card"]').dataset.x !== x,
        stepsBefore,
      );
      const after = await canvasStats(page, overlay);
      assert.notEqual(after.hash, before.hash, 'path canvas did not change');
      const exact = await page.inputValue('input[type="number"][name="lr"]');
      assert.ok(Math.abs(Number(exact) - 10 ** -2.5) < 1e-12, `numeric field shows ${exact}`);
      await page.screenshot({ path: join(SHOTS, 'page-lr.png') });
      noErrors(page);
    },
  },
  {
    name: 'changing the surface changes the heat-map',
    async run({ browser, url }) {
      const page = await open(browser, url);
      const before = await canvasStats(page, base);
      await page.selectOption('[data-testid="surface-select"]', 'quadratic');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="formula"]').textContent.includes('κ') ||
        document.querySelector('[data-testid="formula"]').textContent.includes('rotated'));
      const after = await canvasStats(page, base);
      assert.notEqual(after.hash, before.hash, 'heat-map did not change');
      assert.ok(after.variance > 100, 'new heat-map looks blank');
      await page.screenshot({ path: join(SHOTS, 'page-quadratic.png') });
      noErrors(page);
    },
  },
  {
    name: 'a bad surface id or an absurd learning rate shows a notice and the page keeps working',
    async run({ browser, url }) {
      const page = await open(browser, url);
      await page.$eval('[data-testid="surface-select"]', (el) => {
        const o = document.createElement('option');
        o.value = 'no_such_surface';
        el.appendChild(o);
        el.value = 'no_such_surface';
        el.dispatchEvent(new Event('change', { bubbles: true }));
      });
      const notice = page.locator('[data-testid="notice"]');
      await notice.filter({ hasText: 'unknown surface' }).waitFor();
      for (const bad of ['1e300', '-3', 'abc', 'NaN']) {
        await page.fill('input[type="number"][name="lr"]', '');
        await page.$eval('input[type="number"][name="lr"]', (el, v) => {
          el.value = v;
          el.dispatchEvent(new Event('change', { bubbles: true }));
        }, bad);
        await page.waitForFunction(() =>
          document.querySelector('[data-testid="notice"]').textContent.length > 0);
      }
      // Still responsive: a valid change takes effect.
      await page.selectOption('[data-testid="surface-select"]', 'quadratic');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="formula"]').textContent.includes('rotated'));
      const heat = await canvasStats(page, base);
      assert.ok(heat.variance > 100);
      const x = Number(await page.getAttribute('[data-testid="optimizer-card"]', 'data-x'));
      assert.ok(Number.isFinite(x), `data-x is ${x}`);
      await page.screenshot({ path: join(SHOTS, 'page-bad-input.png') });
      noErrors(page);
    },
  },
];
