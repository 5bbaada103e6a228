// The sweep view: a map of one card's final loss over two hyperparameters, computed in slices
// between frames with a progress bar and Cancel; clicking it loads that setting into the card.
import assert from 'node:assert/strict';
import { loadavg, cpus } from 'node:os';
import { newPage } from './harness.mjs';
import { open, cards, noErrors, shot, canvasStats, setInput, trace } from './common.mjs';

const QUADRATIC = '#surface=quadratic&param=kappa:10&start=3,1.5&steps=200&opt=momentum(lr=0.01,momentum=0.5)';

/** Records long tasks from the start, so a test can ask for those after a moment. */
async function watchLongTasks(page) {
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The sweep view's progress: { running, done, total }. */
async function progress(page) {
  return page.$eval('[data-testid="sweep-view"]', (el) => ({
    running: el.dataset.running === 'true', done: +el.dataset.done, total: +el.dataset.total,
  }));
}

async function waitDone(page, timeout = 20000) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="sweep-view"]');
    return el.dataset.running === 'false' && +el.dataset.done === +el.dataset.total && +el.dataset.total > 1;
  }, null, { timeout });
}

/** Opens the sweep view and sets its form fields (name → value), one change each. */
async function openSweep(page, fields = {}) {
  await page.click('[data-testid="sweep-view"] summary');
  await page.waitForSelector('[name="sweep_x"]');
  for (const [name, value] of Object.entries(fields)) {
    await setInput(page.locator(`[name="${name}"]`), value);
  }
}

export const tests = [
  {
    name: 'the sweep renders with a progress bar, can be cancelled and resumed, with no long task',
    async run({ browser, url }) {
      const page = await newPage(browser, { width: 1280, height: 1000 });
      await watchLongTasks(page);
      await page.goto(url + QUADRATIC.replace('steps=200', 'steps=2000'));
      await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
      // Closed, the view computes nothing.
      assert.equal((await progress(page)).done, 0);
      const before = await page.evaluate(() => performance.now());
      await openSweep(page, { sweep_x_n: 64, sweep_y_n: 64 });
      await page.waitForFunction(() => +document.querySelector('[data-testid="sweep-view"]').dataset.done > 0);
      const p = await progress(page);
      assert.ok(p.running && p.total === 64 * 64, JSON.stringify(p));
      assert.ok(await page.$('[data-testid="sweep-view"] progress'));
      await page.click('[name="sweep_cancel"]');
      const stopped = await progress(page);
      assert.ok(!stopped.running && stopped.done < stopped.total, `cancelled: ${JSON.stringify(stopped)}`);
      await page.waitForTimeout(200);
      assert.equal((await progress(page)).done, stopped.done, 'nothing runs after Cancel');
      await page.click('[name="sweep_cancel"]');
      await waitDone(page);
      const long = await page.evaluate((t) => window.__long.filter((e) => e.start > t), before);
      const over = long.filter((e) => e.duration > 50);
      // Two cores shared with other builds preempt the page for tens of milliseconds; say so
      // rather than fail when the machine, not the page, is the cause.
      const busy = loadavg()[0] > 1.5 * cpus().length;
      if (busy && over.length) {
        console.log(`        (load ${loadavg()[0].toFixed(1)}: ${over.length} long tasks ignored: ${over.map((e) => e.duration).join(', ')} ms)`);
      } else {
        assert.deepEqual(over, [], 'no long task while the sweep ran');
      }
      const stats = await canvasStats(page, '[data-testid="sweep-view"] canvas');
      assert.ok(stats.variance > 200, `blank map: ${JSON.stringify(stats)}`);
      // The same inputs again come from the cache at once.
      await setInput(page.locator('[name="sweep_x_n"]'), 40);
      await setInput(page.locator('[name="sweep_x_n"]'), 64);
      const again = await progress(page);
      assert.ok(!again.running && again.done === again.total, `cached: ${JSON.stringify(again)}`);
      await page.locator('[data-testid="sweep-view"]').scrollIntoViewIfNeeded();
      await shot(page, 'sweep-grid');
      noErrors(page);
    },
  },
  {
    name: 'clicking a cell loads its setting into the card, which then equals gradscape trace',
    async run({ browser, url }) {
      const page = await open(browser, url, QUADRATIC, { width: 1280, height: 1000 });
      await openSweep(page, { sweep_x_n: 12, sweep_y_n: 12 });
      await waitDone(page);
      const canvas = page.locator('[data-testid="sweep-view"] canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.35);
      await page.waitForFunction(() => document.querySelector('.sweep-readout').textContent.includes('final loss'));
      const [before] = await cards(page);
      await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.35);
      await page.waitForFunction((loss) => document.querySelector('[data-testid="optimizer-card"]').dataset.loss !== loss, before.loss);
      const lr = await page.inputValue('[data-testid="optimizer-card"] input[name="lr"]:not([type="range"])');
      const mu = await page.inputValue('[data-testid="optimizer-card"] input[name="momentum"]:not([type="range"])');
      assert.notEqual(lr, '0.01');
      const [after] = await cards(page);
      const rows = trace(['--surface', 'quadratic', '--param', 'kappa=10', '--start', '3,1.5', '--steps', '200',
        '--optimizer', 'momentum', '--set', `lr=${lr}`, '--set', `momentum=${mu}`]);
      assert.equal(after.loss, rows.at(-1).loss, 'the loaded card is the trace run of that cell');
      // The readout names the cell's numbers and the hash carries the new setting.
      assert.match(await page.textContent('.sweep-readout'), /lr = .* momentum = .* final loss/);
      await page.waitForFunction((v) => location.hash.includes(`lr=${v}`), lr);
      noErrors(page);
    },
  },
  {
    name: 'hyperband draws its evaluations rung by rung with the budget spent; narrow and dark look right',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=rosenbrock&steps=300&opt=adam(lr=0.05)&theme=dark', { width: 390, height: 1600 });
      await openSweep(page, { sweep_method: 'hyperband', sweep_r: 81, sweep_eta: 3 });
      await waitDone(page);
      const p = await progress(page);
      assert.equal(p.total, 206, 'Li et al. Table 1: 206 evaluations for R = 81, η = 3');
      assert.match(await page.textContent('.sweep-progress'), /206 \/ 206 runs · \d+ steps spent · best lr = /);
      const stats = await canvasStats(page, '[data-testid="sweep-view"] canvas');
      assert.ok(stats.variance > 100, `blank points: ${JSON.stringify(stats)}`);
      await page.locator('[data-testid="sweep-view"]').scrollIntoViewIfNeeded();
      await shot(page, 'sweep-hyperband-390-dark');
      // A bad axis says why, in the view, and breaks nothing.
      await setInput(page.locator('[name="sweep_x_lo"]'), '-1');
      await page.waitForFunction(() => document.querySelector('.sweep-progress').textContent.includes('valid'));
      noErrors(page);
    },
  },
  {
    name: 'momentum on the quadratic marks Polyak\'s optimum, dark theme',
    async run({ browser, url }) {
      const page = await open(browser, url, QUADRATIC + '&theme=dark', { width: 1280, height: 1000 });
      await openSweep(page, { sweep_x_lo: 0.01, sweep_x_hi: 1, sweep_y_hi: 0.95, sweep_threshold: '1e-8' });
      await waitDone(page);
      await page.locator('[data-testid="sweep-view"]').scrollIntoViewIfNeeded();
      await shot(page, 'sweep-polyak-dark');
      noErrors(page);
    },
  },
];
