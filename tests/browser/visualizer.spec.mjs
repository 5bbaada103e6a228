// The visualizer: the page equals the engine, reacts to every control, never breaks.
import assert from 'node:assert/strict';
import { newPage } from './harness.mjs';
import {
  open, cards, noErrors, shot, trace, setInput, waitCards, canvasStats, pathStats, surfaces,
} from './common.mjs';

/** The hover read-out's x and y with the pointer at (x, y) on the page. */
async function hoverAt(page, x, y) {
  await page.mouse.move(x, y);
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const text = await page.locator('[data-testid="hover-readout"]', { hasText: /x = / }).innerText();
  const [, hx, hy] = /x = (\S+)\s+y = (\S+)/.exec(text);
  return [Number(hx), Number(hy)];
}

/** The view's centre on the page. */
async function viewCentre(page) {
  const box = await page.locator('canvas.overlay').boundingBox();
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** A Shift-drag (the view's pan) from `[x, y]` by `[dx, dy]` pixels. */
async function shiftDrag(page, [x, y], [dx, dy]) {
  await page.keyboard.down('Shift');
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

/** The `view=` bounds in the link, or null. */
async function linkedView(page) {
  const hash = await page.evaluate(() => decodeURIComponent(location.hash));
  const m = /view=([^&]+)/.exec(hash);
  return m && m[1].split(',').map(Number);
}

const RACE = '#surface=rosenbrock&start=-1.2,1&steps=300&opt=adam(lr=0.01),sgd(lr=0.001)';

/** Sets Adam's lr to each of `values`, `gap` ms apart (0: two animation frames), and returns
 * the loss axes' pixel hash after each. */
async function axesDuring(page, values, gap) {
  return page.evaluate(([vs, wait]) => new Promise((ok) => {
    const el = document.querySelector('[data-optimizer="adam"] input[type="number"][name="lr"]');
    const axes = document.querySelector('[data-testid="loss-chart"] canvas.axes');
    const probe = document.createElement('canvas');
    [probe.width, probe.height] = [axes.width, axes.height];
    const ctx = probe.getContext('2d', { willReadFrequently: true });
    const hash = () => {
      ctx.clearRect(0, 0, probe.width, probe.height);
      ctx.drawImage(axes, 0, 0);
      const d = ctx.getImageData(0, 0, probe.width, probe.height).data;
      let h = 2166136261;
      for (let i = 0; i < d.length; i += 4) h = Math.imul(h ^ d[i] ^ (d[i + 1] << 8) ^ (d[i + 2] << 16), 16777619);
      return h >>> 0;
    };
    const out = [];
    const next = (i) => {
      if (i === vs.length) { ok(out); return; }
      el.value = String(vs[i]);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      const after = () => { out.push(hash()); next(i + 1); };
      if (wait) setTimeout(after, wait);
      else requestAnimationFrame(() => requestAnimationFrame(after));
    };
    next(0);
  }), [values, gap]);
}

export const tests = [
  {
    name: 'a linked race shows cards equal to the engine at the last step',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const cs = await cards(page);
      assert.equal(cs.length, 2);
      for (const [card, opt, lr] of [[cs[0], 'adam', '0.01'], [cs[1], 'sgd', '0.001']]) {
        const rows = trace(['--surface', 'rosenbrock', '--optimizer', opt, '--set', `lr=${lr}`,
          '--start', '-1.2,1', '--steps', '300']);
        const last = rows[300];
        assert.equal(card.optimizer, opt);
        assert.equal(card.step, '300');
        assert.equal(card.status, 'finished');
        // wasm and native compute the same bits: the text is identical.
        assert.deepEqual([card.x, card.y, card.loss], [last.x, last.y, last.loss], opt);
      }
      const heat = await canvasStats(page, 'canvas.base');
      assert.ok(heat.variance > 100, 'heat-map looks blank');
      const paths = await pathStats(page);
      assert.ok(paths.opaque > 300, 'no paths drawn');
      await shot(page, 'race');
      noErrors(page);
    },
  },
  {
    name: 'a quick run of inputs holds the loss axis, and a pause fits it again',
    async run({ browser, url }) {
      // Adam's lowest loss moves by decades over these rates (issue 9's drag).
      const lrs = [0.01, 0.02, 0.03, 0.04, 0.048, 0.016];
      const hash = '#surface=rosenbrock&start=-1.2,1&steps=2000&opt=sgd(lr=0.001),adam(lr=0.05),'
        + 'momentum(lr=0.0005)';
      const page = await open(browser, url, hash);
      // One by one, each input followed by a pause: the axis is fitted to every rate.
      const slow = await axesDuring(page, lrs, 600);
      const other = slow.findIndex((h) => h !== slow[0]);
      const same = slow.findIndex((h, i) => i > 0 && h === slow[0]);
      assert.ok(other > 0 && same > 0, `want rates with equal and with other fits: ${slow}`);
      // Quickly: a rate with another fit, then for a second two rates that share a fit. The
      // axis widens to hold both fits and stays so while the inputs go on, even though they
      // leave the fit alone for longer than the hold.
      const quick = await axesDuring(page, [lrs[other], ...Array(30).fill([lrs[0], lrs[same]]).flat()], 0);
      const redrawn = quick.slice(2).filter((h, i) => h !== quick[i + 1]).length;
      assert.equal(redrawn, 0, 'the loss axis was redrawn during a quick run of inputs');
      // After a pause the axis is fitted again: the last rate's fit alone.
      const [settled] = await axesDuring(page, [lrs[same]], 700);
      assert.equal(settled, slow[same], 'the axis was not fitted again after the pause');
      noErrors(page);
    },
  },
  {
    name: 'the Share dialog gives a link and an iframe snippet that reproduce the scene',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const before = await cards(page);
      await page.click('[data-testid="share"]');
      await page.locator('.embed-hide input[name="loss"]').check();
      await page.fill('.embed-size input[name="width"]', '640');
      await page.dispatchEvent('.embed-size input[name="width"]', 'change');
      const link = await page.inputValue('[data-testid="share-link"]');
      const snippet = await page.inputValue('[data-testid="share-snippet"]');
      assert.ok(!link.includes('embed='), link);
      assert.ok(link.endsWith('#v=1&surface=rosenbrock&start=-1.2,1&opt=adam(lr=0.01),sgd'), link);
      assert.match(snippet, /^<iframe src="[^"]+" width="640" height="560" title="gradscape: adam, sgd on rosenbrock" loading="lazy"><\/iframe>$/);
      const src = /src="([^"]+)"/.exec(snippet)[1].replaceAll('&amp;', '&');
      assert.ok(src.includes('&embed=1&hide=controls,loss'), src);
      await shot(page, 'share-dialog');
      // The link opens the same race; the embed link opens it embedded, minus what it hides.
      const full = await open(browser, link);
      assert.deepEqual(await cards(full), before);
      const embedded = await newPage(browser);
      await embedded.goto(src);
      await embedded.waitForFunction(() => document.querySelector('canvas.overlay')?.width > 0);
      assert.equal(await embedded.locator('[data-testid="controls"]').count(), 0);
      assert.equal(await embedded.locator('[data-testid="loss-chart"]').count(), 0);
      assert.deepEqual(await cards(embedded), []);
      noErrors(page);
      noErrors(full);
      noErrors(embedded);
    },
  },
  {
    name: 'changing lr on a card recomputes its path and values, and the link follows',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const before = await pathStats(page);
      const card = page.locator('[data-testid="optimizer-card"]').nth(1);
      await setInput(card.locator('input[type="number"][name="lr"]'), '0.0015');
      const rows = trace(['--surface', 'rosenbrock', '--optimizer', 'sgd', '--set', 'lr=0.0015',
        '--start', '-1.2,1', '--steps', '300']);
      const cs = await waitCards(page, (c) => c[1].x === rows[300].x, 'sgd at lr=0.0015');
      assert.equal(cs[0].optimizer, 'adam');
      const after = await pathStats(page);
      assert.notEqual(after.hash, before.hash, 'paths did not redraw');
      await page.waitForFunction(() => location.hash.includes('sgd(lr=0.0015)'));
      // The log slider sets the same value, rounded to three significant digits.
      await setInput(card.locator('input[type="range"][name="lr"]'), '-3.5', 'input');
      const slid = trace(['--surface', 'rosenbrock', '--optimizer', 'sgd', '--set', 'lr=0.000316',
        '--start', '-1.2,1', '--steps', '300']);
      await waitCards(page, (c) => c[1].x === slid[300].x, 'sgd at lr=0.000316 from the slider');
      assert.equal(await card.locator('input[type="number"][name="lr"]').inputValue(), '0.000316');
      noErrors(page);
    },
  },
  {
    name: 'clicking the surface moves the start; arrow keys nudge it',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const box = await page.locator('canvas.overlay').boundingBox();
      await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.3);
      await page.waitForFunction(() => !location.hash.includes('start=-1.2,1'));
      const hash = await page.evaluate(() => decodeURIComponent(location.hash));
      const [sx, sy] = /start=([^&]+)/.exec(hash)[1].split(',').map(Number);
      assert.ok(sx > 0 && sy > 1, `start moved to ${sx},${sy}`);
      const cs = await cards(page);
      const rows = trace(['--surface', 'rosenbrock', '--optimizer', 'adam', '--set', 'lr=0.01',
        '--start', `${sx},${sy}`, '--steps', '300']);
      assert.equal(cs[0].x, rows[300].x);
      await page.focus('canvas.overlay');
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((x) => !decodeURIComponent(location.hash).includes(`start=${x},`), String(sx));
      noErrors(page);
    },
  },
  {
    name: 'dragging the start handle moves it',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const box = await page.locator('canvas.overlay').boundingBox();
      // Find the handle: the start (-1.2, 1) in a view of [-2,2]×[-1,3] with the frame offset.
      const before = (await cards(page))[0].x;
      const frame = await page.evaluate(() => {
        const c = document.querySelector('canvas.overlay');
        return { w: c.clientWidth, h: c.clientHeight };
      });
      assert.ok(frame.w > 300);
      // Drag from wherever the white handle is drawn: scan the live layer for it (it covers
      // part of the view, from its offset on).
      const handle = await page.$eval('[data-testid="surface-view"] canvas.live', (c) => {
        const ctx = c.getContext('2d');
        const { data, width } = ctx.getImageData(0, 0, c.width, c.height);
        let best = null;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255 && data[i + 3] === 255) {
            const x = (i / 4) % width, y = Math.floor(i / 4 / width);
            best = best ?? { x, y, n: 0 };
            if (Math.abs(x - best.x) < 20 && Math.abs(y - best.y) < 20) best.n++;
          }
        }
        return best && {
          x: c.offsetLeft + best.x / (c.width / c.clientWidth),
          y: c.offsetTop + best.y / (c.height / c.clientHeight),
        };
      });
      assert.ok(handle, 'start handle not found');
      await page.mouse.move(box.x + handle.x, box.y + handle.y + 5);
      await page.mouse.down();
      await page.mouse.move(box.x + handle.x + 60, box.y + handle.y + 40, { steps: 5 });
      await page.mouse.up();
      await waitCards(page, (c) => c[0].x !== before, 'start to move by drag');
      noErrors(page);
    },
  },
  {
    name: 'play advances the step, step adds one, reset returns to 0',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      await page.click('[data-testid="reset"]');
      await waitCards(page, (c) => c.every((x) => x.step === '0' && x.status === 'running'), 'reset');
      await page.click('[data-testid="step"]');
      await waitCards(page, (c) => c[0].step === '1', 'one step');
      await page.waitForFunction(() => location.hash.includes('t=1'));
      await page.click('[data-testid="play"]');
      await waitCards(page, (c) => Number(c[0].step) > 5, 'playing');
      // The link is not rewritten every frame while playing (each rewrite refetches the
      // favicon); pausing writes the playhead into it.
      await page.waitForTimeout(400);
      assert.match(await page.evaluate(() => location.hash), /(^|&)t=1(&|$)/, 'link rewritten while playing');
      await page.click('[data-testid="play"]');
      const paused = (await cards(page))[0].step;
      await page.waitForTimeout(200);
      assert.equal((await cards(page))[0].step, paused, 'pause did not stop');
      await page.waitForFunction((t) => location.hash.includes(`t=${t}`), paused);
      await shot(page, 'paused');
      await page.click('[data-testid="reset"]');
      await waitCards(page, (c) => c[0].step === '0', 'reset again');
      noErrors(page);
    },
  },
  {
    name: 'a diverging learning rate marks only that card diverged',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=rosenbrock&start=-1.2,1&steps=300&opt=adam(lr=0.01),sgd(lr=0.1)');
      const cs = await cards(page);
      assert.equal(cs[1].status, 'diverged');
      assert.equal(cs[0].status, 'finished');
      for (const c of cs) for (const k of ['x', 'y', 'loss']) assert.ok(Number.isFinite(Number(c[k])), `${k}=${c[k]}`);
      const text = await page.locator('[data-testid="optimizer-card"]').nth(1).innerText();
      assert.match(text, /diverged at step \d+/);
      await shot(page, 'diverged');
      noErrors(page);
    },
  },
  {
    name: 'a diverged card explains why, with the curvature and bound, and its one-click fix converges',
    async run({ browser, url }) {
      // f = ½(x² + 10y²): λmax = 10, so SGD needs η < 0.2 and momentum 0.9 needs η < 0.38.
      const page = await open(browser, url,
        '#surface=quadratic&start=3,1.5&steps=300&opt=sgd(lr=0.3),momentum(lr=0.5),adam(lr=0.05)');
      const card = (i) => page.locator('[data-testid="optimizer-card"]').nth(i);
      let cs = await cards(page);
      assert.deepEqual(cs.map((c) => c.status), ['diverged', 'diverged', 'finished']);
      const sgd = await card(0).innerText();
      assert.match(sgd, /λmax = 10\b/);
      assert.match(sgd, /stable only while η·λ < 2: here η < 0\.2\b/);
      const momentum = await card(1).innerText();
      assert.match(momentum, /η·\(1 − τ\)·λ < 2\(1 \+ μ\): here η < 0\.38\b/);
      assert.ok(await card(2).getByTestId('fix-lr').isHidden());
      await shot(page, 'diverged-explained');
      await card(0).getByTestId('fix-lr').click();
      await card(1).getByTestId('fix-lr').click();
      cs = await waitCards(page, (c) => c[0].status === 'finished' && c[1].status === 'finished', 'fixed cards');
      assert.equal(await card(0).locator('input[name="lr"]:not([type="range"])').inputValue(), '0.1');
      assert.equal(await card(1).locator('input[name="lr"]:not([type="range"])').inputValue(), '0.2');
      for (const c of cs.slice(0, 2)) assert.ok(Number(c.loss) < 1e-6, `converged: ${c.loss}`);
      for (const i of [0, 1, 2]) assert.ok(await card(i).getByTestId('fix-lr').isHidden());
      await page.waitForFunction(() => location.hash.includes('sgd(lr=0.1),momentum(lr=0.2)'));
      noErrors(page);
    },
  },
  {
    name: 'add and remove optimizers; ten race at once',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const ids = ['momentum', 'nesterov', 'rmsprop', 'adagrad', 'adamw', 'nadam', 'lion', 'newton'];
      for (const id of ids) {
        await page.selectOption('select[name="new-optimizer"]', id);
        await page.click('[data-testid="add-optimizer"]');
      }
      let cs = await waitCards(page, (c) => c.length === 10, 'ten cards');
      assert.deepEqual(cs.slice(2).map((c) => c.optimizer), ids);
      assert.ok(cs.every((c) => c.step !== undefined));
      await shot(page, 'ten');
      await page.locator('[data-testid="optimizer-card"]').nth(0).locator('button.remove').click();
      cs = await waitCards(page, (c) => c.length === 9, 'nine cards');
      assert.equal(cs[0].optimizer, 'sgd');
      noErrors(page);
    },
  },
  {
    name: 'a bad custom formula shows where it fails and keeps the surface; a good one redraws',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      await page.selectOption('[data-testid="surface-select"]', 'custom');
      const expr = page.locator('input[name="expr"]');
      await expr.waitFor();
      const before = await canvasStats(page, 'canvas.base');
      await setInput(expr, 'x^2 + * y');
      await page.locator('[data-testid="expr-error"]').waitFor();
      const err = await page.locator('[data-testid="expr-error"]').innerText();
      assert.match(err, /character 7/);
      assert.equal((await canvasStats(page, 'canvas.base')).hash, before.hash, 'surface changed on error');
      await setInput(expr, 'x^2 + 5*y^2');
      await page.waitForFunction(() => !document.querySelector('[data-testid="expr-error"]'));
      await page.waitForTimeout(100);
      assert.notEqual((await canvasStats(page, 'canvas.base')).hash, before.hash, 'no redraw');
      await page.waitForFunction(() => decodeURIComponent(location.hash).includes('expr=x^2'));
      await shot(page, 'custom');
      // Leaving with a broken formula and coming back reopens the field with its error.
      await setInput(expr, 'sin(');
      await page.locator('[data-testid="expr-error"]').waitFor();
      await page.selectOption('[data-testid="surface-select"]', 'rastrigin');
      await page.waitForFunction(() => location.hash.includes('surface=rastrigin'));
      await page.selectOption('[data-testid="surface-select"]', 'custom');
      await page.locator('[data-testid="expr-error"]').waitFor();
      assert.equal(await expr.inputValue(), 'sin(');
      assert.equal(await page.inputValue('[data-testid="surface-select"]'), 'custom');
      await setInput(expr, 'sin(x) + y^2');
      await page.waitForFunction(() => decodeURIComponent(location.hash).includes('expr=sin(x)'));
      noErrors(page);
    },
  },
  {
    name: 'every surface draws a heat-map and finite cards',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const ids = await page.$$eval('[data-testid="surface-select"] option', (os) => os.map((o) => o.value));
      assert.ok(ids.length >= 14);
      let previous = null;
      for (const id of ids.filter((i) => i !== 'custom')) {
        await page.selectOption('[data-testid="surface-select"]', id);
        await page.waitForFunction((i) => location.hash.includes(`surface=${i}`), id);
        const heat = await canvasStats(page, 'canvas.base');
        assert.ok(heat.variance > 50, `${id}: heat-map blank`);
        assert.notEqual(heat.hash, previous, `${id}: heat-map unchanged`);
        previous = heat.hash;
        for (const c of await cards(page)) {
          assert.ok(Number.isFinite(Number(c.loss)), `${id}/${c.optimizer}: loss ${c.loss}`);
        }
      }
      noErrors(page);
    },
  },
  {
    name: 'bad links show one notice per key and the page still works',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=nope&opt=adamm(lr=1),sgd(lr=-5),adam(lr=0.02)&steps=abc&bogus=1');
      const notice = await page.locator('[data-testid="notice"]').innerText();
      for (const key of ['surface', 'opt', 'steps', 'bogus']) assert.match(notice, new RegExp(key));
      const cs = await cards(page);
      assert.deepEqual(cs.map((c) => c.optimizer), ['adam']);
      await shot(page, 'bad-link');
      noErrors(page);
    },
  },
  {
    name: 'absurd values in fields are refused with a notice and snap back',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      const field = page.locator('[data-testid="optimizer-card"]').nth(0).locator('input[type="number"][name="lr"]');
      for (const bad of ['1e300', '-3', 'abc', 'NaN', 'Infinity']) {
        await setInput(field, bad);
        assert.equal(await field.inputValue(), '0.01', `field kept ${bad}`);
      }
      const notice = await page.locator('[data-testid="notice"]').innerText();
      assert.match(notice, /lr/);
      const steps = page.locator('input[type="number"][name="steps"]');
      await setInput(steps, '5000000');
      assert.equal(await steps.inputValue(), '300');
      assert.equal((await cards(page))[0].status, 'finished');
      noErrors(page);
    },
  },
  {
    name: 'looks right: dark theme, narrow screen, HiDPI',
    async run({ browser, url }) {
      const dark = await open(browser, url, `${RACE}&theme=dark&vectors=1&t=150`);
      await shot(dark, 'dark');
      noErrors(dark);
      const narrow = await open(browser, url, RACE, { width: 390, height: 844 });
      await shot(narrow, 'narrow');
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `page scrolls sideways (${width}px)`);
      noErrors(narrow);
      const hidpi = await open(browser, url, RACE, { deviceScaleFactor: 2 });
      const c = await hidpi.$eval('canvas.base', (el) => [el.width, el.clientWidth]);
      assert.equal(c[0], c[1] * 2, 'canvas not HiDPI');
      await shot(hidpi, 'hidpi');
      noErrors(hidpi);
    },
  },
  {
    name: 'arrows, loss chart read-out and seek, hover read-out, 3-D view with rotation',
    async run({ browser, url }) {
      const page = await open(browser, url, `${RACE}&t=40`);
      const plain = await pathStats(page);
      await page.check('input[name="vectors"]');
      await page.waitForFunction(() => location.hash.includes('vectors=1'));
      const withArrows = await pathStats(page);
      assert.notEqual(withArrows.hash, plain.hash, 'arrows not drawn');
      const adamText = await page.locator('[data-testid="optimizer-card"]').nth(0).innerText();
      assert.match(adamText, /effective lr \(x, y\) = \(/);
      // Loss chart: drawn, hover reads every loss, a click seeks the playhead.
      const chart = page.locator('[data-testid="loss-chart"] canvas.playhead');
      assert.ok((await canvasStats(page, '[data-testid="loss-chart"] canvas.axes')).variance > 100, 'loss axes blank');
      assert.ok((await canvasStats(page, '[data-testid="loss-chart"] canvas.curves')).opaque > 1000, 'loss curves not drawn');
      const box = await chart.boundingBox();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.locator('[data-testid="loss-chart"] .hover-readout', { hasText: /step \d+: Adam/ }).waitFor();
      await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
      const cs = await waitCards(page, (c) => Number(c[0].step) > 100, 'seek by chart click');
      assert.ok(Number(cs[0].step) < 250);
      // Hover on the surface reads x, y, f, ‖∇f‖ from the engine.
      const view = await page.locator('canvas.overlay').boundingBox();
      await page.mouse.move(view.x + view.width * 0.5, view.y + view.height * 0.5);
      await page.locator('[data-testid="hover-readout"]', { hasText: /‖∇f‖ = / }).waitFor();
      await shot(page, 'arrows');
      // 3-D: drawn, and dragging rotates it.
      await page.check('input[name="3d"]');
      await page.waitForSelector('canvas.solid');
      await page.waitForTimeout(100);
      const before = await canvasStats(page, 'canvas.solid');
      assert.ok(before.variance > 100, '3-D view blank');
      const solid = await page.locator('canvas.solid').boundingBox();
      await page.mouse.move(solid.x + solid.width / 2, solid.y + solid.height / 2);
      await page.mouse.down();
      await page.mouse.move(solid.x + solid.width / 2 + 80, solid.y + solid.height / 2 + 20, { steps: 4 });
      await page.mouse.up();
      const after = await canvasStats(page, 'canvas.solid');
      assert.notEqual(after.hash, before.hash, 'drag did not rotate');
      await page.waitForFunction(() => location.hash.includes('3d=1'));
      await shot(page, '3d');
      noErrors(page);
    },
  },
  {
    name: 'true aspect: 80 px right and 80 px down move x and y alike on every surface, wide and narrow',
    async run({ browser, url }) {
      const ids = surfaces().filter((s) => s.view).map((s) => s.id);
      assert.ok(ids.length >= 13, `only ${ids.length} surfaces listed`);
      for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
        for (const id of ids) {
          const page = await open(browser, url, `#surface=${id}&opt=sgd`, viewport);
          const [cx, cy] = await viewCentre(page);
          const [x0, y0] = await hoverAt(page, cx, cy);
          const [x1, y1] = await hoverAt(page, cx + 80, cy + 80);
          const dx = x1 - x0, dy = y0 - y1;
          assert.ok(dx > 0 && dy > 0, `${id}: hover did not move (${dx}, ${dy})`);
          assert.ok(Math.abs(dx - dy) <= 0.03 * dx,
            `${id} at ${viewport.width}×${viewport.height}: 80 px is ${dx} in x but ${dy} in y`);
          if (id === 'himmelblau') await shot(page, `aspect-${viewport.width}`);
          noErrors(page);
          await page.context().close();
        }
      }
    },
  },
  {
    name: 'stretch to fill: "1:1" off gives each axis its own scale, in the link, and on again restores true aspect',
    async run({ browser, url }) {
      // Himmelblau's own region is square: at true aspect the plotting area's longer axis is
      // widened; stretched, the region fills the area, so that axis's scale shrinks and the
      // other's stays.
      for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
        const page = await open(browser, url, '#surface=himmelblau&opt=sgd', viewport);
        const scales = async () => {
          const [cx, cy] = await viewCentre(page);
          const [x0, y0] = await hoverAt(page, cx, cy);
          const [x1, y1] = await hoverAt(page, cx + 40, cy + 40);
          return [(x1 - x0) / 40, (y0 - y1) / 40];
        };
        const button = page.locator('[data-testid="true-aspect"]');
        assert.equal(await button.getAttribute('aria-pressed'), 'true');
        const [ux, uy] = await scales();
        assert.ok(Math.abs(ux - uy) <= 0.03 * ux, `not at true aspect: ${ux} vs ${uy}`);
        await button.click();
        await page.waitForFunction(() => location.hash.includes('stretch=1'));
        assert.equal(await button.getAttribute('aria-pressed'), 'false');
        await page.waitForTimeout(100);
        const [sx, sy] = await scales();
        const [kept, shrunk] = sx / ux > sy / uy ? [[sx, ux], [sy, uy]] : [[sy, uy], [sx, ux]];
        assert.ok(Math.abs(kept[0] - kept[1]) <= 0.03 * kept[1], `the filled axis changed scale: ${kept}`);
        assert.ok(shrunk[0] < 0.95 * shrunk[1], `the widened axis did not stretch: ${shrunk}`);
        await shot(page, `stretch-${viewport.width}`);
        // A Shift-drag pans each axis by its own scale: the world follows the pointer.
        const [cx, cy] = await viewCentre(page);
        await shiftDrag(page, [cx, cy], [-60, 40]);
        await page.waitForFunction(() => location.hash.includes('view='));
        const panned = await linkedView(page);
        assert.ok(Math.abs((panned[0] + 5) - 60 * sx) <= 0.05 * 60 * sx, `x panned ${panned[0] + 5}, not ${60 * sx}`);
        assert.ok(Math.abs((panned[2] + 5) - 40 * sy) <= 0.05 * 40 * sy, `y panned ${panned[2] + 5}, not ${40 * sy}`);
        await page.click('[data-testid="zoom-fit"]');
        await page.waitForFunction(() => !location.hash.includes('view='));
        // The link reproduces it; "1:1" again puts the aspect back and drops the key.
        const again = await open(browser, url, await page.evaluate(() => location.hash), viewport);
        assert.equal(await again.locator('[data-testid="true-aspect"]').getAttribute('aria-pressed'), 'false');
        await button.click();
        await page.waitForFunction(() => !location.hash.includes('stretch'));
        await page.waitForTimeout(100);
        const [bx, by] = await scales();
        assert.ok(Math.abs(bx - by) <= 0.03 * bx, `aspect not restored: ${bx} vs ${by}`);
        // The key "1" on the view toggles it too.
        await page.focus('canvas.overlay');
        await page.keyboard.press('1');
        await page.waitForFunction(() => location.hash.includes('stretch=1'));
        noErrors(page);
        noErrors(again);
        await page.context().close();
        await again.context().close();
      }
      // A slope-and-intercept plane, stretched: a look at a task with axes of different units.
      const task = await open(browser, url, '#task=polynomial&degree=3&opt=adam(lr=0.05)&steps=500&stretch=1');
      await shot(task, 'stretch-task');
      noErrors(task);
    },
  },
  {
    name: 'wheel zooms about the pointer, Shift-drag pans, fit restores; the view is in the link and reloads',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=quadratic&start=3,1.5&opt=sgd(lr=0.05)');
      const [cx, cy] = await viewCentre(page);
      const target = [cx + 120, cy - 60];
      const before = await hoverAt(page, ...target);
      await page.mouse.wheel(0, -300);
      await page.waitForFunction(() => location.hash.includes('view='));
      const zoomed = await linkedView(page);
      // Zoomed in by 1.2³ about the pointer: the point under it stays under it.
      const under = await hoverAt(page, ...target);
      const span = zoomed[1] - zoomed[0];
      assert.ok(Math.abs(under[0] - before[0]) <= span / 200 && Math.abs(under[1] - before[1]) <= span / 200,
        `point under the pointer moved: ${before} → ${under}`);
      const [w0, w1] = [await hoverAt(page, cx, cy), await hoverAt(page, cx + 80, cy + 80)];
      assert.ok(Math.abs((w1[0] - w0[0]) - (w0[1] - w1[1])) <= 0.03 * (w1[0] - w0[0]), 'zoom broke the aspect');
      // Shift-drag pans by the drag: the world moves with the pointer.
      const start = (await cards(page))[0].x;
      await shiftDrag(page, [cx, cy], [-100, 50]);
      await page.waitForFunction((v) => !decodeURIComponent(location.hash).includes(`view=${v}`), zoomed.join(','));
      const panned = await linkedView(page);
      const perPx = span / (await page.locator('canvas.overlay').boundingBox()).width;
      assert.ok(panned[0] > zoomed[0] && panned[3] > zoomed[3], `pan went the wrong way: ${zoomed} → ${panned}`);
      assert.ok(Math.abs(panned[1] - panned[0] - span) < span * 1e-3, 'pan changed the zoom');
      assert.ok((panned[0] - zoomed[0]) / perPx > 60, 'pan moved too little');
      assert.equal((await cards(page))[0].x, start, 'a Shift-drag moved the start');
      // The link reproduces the view.
      const link = await page.evaluate(() => location.hash);
      const again = await open(browser, url, link);
      assert.deepEqual(await linkedView(again), panned);
      const here = await hoverAt(page, cx, cy), there = await hoverAt(again, cx, cy);
      assert.ok(Math.abs(here[0] - there[0]) <= span / 500 && Math.abs(here[1] - there[1]) <= span / 500,
        `reloaded view differs: ${here} vs ${there}`);
      await shot(again, 'zoomed');
      // Buttons and keys: zoom out, then fit returns to the surface's own region.
      await page.click('[data-testid="zoom-out"]');
      await page.waitForFunction((v) => !decodeURIComponent(location.hash).includes(`view=${v}`), panned.join(','));
      await page.click('[data-testid="zoom-fit"]');
      await page.waitForFunction(() => !location.hash.includes('view='));
      await page.focus('canvas.overlay');
      await page.keyboard.press('+');
      await page.waitForFunction(() => location.hash.includes('view='));
      await page.keyboard.press('0');
      await page.waitForFunction(() => !location.hash.includes('view='));
      noErrors(page);
      noErrors(again);
    },
  },
  {
    name: 'touch: a tap moves the start, a two-finger pinch zooms without moving it',
    async run({ browser, url }) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.goto(`${url}#surface=quadratic&start=3,1.5&opt=sgd(lr=0.05)`);
      await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
      const box = await page.locator('canvas.overlay').boundingBox();
      const cdp = await context.newCDPSession(page);
      const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', {
        type, touchPoints: points.map(([x, y], id) => ({ x, y, id })),
      });
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      // Pinch out: two fingers 40 px apart move to 160 px apart.
      await touch('touchStart', [[cx - 20, cy]]);
      await touch('touchStart', [[cx - 20, cy], [cx + 20, cy]]);
      for (const d of [40, 70, 100, 130, 160]) await touch('touchMove', [[cx - d / 2, cy], [cx + d / 2, cy]]);
      await touch('touchEnd', []);
      await page.waitForFunction(() => location.hash.includes('view='));
      const hash = await page.evaluate(() => decodeURIComponent(location.hash));
      assert.ok(hash.includes('start=3,1.5'), `the pinch moved the start: ${hash}`);
      const [x0, x1, y0, y1] = /view=([^&]+)/.exec(hash)[1].split(',').map(Number);
      // The bowl's own view is 8 wide; spreading the fingers fourfold leaves about 2.
      assert.ok(x1 - x0 < 4 && y1 - y0 > 0, `pinch did not zoom in: ${[x0, x1, y0, y1]}`);
      // A tap moves the start.
      await touch('touchStart', [[box.x + box.width * 0.3, box.y + box.height * 0.7]]);
      await touch('touchEnd', []);
      await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('start=3,1.5'));
      await page.screenshot({ path: 'target/screenshots/touch.png' });
      assert.deepEqual(errors, []);
      await context.close();
    },
  },
];
