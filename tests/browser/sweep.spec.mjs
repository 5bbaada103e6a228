// The sweep view: a map of one card's final loss over two hyperparameters, computed in short
// tasks with a progress bar and Cancel, refused when too big for the page; clicking it loads
// that setting into the card.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

/** The time the scheduler kept each renderer's main thread waiting for a CPU (Linux
 * `/proc/PID/task/PID/schedstat`), sampled every few milliseconds from now until `stop()`,
 * which returns `waited(from, to)` for the renderer that ran most meanwhile: an upper bound,
 * in milliseconds, on the time in [from, to] (epoch ms) the machine rather than the page took
 * (other builds on a 2-core machine preempt the page for tens of milliseconds). Without CDP or
 * /proc it is 0: every millisecond counts as the page's. */
async function watchScheduler(browser) {
  const none = { stop: async () => ({ waited: () => 0, total: 0, measured: false }) };
  let cdp;
  try {
    cdp = await browser.newBrowserCDPSession();
  } catch {
    return none;
  }
  const renderers = async () => (await cdp.send('SystemInfo.getProcessInfo')).processInfo
    .filter((p) => p.type === 'renderer');
  const wait = (pid) => {
    try {
      return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
    } catch {
      return null;
    }
  };
  const before = await renderers();
  const samples = new Map(before.filter((p) => wait(p.id) !== null).map((p) => [p.id, []]));
  if (!samples.size) return none;
  const sample = () => {
    const t = Date.now();
    for (const [pid, s] of samples) s.push([t, wait(pid)]);
  };
  sample();
  const timer = setInterval(sample, 3);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      const ran = new Map((await renderers()).map((p) => [p.id, p.cpuTime]));
      const pid = [...samples.keys()].reduce((a, b) => ((ran.get(b) ?? 0) - (before.find((p) => p.id === b)?.cpuTime ?? 0)
        > (ran.get(a) ?? 0) - (before.find((p) => p.id === a)?.cpuTime ?? 0) ? b : a));
      const s = samples.get(pid).filter(([, w]) => w !== null);
      const waited = (from, to) => {
        const a = s.findLast(([t]) => t <= from) ?? s[0];
        const b = s.find(([t]) => t >= to) ?? s.at(-1);
        return b[1] - a[1];
      };
      return { waited, total: s.at(-1)[1] - s[0][1], measured: true };
    },
  };
}

/** The sweep's slices since page time `since` (their own durations, from the view's performance
 * measures) and the browser's long tasks then, in epoch milliseconds. */
async function tasksSince(page, since) {
  return page.evaluate((since) => {
    const epoch = (e) => ({ start: performance.timeOrigin + e.start, duration: e.duration });
    const slices = performance.getEntriesByName('gradscape:sweep-slice')
      .filter((e) => e.startTime > since).map((e) => epoch({ start: e.startTime, duration: e.duration }));
    return { slices, long: window.__long.filter((e) => e.start > since).map(epoch) };
  }, since);
}

/** Checks that the page's own work kept every task short: each slice well under 50 ms and no
 * long task over 50 ms, once the time the scheduler kept the page waiting is taken off (what
 * remains is a lower bound on the page's own time in that task). */
function assertShortTasks({ slices, long }, sched) {
  const own = (e) => e.duration - sched.waited(e.start - 5, e.start + e.duration + 5);
  assert.ok(slices.length > 10, `only ${slices.length} slices`);
  const sorted = slices.map((e) => e.duration).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  assert.ok(median < 12, `the median slice took ${median.toFixed(1)} ms (the view asks for 5)`);
  const slow = slices.filter((e) => own(e) > 25);
  assert.deepEqual(slow.map((e) => `${e.duration.toFixed(1)} ms, ${own(e).toFixed(1)} its own`), [],
    'every slice stays well under 50 ms of the page\'s own time');
  const over = long.filter((e) => e.duration > 50);
  const describe = (e) => `${e.duration.toFixed(0)} ms (at most ${Math.max(0, own(e)).toFixed(0)} its own, `
    + `${slices.some((s) => s.start >= e.start - 1 && s.start < e.start + e.duration) ? 'with' : 'without'} a slice)`;
  assert.deepEqual(over.filter((e) => own(e) > 50).map(describe), [],
    'no long task over 50 ms of the page\'s own time while the sweep ran');
  if (over.length) {
    console.log(`        (long tasks: ${over.map(describe).join(', ')}; the scheduler kept the page waiting `
      + `${sched.total.toFixed(0)} ms in all, load ${loadavg()[0].toFixed(1)})`);
  }
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
      const sched = await watchScheduler(browser);
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
      assertShortTasks(await tasksSince(page, before), await sched.stop());
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
    name: 'a sweep too big for the page is refused before it starts, with the reason, in English and Chinese',
    async run({ browser, url }) {
      // 128 × 128 cells × 100,000 steps (1.6·10⁹ steps), and a logistic task whose single run
      // over 5,000 points is already too long for one slice: nothing runs, the view says why.
      for (const [hash, fields, words] of [
        ['#surface=rosenbrock&steps=100000&opt=adam(lr=0.01)', { sweep_x_n: 128, sweep_y_n: 128 },
          [/16384 runs, about 1\.638e9 evaluations/, /at most 5e7, 2e6 per run/, /`gradscape sweep`/]],
        ['#lang=zh&task=logistic&n=5000&steps=300&opt=adam(lr=0.05)', {},
          [/1024 次运行，约 4\.608e9 次求值/, /最多 5e7，每次运行 2e6/]],
      ]) {
        const page = await open(browser, url, hash, { width: 1280, height: 1000 });
        await openSweep(page, fields);
        await page.waitForFunction(() => /5e7/.test(document.querySelector('.sweep-progress [role=status]').textContent));
        const text = await page.textContent('.sweep-progress [role=status]');
        for (const w of words) assert.match(text, w);
        if (hash.includes('lang=zh')) {
          await page.locator('[data-testid="sweep-view"]').scrollIntoViewIfNeeded();
          await shot(page, 'sweep-refused-zh');
        }
        await page.waitForTimeout(150);
        const p = await progress(page);
        assert.ok(!p.running && p.done === 0, `refused, nothing ran: ${JSON.stringify(p)}`);
        noErrors(page);
      }
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
