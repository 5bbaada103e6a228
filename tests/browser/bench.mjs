// The browser benchmark (`make bench`, never `make test`): bundle size, first path, main-thread
// cost of an lr input with ten optimizers (from a trace), heat-map recompute, the sweep view's
// 64×64×500 map, playback smoothness, long tasks and a
// heap soak. It reports and never fails on a slow figure; it exits non-zero only when the page
// itself logs an error. Prints one table and merges its rows into target/bench/report.json.
//
//   BENCH_SOAK_MINUTES=10 node tests/browser/bench.mjs      (default 10; 0 skips the soak)
//   BENCH_ONLY=sweep node tests/browser/bench.mjs            (only the parts whose name has it,
//                                                             e.g. tasks: the learning tasks'
//                                                             lr-input rows; writes no report)
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { DIST, ROOT, serveDist, launch, newPage } from './harness.mjs';

const SOAK_MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
/** Minutes of play after which V8 has compiled the hot paths (see the soak). */
const WARMUP_MINUTES = 2;
const REPORT = join(ROOT, 'target', 'bench', 'report.json');
const TEN = '#surface=rosenbrock&steps=2000&opt=adam(lr=0.01),sgd(lr=0.001),momentum(lr=0.001),'
  + 'nesterov(lr=0.001),adagrad(lr=0.5),rmsprop(lr=0.01),adamw(lr=0.01),nadam(lr=0.01),'
  + 'radam(lr=0.01),lion(lr=0.001)';
const TEN_COUNT = 10, TEN_STEPS = 2000;
const INPUTS = 50;
// A frame later than 1.5 refresh periods means at least one was dropped.
const FRAME_MS = 1000 / 60, DROPPED_GAP_MS = 1.5 * FRAME_MS;

const rows = [];
const pageErrors = [];
/** One table row; `ok` is null when a figure has no goal (reported only). */
function row(name, value, unit, goal, ok) {
  rows.push({ name, value, unit, goal, ok });
  console.error(`  measured: ${name} = ${value} ${unit}`);
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };
const round = (v, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Installed before the app's scripts: long tasks are not kept in the performance timeline, so
// they must be observed from the start; Trunk hands over the wasm instance (for its memory).
const INIT_SCRIPT = () => {
  window.__longtasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail?.wasm; });
};

/** A fresh context and page with the init script, errors collected into `pageErrors`. */
async function freshPage(browser, url, hash, viewport = {}) {
  const page = await newPage(browser, viewport);
  await page.addInitScript(INIT_SCRIPT);
  await page.goto(url + hash);
  await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
  await page.waitForFunction(() => performance.getEntriesByName('gradscape:first-path').length > 0);
  return page;
}
async function closePage(page) {
  pageErrors.push(...page.errors);
  await page.context().close();
}
const frames = (page, n = 2) => page.evaluate((k) => new Promise((ok) => {
  const next = (left) => (left === 0 ? ok() : requestAnimationFrame(() => next(left - 1)));
  next(k);
}), n);

async function metrics(cdp) {
  const { metrics: ms } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(ms.map((m) => [m.name, m.value]));
}

// ------------------------------------------------------------------ bundle size
async function bundleSize() {
  // Same counting as size.mjs (which runs on import, so it is re-implemented, not imported).
  let total = 0;
  for (const f of await readdir(DIST)) {
    if (!['.wasm', '.js', '.css', '.html'].includes(extname(f))) continue;
    total += gzipSync(await readFile(join(DIST, f)), { level: 9 }).length;
  }
  const kb = total / 1024;
  row('bundle, gzipped wasm+js+css+html', round(kb), 'KB', '≤ 120 KB', kb <= 120);
}

// ------------------------------------------------------------------ first path and load
async function firstPathAndLoad(browser, url) {
  const times = [], heatmaps = [], counts = [], totals = [];
  for (let i = 0; i < 5; i += 1) {
    const page = await freshPage(browser, url, '');
    times.push(await page.evaluate(() => performance.getEntriesByName('gradscape:first-path')[0].startTime));
    // The end of the first heat-map computation: it is drawn just before the paths.
    heatmaps.push(await page.evaluate(() => new Promise((ok) => {
      const done = () => {
        const [e] = performance.getEntriesByName('gradscape:heatmap');
        if (e) ok(e.startTime + e.duration); else setTimeout(done, 5);
      };
      done();
    })));
    await sleep(500); // let the tail of start-up finish so its long tasks are counted
    const lt = await page.evaluate(() => window.__longtasks);
    counts.push(lt.length);
    totals.push(lt.reduce((a, b) => a + b, 0));
    await closePage(page);
  }
  const t = median(times);
  row('navigation start → first path drawn (default page, median of 5)', round(t), 'ms', '≤ 250 ms', t <= 250);
  row('navigation start → first heat-map drawn (default page, median of 5)', round(median(heatmaps)), 'ms', 'report', null);
  row('long tasks at load, default page (median count of 5)', median(counts), 'tasks', 'report', null);
  row('long-task time at load, default page (median of 5)', round(median(totals)), 'ms', 'report', null);
}

// ------------------------------------------------------------------ lr input, ten optimizers
// The scene and input of issue 9: ten optimizers × 2,000 steps on Rosenbrock, Adam's numeric lr
// field driven through 0.01 + 0.002·(i mod 20), input and change events, two animation frames
// each. What a user feels is the renderer main thread's whole cost, including the canvas flush
// and raster that land after the input's task; CDP TaskDuration read around a single input
// misses part of it, so the figure comes from a trace over a burst of inputs in one window.
const INPUT_SCENE = (steps) => `#surface=rosenbrock&start=-1.2,1&steps=${steps}&opt=sgd(lr=0.001),`
  + 'momentum(lr=0.0005),nesterov(lr=0.0005),adagrad(lr=0.5),rmsprop(lr=0.01),adadelta(lr=1),'
  + 'adam(lr=0.05),adamax(lr=0.02),nadam(lr=0.02),radam(lr=0.02)';
const ADAM_LR = '[data-testid="optimizer-card"][data-optimizer="adam"] input[type="number"][name="lr"]';
const TRACE_ROUNDS = 20;
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline',
  'blink', 'cc', 'v8', 'benchmark'];
/** Trace event names per share of the breakdown, in the order they claim time. */
const SHARES = {
  script: /^(FunctionCall|EventDispatch|FireAnimationFrame|TimerFire|v8\.callFunction|RunMicrotasks)$/,
  'canvas flush + layers': /FinalizeFrame|DoUpdateLayers|Canvas2D|CanvasResource|PaintCanvas/,
  'style + layout': /^(UpdateLayoutTree|Layout|UpdateLayout|RecalculateStyles)$/,
  'paint + commit': /^(Paint|PrePaint|PaintArtifactCompositor.*|Commit|LocalFrameView::RunPaintLifecyclePhase|ProxyMain::BeginMainFrame::commit)$/,
};

/** Length of the union of [start, end) intervals, in ms. */
function unionMs(intervals) {
  const xs = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0, end = -Infinity;
  for (const [s, e] of xs) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total / 1000;
}

/** Outermost task time and per-share time on the busiest renderer main thread of a trace. */
function mainThreadCost(traceJson) {
  const events = JSON.parse(traceJson).traceEvents ?? JSON.parse(traceJson);
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || !mains.has(key) || !(e.dur > 0)) continue;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  // Web Workers' time (expensive learning-task runs compute there, src/ui/worker.rs): not the
  // main thread's, so not in `total`, but reported beside it.
  const workers = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'DedicatedWorker thread')
    .map((e) => `${e.pid}:${e.tid}`));
  const worker = [...workers].reduce((sum, key) => sum + unionMs(events
    .filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === key && e.dur > 0 && e.cat.split(',').includes('toplevel'))
    .map((e) => [e.ts, e.ts + e.dur])), 0);
  let best = { total: 0, shares: {}, worker };
  for (const es of byThread.values()) {
    const total = unionMs(es.filter((e) => e.cat.split(',').includes('toplevel')).map((e) => [e.ts, e.ts + e.dur]));
    if (total <= best.total) continue;
    // Shares nest (the commit holds the canvas layers' update): each counts only the time the
    // shares before it do not, so they add up to at most the total.
    const shares = {};
    let before = [];
    for (const [name, re] of Object.entries(SHARES)) {
      const mine = es.filter((e) => re.test(e.name)).map((e) => [e.ts, e.ts + e.dur]);
      shares[name] = unionMs([...before, ...mine]) - unionMs(before);
      before = [...before, ...mine];
    }
    best = { total, shares, worker };
  }
  return best;
}

/** `rounds` rounds in the page: set Adam's lr (or, with `idle`, nothing), then two frames. */
const driveRounds = (page, rounds, idle, offset = 0) => page.evaluate(([sel, n, quiet, off]) => new Promise((ok) => {
  const el = document.querySelector(sel);
  const latencies = [];
  const one = (i) => {
    if (i === n) { ok(latencies); return; }
    const t0 = performance.now();
    if (!quiet) {
      el.value = String(Math.round((0.01 + 0.002 * ((i + off) % 20)) * 1000) / 1000);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
    requestAnimationFrame(() => requestAnimationFrame(() => { latencies.push(performance.now() - t0); one(i + 1); }));
  };
  one(0);
}), [ADAM_LR, rounds, idle, offset]);

/** Extra time traced after the last round: work deferred past the frames (the link's rewrite
 * once inputs pause, the loss axis fitted again after a drag) counts too. */
const TAIL_MS = 1000;

async function traced(browser, page, rounds, idle) {
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await driveRounds(page, rounds, idle);
  await sleep(TAIL_MS);
  return mainThreadCost((await browser.stopTracing()).toString());
}

/** The learning tasks' version of the scene: the same ten optimizers × 2,000 steps, full batch,
 * on n = 1,000 points (issue 10's goals: ≤ 8 ms linear and polynomial, ≤ 30 ms logistic). The
 * logistic runs compute in Web Workers (src/ui/worker.rs): their main-thread time is receiving
 * and drawing the path; the worker's own time, the runs that landed and the latency are rows
 * of their own. */
const TASK_SCENE = (task) => `#task=${task}&n=1000&steps=${TEN_STEPS}&opt=sgd(lr=0.1),momentum(lr=0.05),`
  + 'nesterov(lr=0.05),adagrad(lr=0.5),rmsprop(lr=0.01),adadelta(lr=1),adam(lr=0.05),adamax(lr=0.02),'
  + 'nadam(lr=0.02),radam(lr=0.02)';

async function inputCost(browser, url, steps, task = null, goal = 5) {
  const page = await freshPage(browser, url, task ? TASK_SCENE(task) : INPUT_SCENE(steps));
  if (steps === TEN_STEPS && !task) {
    const lt = await page.evaluate(() => ({ n: window.__longtasks.length, ms: window.__longtasks.reduce((a, b) => a + b, 0) }));
    row(`long tasks at load, ${TEN_COUNT} optimizers × ${TEN_STEPS} steps`, lt.n, 'tasks', 'report', null);
    row(`long-task time at load, ${TEN_COUNT} × ${TEN_STEPS}`, round(lt.ms), 'ms', 'report', null);
  }
  await sleep(300);
  // Warm-up: the first inputs compile the hot paths and move the other paths to the kept layer.
  await driveRounds(page, TRACE_ROUNDS, false, 7);
  const before = await page.$eval('[data-testid="optimizer-card"][data-optimizer="adam"]', (c) => c.dataset.x);
  // Runs landed: the Adam card leaving `data-status="pending"` (a worker's answer arriving).
  await page.evaluate((sel) => {
    const card = document.querySelector(sel).closest('[data-testid="optimizer-card"]');
    let was = card.dataset.status;
    window.__landed = 0;
    new MutationObserver(() => {
      if (was === 'pending' && card.dataset.status !== 'pending') window.__landed += 1;
      was = card.dataset.status;
    }).observe(card, { attributes: true, attributeFilter: ['data-status'] });
  }, ADAM_LR);
  const busy = await traced(browser, page, TRACE_ROUNDS, false);
  const landed = await page.evaluate(() => window.__landed);
  const idle = await traced(browser, page, TRACE_ROUNDS, true);
  const after = await page.$eval('[data-testid="optimizer-card"][data-optimizer="adam"]', (c) => c.dataset.x);
  if (before === after) pageErrors.push(`bench: the lr inputs did not change Adam (${steps} steps)`);
  const perInput = (busy.total - idle.total) / TRACE_ROUNDS;
  const label = `${TEN_COUNT} × ${steps}${task ? `, ${task} regression on 1,000 points` : ''}`;
  row(`main-thread time per lr input, ${label} (trace, ${TRACE_ROUNDS} inputs − ${TRACE_ROUNDS} idle rounds)`,
    round(perInput, 2), 'ms', `≤ ${goal} ms`, perInput <= goal);
  for (const name of Object.keys(SHARES)) {
    row(`  of which ${name}`, round((busy.shares[name] - idle.shares[name]) / TRACE_ROUNDS, 2), 'ms', 'report', null);
  }
  if (task) {
    // Honest about the worker: a logistic run computes in a Web Worker, so the main-thread time
    // above leaves it out. Its thread time, how many of the inputs' runs landed (an input arriving
    // while a run is queued replaces it), and input → the card showing its new path.
    row('  Web Worker thread time per lr input (not main thread)', round((busy.worker - idle.worker) / TRACE_ROUNDS, 2), 'ms', 'report', null);
    row(`  worker runs that landed during the ${TRACE_ROUNDS} inputs, 2 frames apart`, landed, 'runs', 'report', null);
    const lat = await page.evaluate(([sel, n]) => new Promise((ok) => {
      const el = document.querySelector(sel);
      const card = el.closest('[data-testid="optimizer-card"]');
      const out = [];
      const one = (i) => {
        if (i === n) { ok(out); return; }
        const x = card.dataset.x;
        const t0 = performance.now();
        el.value = String(Math.round((0.011 + 0.002 * (i % 20)) * 1000) / 1000);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
        const check = () => {
          if (card.dataset.status !== 'pending' && card.dataset.x && card.dataset.x !== x) {
            out.push(performance.now() - t0);
            requestAnimationFrame(() => one(i + 1));
          } else if (performance.now() - t0 > 3000) ok(out);
          else setTimeout(check, 1);
        };
        check();
      };
      one(0);
    }), [ADAM_LR, TRACE_ROUNDS]);
    row('  lr input → card shows the new run, p50', round(median(lat), 1), `ms (${lat.length} inputs)`, 'report', null);
    row('  lr input → card shows the new run, p95', round(quantile(lat, 0.95), 1), 'ms', 'report', null);
  }
  if (steps !== TEN_STEPS || task) { await closePage(page); return; }

  // Cross-check: CDP TaskDuration over 50 inputs in one window, the idle rate subtracted.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const windowCost = async (idleRounds) => {
    const m0 = await metrics(cdp);
    const latencies = await driveRounds(page, INPUTS, idleRounds, 3);
    const m1 = await metrics(cdp);
    return { ms: (m1.TaskDuration - m0.TaskDuration) * 1000, latencies };
  };
  const quiet = await windowCost(true);
  await page.evaluate(() => {
    window.__frames = [];
    const loop = (t) => { window.__frames.push(t); if (window.__recording) requestAnimationFrame(loop); };
    window.__recording = true;
    requestAnimationFrame(loop);
  });
  const burst = await windowCost(false);
  const gaps = await page.evaluate(() => {
    window.__recording = false;
    const f = window.__frames;
    return f.slice(1).map((t, i) => t - f[i]);
  });
  const cross = (burst.ms - quiet.ms) / INPUTS;
  row(`  cross-check: CDP TaskDuration over ${INPUTS} inputs in one window, idle subtracted`, round(cross, 2), 'ms', 'report', null);
  const lat = burst.latencies;
  const p95 = quantile(lat, 0.95);
  row('lr input → second animation frame, p50', round(median(lat)), 'ms', 'report (floor ≈ 33 ms)', null);
  row('lr input → second animation frame, p95', round(p95), 'ms', '≤ 50 ms', p95 <= 50);
  const dropped = gaps.filter((g) => g > DROPPED_GAP_MS).length;
  row(`frame gaps > 25 ms during the ${INPUTS} inputs (of ${gaps.length} frames)`, dropped, 'frames', 'report', null);
  await cdp.detach();
  await closePage(page);
}

// ------------------------------------------------------------------ heat-map at 512 × 512
// plot.rs: margin 8 px on every side, y labels 44 px, x labels 26 px (at DPR 1).
const AXES_W = 8 + 8 + 44, AXES_H = 8 + 8 + 26, PLOT = 512;
const BASE = '[data-testid="surface-view"] canvas.base';

/** A page of `hash` whose surface view plots on PLOT × PLOT pixels: the window grows by what
 * the plotting area lacks (the canvas follows the layout). */
async function plotOf512(browser, url, hash, viewport) {
  let page = await freshPage(browser, url, hash, viewport);
  for (let i = 0; i < 4; i += 1) {
    const c = await page.$eval(BASE, (el) => [el.width, el.height]);
    const dw = PLOT - (c[0] - AXES_W), dh = PLOT - (c[1] - AXES_H);
    if (dw === 0 && dh === 0) break;
    viewport = { width: viewport.width + dw, height: viewport.height + dh };
    await closePage(page);
    page = await freshPage(browser, url, hash, viewport);
  }
  return { page, viewport };
}

async function heatmap(browser, url) {
  // Calibrated on the bowl, so none of the measured surfaces is in the page's layer cache yet.
  let { page, viewport } = await plotOf512(browser, url, '#surface=quadratic', { width: 950, height: 954 });
  const [cw, ch] = await page.$eval(BASE, (el) => [el.width, el.height]);
  const per = { rosenbrock: [], rastrigin: [], himmelblau: [] };
  for (let round_ = 0; round_ < 4; round_ += 1) {
    // The page caches each surface's layer per size: park on the bowl, then widen the window
    // by one pixel per round so every switch below recomputes (the area stays within a pixel or
    // two of 512; the resize recomputes only the bowl).
    await page.selectOption('[data-testid="surface-select"]', 'quadratic');
    await frames(page, 3);
    await page.setViewportSize({ width: viewport.width + round_, height: viewport.height });
    await frames(page, 3);
    for (const id of Object.keys(per)) {
      const n = await page.evaluate(() => performance.getEntriesByName('gradscape:heatmap').length);
      await page.selectOption('[data-testid="surface-select"]', id);
      await page.waitForFunction((k) => performance.getEntriesByName('gradscape:heatmap').length > k, n);
      await frames(page, 2);
      const es = await page.evaluate(() => performance.getEntriesByName('gradscape:heatmap').map((e) => e.duration));
      // The first round warms the code paths; keep rounds 2–4.
      if (round_ > 0) per[id].push(es[es.length - 1]);
    }
  }
  await closePage(page);
  const all = Object.values(per).flat();
  const m = median(all);
  const size = `${cw - AXES_W}×${ch - AXES_H}`;
  row(`heat-map recompute at ${size} px plotting area (median, 3 surfaces × 3)`, round(m), 'ms', '≤ 15 ms', m <= 15);
  for (const [id, ds] of Object.entries(per)) row(`  heat-map ${id}`, round(median(ds)), 'ms', '≤ 15 ms', median(ds) <= 15);
  await taskHeatmap(browser, url, Math.max(...Object.values(per).map(median)));
}

/** Issue 10: the (w, b) heat-map of linear regression on 1,000 points, recomputed for new data
 * (the "new data" button), on the built-in surfaces' 512 × 512 area (the window is sized so the
 * task's parameter view has it: scaling a smaller area's time would scale its fixed costs too):
 * as fast as a built-in surface's, i.e. within their range (`slowest`, the slowest one's median
 * just measured). */
async function taskHeatmap(browser, url, slowest) {
  const { page } = await plotOf512(browser, url, '#task=linear&n=1000&opt=sgd(lr=0.1)', { width: 1280, height: 800 });
  const [cw, ch] = await page.$eval(BASE, (el) => [el.width, el.height]);
  const ms = [];
  for (let i = 0; i < 4; i += 1) {
    const n = await page.evaluate(() => performance.getEntriesByName('gradscape:heatmap').length);
    await page.click('[data-testid="data-regenerate"]');
    await page.waitForFunction((k) => performance.getEntriesByName('gradscape:heatmap').length > k, n);
    await frames(page, 2);
    const es = await page.evaluate(() => performance.getEntriesByName('gradscape:heatmap').map((e) => e.duration));
    if (i > 0) ms.push(es[es.length - 1]);
  }
  await closePage(page);
  const m = median(ms);
  row(`heat-map recompute, linear regression on 1,000 points at ${cw - AXES_W}×${ch - AXES_H} (median of 3)`,
    round(m), 'ms', `≤ slowest surface ${round(slowest)} ms`, m <= slowest);
}

// ------------------------------------------------------------------ playback and soak
async function setSpeed(page, stepsPerSecond) {
  await page.$eval('input[name="speed"]', (el, v) => {
    el.value = String(Math.log10(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, stepsPerSecond);
}
const isPlaying = (page) => page.$eval('[data-testid="play"]', (b) => b.textContent.includes('Pause'));

async function playback(browser, url) {
  const page = await freshPage(browser, url, TEN);
  await setSpeed(page, 100); // 5 s play 500 of 2,000 steps: it never reaches the end here
  await page.click('[data-testid="reset"]');
  await frames(page, 3);
  const { fps, longtasks, ms } = await page.evaluate(() => new Promise((ok) => {
    const start = window.__longtasks.length;
    document.querySelector('[data-testid="play"]').click();
    let n = 0;
    const t0 = performance.now();
    const loop = (t) => {
      if (t - t0 < 5000) { n += 1; requestAnimationFrame(loop); return; }
      const lt = window.__longtasks.slice(start);
      ok({ fps: n / ((t - t0) / 1000), longtasks: lt.length, ms: lt.reduce((a, b) => a + b, 0) });
    };
    requestAnimationFrame(loop);
  }));
  const step = await page.$eval('[data-testid="optimizer-card"]', (c) => Number(c.dataset.step));
  if (!(step > 100)) pageErrors.push(`bench: playback did not advance (step ${step})`);
  row(`frames per second while playing, ${TEN_COUNT} × ${TEN_STEPS} at 100 steps/s (5 s)`, round(fps), 'fps', '60', fps >= 57);
  row('long tasks (> 50 ms) while playing', longtasks, `tasks (${round(ms)} ms)`, '0', longtasks === 0);
  await closePage(page);
}

async function soak(browser, url) {
  if (!(SOAK_MINUTES > 0)) return;
  const page = await freshPage(browser, url, TEN);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await metrics(cdp)).JSHeapUsedSize;
  };
  const wasmBytes = () => page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? null);
  await setSpeed(page, 1000); // a full 2,000-step race every 2 s: many restarts, many redraws
  const heap0 = await heap(), wasm0 = await wasmBytes();
  const trail = [round(heap0 / 2 ** 20, 2)];
  let plays = 0;
  const end = Date.now() + SOAK_MINUTES * 60_000;
  let nextReading = Date.now() + 60_000;
  while (Date.now() < end) {
    if (!(await isPlaying(page))) { await page.click('[data-testid="play"]'); plays += 1; }
    await sleep(250);
    if (Date.now() >= nextReading) { trail.push(round((await heap()) / 2 ** 20, 2)); nextReading += 60_000; }
  }
  if (await isPlaying(page)) await page.click('[data-testid="play"]');
  const heap1 = await heap(), wasm1 = await wasmBytes();
  const growth = (heap1 - heap0) / heap0;
  console.error(`  soak: ${plays} plays; JS heap per minute (MB): ${trail.join(', ')}, ${round(heap1 / 2 ** 20, 2)}`);
  // The first minutes add V8's optimised code for the hot paths (a heap-snapshot diff shows
  // InstructionStream, Code and FeedbackVector objects, not the app's), then the heap is flat:
  // the goal applies from the end of that warm-up; the whole span is reported beside it.
  row(`JS heap after GC: start → after ${SOAK_MINUTES} min of play (${plays} plays)`,
    `${round(heap0 / 2 ** 20, 2)} → ${round(heap1 / 2 ** 20, 2)} (${growth >= 0 ? '+' : ''}${round(growth * 100)}%)`,
    'MB', 'report (includes JIT warm-up)', null);
  if (SOAK_MINUTES > WARMUP_MINUTES) {
    const warm = trail[WARMUP_MINUTES] * 2 ** 20;
    const flat = (heap1 - warm) / warm;
    row(`JS heap after GC: minute ${WARMUP_MINUTES} → minute ${SOAK_MINUTES} of play`,
      `${round(warm / 2 ** 20, 2)} → ${round(heap1 / 2 ** 20, 2)} (${flat >= 0 ? '+' : ''}${round(flat * 100)}%)`,
      'MB', 'growth < 10%', flat < 0.1);
  }
  if (wasm0 !== null) {
    row(`wasm linear memory: start → after ${SOAK_MINUTES} min`,
      `${round(wasm0 / 2 ** 20, 2)} → ${round(wasm1 / 2 ** 20, 2)}`, 'MB', 'flat', wasm1 <= wasm0 * 1.1);
  }
  await cdp.detach();
  await closePage(page);
}

// ------------------------------------------------------------------ sweep map, issue 13
// The sweep view's 64 × 64 grid × 500 steps of Adam on Rosenbrock (2 M steps): from the form's
// change to the complete map, computed in short tasks. Five runs, each with another
// threshold (so none comes from the view's cache), best and median with the machine's load
// (other builds share its cores); long tasks and the longest slice alongside.
async function sweepMap(browser, url) {
  const page = await freshPage(browser, url, '#surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01)',
    { width: 1280, height: 1000 });
  await page.click('[data-testid="sweep-view"] summary');
  await page.waitForSelector('[name="sweep_x"]');
  const times = [], shares = [], fps = [];
  let long = [];
  const load = [os.loadavg()[0]];
  for (const threshold of ['1e-3', '2e-3', '3e-3', '4e-3', '5e-3']) {
    const r = await page.evaluate((th) => new Promise((ok) => {
      const set = (name, v) => { document.querySelector(`[name="${name}"]`).value = v; };
      set('sweep_x_lo', '1e-4'); set('sweep_x_hi', '1'); set('sweep_x_scale', 'log'); set('sweep_x_n', '64');
      set('sweep_y_lo', '0'); set('sweep_y_hi', '0.99'); set('sweep_y_scale', 'lin'); set('sweep_y_n', '64');
      set('sweep_threshold', th);
      const view = document.querySelector('[data-testid="sweep-view"]');
      const before = window.__longtasks.length;
      const t0 = performance.now();
      document.querySelector('.sweep-form').dispatchEvent(new Event('change', { bubbles: true }));
      let frames = 0;
      const poll = () => {
        if (view.dataset.running === 'false' && +view.dataset.done === 4096) {
          const t1 = performance.now();
          const engine = performance.getEntriesByName('gradscape:sweep-slice')
            .filter((e) => e.startTime >= t0 && e.startTime < t1).reduce((a, e) => a + e.duration, 0);
          ok({ ms: t1 - t0, long: window.__longtasks.slice(before), share: engine / (t1 - t0), fps: frames / ((t1 - t0) / 1000) });
        } else {
          frames += 1;
          requestAnimationFrame(poll);
        }
      };
      requestAnimationFrame(poll);
    }), threshold);
    times.push(r.ms);
    shares.push(r.share);
    fps.push(r.fps);
    long = long.concat(r.long);
  }
  load.push(os.loadavg()[0]);
  const slices = await page.evaluate(() => performance.getEntriesByName('gradscape:sweep-slice').map((e) => e.duration));
  const ms = median(times);
  const loads = `load ${load.map((l) => l.toFixed(1)).join('→')}`;
  row(`sweep view: 64×64×500 Adam/Rosenbrock (2 M steps), change → complete map, median of 5 (${loads})`, round(ms), 'ms', '≤ 1000', ms <= 1000);
  row('— best of those 5', round(Math.min(...times)), 'ms', '≤ 1000', Math.min(...times) <= 1000);
  row('— long tasks (> 50 ms) during those 5 maps', long.length, 'tasks', '0', long.length === 0);
  row('— engine slices\' share of that time (median)', round(100 * median(shares)), '%', 'most', null);
  row('— animation frames while it computes (median)', round(median(fps)), 'fps', '60', null);
  row('— longest engine slice', round(Math.max(...slices)), 'ms', 'report', null);
  await closePage(page);
}

// ------------------------------------------------------------------ report
function machine(browserVersion) {
  let commit = null;
  try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: round(os.totalmem() / 2 ** 30),
    chromium: browserVersion,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    commit,
  };
}

function printTable() {
  const fmt = (r) => [r.name, `${r.value} ${r.unit}`, r.goal, r.ok === null ? '—' : r.ok ? 'yes' : 'NO'];
  const table = [['measure', 'value', 'goal', 'ok'], ...rows.map(fmt)];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log([line(table[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n'));
}

async function writeReport(header) {
  await mkdir(join(ROOT, 'target', 'bench'), { recursive: true });
  let report = {};
  if (existsSync(REPORT)) {
    try { report = JSON.parse(await readFile(REPORT, 'utf8')); } catch { report = {}; }
  }
  // Keep the rows benches/report.mjs wrote (criterion's engine numbers, named "engine …");
  // every browser row is this run's (their names carry run details, so they are not matched).
  const kept = (report.rows ?? []).filter((r) => r.name.startsWith('engine '));
  report = { ...report, ...header, rows: [...kept, ...rows] };
  await writeFile(REPORT, `${JSON.stringify(report, null, 2)}\n`);
}

// ------------------------------------------------------------------ main
if (!existsSync(join(DIST, 'index.html'))) {
  console.error('dist/ is missing: run `make build` first');
  process.exit(1);
}
const server = await serveDist();
const browser = await launch();
const header = { date: new Date().toISOString(), machine: machine(browser.version()) };
try {
  const only = process.env.BENCH_ONLY;
  const parts = [
    ['size', () => bundleSize()],
    ['first-path', () => firstPathAndLoad(browser, server.url)],
    ['input', () => inputCost(browser, server.url, TEN_STEPS)],
    ['input', () => inputCost(browser, server.url, 300)],
    ['tasks', () => inputCost(browser, server.url, TEN_STEPS, 'linear', 8)],
    ['tasks', () => inputCost(browser, server.url, TEN_STEPS, 'polynomial', 8)],
    ['tasks', () => inputCost(browser, server.url, TEN_STEPS, 'logistic', 30)],
    ['heatmap', () => heatmap(browser, server.url)],
    ['sweep', () => sweepMap(browser, server.url)],
    ['playback', () => playback(browser, server.url)],
    ['soak', () => soak(browser, server.url)],
  ];
  for (const [name, part] of parts) {
    if (!only || name.includes(only)) await part();
  }
} catch (e) {
  pageErrors.push(`bench: ${e.stack ?? e}`);
} finally {
  await browser.close();
  await server.close();
}
printTable();
if (!process.env.BENCH_ONLY) await writeReport(header);
console.log(`machine: ${JSON.stringify(header.machine)}  date: ${header.date}`);
console.log(`report: ${REPORT}`);
if (pageErrors.length) {
  console.error(`the page reported errors:\n${pageErrors.join('\n')}`);
  process.exit(1);
}
