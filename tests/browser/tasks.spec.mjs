// Learning tasks on the page: each loads from a link and draws; the cards equal `gradscape fit`
// exactly; data edits move the optimum; a bad CSV keeps the data and says which line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { open, cards, noErrors, shot, canvasStats, pathStats, setInput, waitCards } from './common.mjs';

/** `gradscape fit …` as rows keyed by column. */
function fit(args) {
  const out = execFileSync(join(ROOT, 'target', 'debug', 'gradscape'), ['fit', ...args], { encoding: 'utf8' });
  const [header, ...rows] = out.trim().split('\n');
  const keys = header.split(',');
  return { keys, rows: rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [keys[i], v]))) };
}

/** Fails unless the fit view shows something: points and lines, not a blank panel. */
async function fitDrawn(page) {
  const axes = await canvasStats(page, '[data-testid="fit-view"] canvas.fit-axes');
  const live = await canvasStats(page, '[data-testid="fit-view"] canvas.fit-live');
  const kept = await canvasStats(page, '[data-testid="fit-view"] canvas.fit-kept');
  const stats = { axes, live, kept };
  assert.ok(axes.variance > 50 && live.opaque + kept.opaque > 300,
    `fit view looks blank: ${JSON.stringify(stats)}`);
}

const LINEAR = '#task=linear&n=40&seed=3&batch=1&steps=400&opt=sgd(lr=0.1),sgd(lr=0.1)&t=400';

export const tests = [
  {
    name: 'every task loads from a link, draws its fit view and paths, with no console error',
    async run({ browser, url }) {
      for (const [name, hash] of [
        ['linear', LINEAR],
        ['polynomial', '#task=polynomial&degree=12&l2=0&n=30&steps=2000&opt=adam(lr=0.05)'],
        ['logistic', '#task=logistic&dataset=moons&data_noise=0.1&steps=500&opt=sgd(lr=1),adam(lr=0.05)'],
      ]) {
        const page = await open(browser, url, hash);
        await fitDrawn(page);
        const paths = await pathStats(page);
        assert.ok(paths.opaque > 200, `${name}: no paths`);
        const heat = await canvasStats(page, 'canvas.base');
        assert.ok(heat.variance > 100, `${name}: blank heat-map`);
        if (name !== 'linear') {
          await page.waitForSelector('[data-testid="metric-chart"]');
          const metric = await canvasStats(page, '[data-testid="metric-chart"] canvas.curves');
          assert.ok(metric.opaque > 100, `${name}: no metric curves`);
        }
        await shot(page, `task-${name}`);
        noErrors(page);
      }
    },
  },
  {
    name: 'plane=pca shows the paths on their PCA plane through the optimum, with a caption saying so',
    async run({ browser, url }) {
      const caption = (page) => page.locator('[data-testid="hover-readout"]').innerText();
      const poly = '#task=polynomial&degree=5&n=60&seed=2&steps=400&opt=sgd(lr=0.1),momentum(lr=0.05),adam(lr=0.05)';
      const page = await open(browser, url, `${poly}&plane=pca`);
      await fitDrawn(page);
      assert.match(await caption(page), /PCA plane.*through the optimum/);
      assert.equal(await page.locator('select[name="plane"]').inputValue(), 'pca');
      const paths = await pathStats(page);
      assert.ok(paths.opaque > 200, `no paths on the PCA plane: ${JSON.stringify(paths)}`);
      assert.ok((await canvasStats(page, 'canvas.base')).variance > 100, 'blank heat-map on the PCA plane');
      await shot(page, 'task-polynomial-pca');
      const params = (await cards(page)).map((c) => c.params);
      const drawnPca = (await cards(page)).map((c) => c.x);
      // Back to the two weights: the caption names them, the link drops the key, the runs stay.
      await page.selectOption('select[name="plane"]', 'weights');
      await page.waitForFunction(() => !location.hash.includes('plane='));
      assert.match(await caption(page), /w0 and w1/);
      assert.deepEqual((await cards(page)).map((c) => c.params), params, 'the plane only changes the drawing');
      await page.selectOption('select[name="plane"]', 'pca');
      await page.waitForFunction(() => location.hash.includes('plane=pca'));
      noErrors(page);
      await page.close();
      assert.equal(drawnPca.length, 3);

      // Logistic (three parameters): through the reference point; in Chinese too; dark.
      const lg = await open(browser, url, '#task=logistic&steps=300&opt=sgd(lr=1),adam(lr=0.05)&plane=pca&lang=zh&theme=dark');
      assert.match(await caption(lg), /PCA 平面.*参考点/);
      assert.ok((await pathStats(lg)).opaque > 200, 'no logistic paths');
      await shot(lg, 'task-logistic-pca-dark');
      noErrors(lg);
      await lg.close();
      // The linear task has two parameters: no plane to choose.
      const lin = await open(browser, url, `${LINEAR}&plane=pca`);
      assert.equal(await lin.locator('select[name="plane"]').isVisible(), false);
      assert.match(await caption(lin), /\(w, b\)/);
      noErrors(lin);
    },
  },
  {
    name: 'each task on a 390 px phone, light and dark: nothing wider than the screen, views drawn',
    async run({ browser, url }) {
      for (const [name, hash] of [
        ['linear', LINEAR],
        ['polynomial', '#task=polynomial&degree=12&l2=0&n=30&steps=500&opt=sgd(lr=0.1),adam(lr=0.05),momentum(lr=0.05)'],
        ['logistic', '#task=logistic&dataset=moons&data_noise=0.1&steps=300&opt=sgd(lr=1),adam(lr=0.05)'],
      ]) {
        for (const theme of ['light', 'dark']) {
          const page = await open(browser, url, `${hash}&theme=${theme}`, { width: 390, height: 844 });
          await fitDrawn(page);
          const wide = await page.evaluate(() => {
            const out = [];
            // Inside a box that scrolls or clips sideways (the formula's value table) is fine.
            const contained = (el) => {
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (/auto|scroll|hidden/.test(getComputedStyle(a).overflowX)) return a.getBoundingClientRect().right <= 391;
              }
              return false;
            };
            for (const el of document.querySelectorAll('main *, header *')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && (r.right > 391 || r.left < -1) && !contained(el)) {
                out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
              }
            }
            return { scroll: document.documentElement.scrollWidth, out: out.slice(0, 8) };
          });
          assert.ok(wide.scroll <= 390 && wide.out.length === 0, `${name} ${theme}: ${JSON.stringify(wide)}`);
          await shot(page, `task-${name}-390-${theme}`);
          for (const [part, sel] of [['fit', '[data-testid="fit-view"]'], ['surface', '[data-testid="surface-view"]'],
            ['charts', '[data-testid="loss-chart"]'], ['metric', '[data-testid="metric-chart"]'],
            ['panel', 'section.panel:has([data-testid="task-select"])']]) {
            const el = page.locator(sel).first();
            if (await el.count()) await el.screenshot({ path: join(ROOT, 'target', 'screenshots', `task-${name}-390-${theme}-${part}.png`) });
          }
          noErrors(page);
          await page.close();
        }
      }
    },
  },
  {
    name: 'the cards equal gradscape fit exactly, mini-batches and all',
    async run({ browser, url }) {
      const page = await open(browser, url, LINEAR);
      const { rows } = fit(['--task', 'linear', '--n', '40', '--seed', '3', '--batch', '1',
        '--steps', '400', '--optimizer', 'sgd', '--set', 'lr=0.1']);
      const last = rows[400];
      const cs = await cards(page);
      assert.equal(cs.length, 2);
      for (const c of cs) {
        assert.equal(c.params, `${last.w},${last.b}`);
        assert.equal(c.loss, last.loss);
      }
      // Full batch glides where batch 1 jitters: same rate, a different path.
      await page.locator('input[name="minibatch"]').uncheck();
      const full = fit(['--task', 'linear', '--n', '40', '--seed', '3', '--steps', '400',
        '--optimizer', 'sgd', '--set', 'lr=0.1']).rows[400];
      await waitCards(page, (c) => c[0].params === `${full.w},${full.b}`, 'the full-batch fit');
      await page.waitForFunction(() => !location.hash.includes('batch='));
      noErrors(page);
    },
  },
  {
    name: 'one link races SGD with batch 1 beside full-batch SGD, each equal to gradscape fit',
    async run({ browser, url }) {
      const hash = '#task=linear&n=50&seed=3&steps=300&opt=sgd(lr=0.1,batch=1),sgd(lr=0.1,batch=0)';
      const page = await open(browser, url, hash);
      const base = ['--task', 'linear', '--n', '50', '--seed', '3', '--steps', '300', '--optimizer', 'sgd', '--set', 'lr=0.1'];
      const one = fit([...base, '--batch', '1']).rows[300];
      const full = fit(base).rows[300];
      const cs = await cards(page);
      assert.deepEqual(cs.map((c) => c.params), [`${one.w},${one.b}`, `${full.w},${full.b}`]);
      assert.notEqual(cs[0].params, cs[1].params);
      // The card's own batch control changes only that card.
      await page.locator('[data-testid="optimizer-card"]').nth(0).locator('select[name="card_batch"]').selectOption('0');
      await waitCards(page, (c) => c[0].params === c[1].params, 'both cards at full batch');
      await page.waitForFunction(() => location.hash.includes('opt=sgd(lr=0.1,batch=0),sgd(lr=0.1,batch=0)'));
      await shot(page, 'task-batch-race');
      noErrors(page);
    },
  },
  {
    name: 'adding a point on the fit view moves the least-squares optimum, and Ctrl+Z undoes it',
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=linear&n=20&seed=1&steps=50&opt=sgd(lr=0.1)');
      const before = await canvasStats(page, 'canvas.base');
      const box = await page.locator('[data-testid="fit-view"] canvas.fit-live').boundingBox();
      // Far above the line, at the right: the fit tilts up.
      await page.mouse.click(box.x + box.width * 0.85, box.y + box.height * 0.12);
      await page.waitForFunction(() => location.hash.includes('data='));
      const hash = await page.evaluate(() => location.hash);
      const points = decodeURIComponent(/data=([^&]+)/.exec(hash)[1]).split(';');
      assert.equal(points.length, 21, 'one point more');
      const after = await canvasStats(page, 'canvas.base');
      assert.notEqual(after.hash, before.hash, 'the loss surface (and its optimum) did not change');
      await page.focus('[data-testid="fit-view"] canvas.fit-live');
      await page.keyboard.press('Control+z');
      await page.waitForFunction(() => !location.hash.includes('data='));
      noErrors(page);
    },
  },
  {
    name: 'choosing two moons gives them a noise that shows the crescents',
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=logistic&steps=100&opt=sgd(lr=1)');
      await page.selectOption('select[name="dataset"]', 'moons');
      await page.waitForFunction(() => location.hash.includes('dataset=moons') && location.hash.includes('data_noise=0.1'));
      assert.equal(await page.inputValue('input[type="number"][name="data_noise"]'), '0.1');
      noErrors(page);
    },
  },
  {
    name: 'the keyboard alone adds and removes points on the fit view',
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=linear&n=20&seed=1&steps=50&opt=sgd(lr=0.1)');
      const count = () => page.evaluate(() => {
        const m = /data=([^&]+)/.exec(location.hash);
        return m ? decodeURIComponent(m[1]).split(';').length : null;
      });
      await page.focus('[data-testid="fit-view"] canvas.fit-live');
      await page.keyboard.press('Shift+ArrowUp');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash.includes('data='));
      assert.equal(await count(), 21);
      // The cross is where the point went: Delete takes it away again.
      await page.keyboard.press('Delete');
      await page.waitForFunction(() => (/data=([^&]+)/.exec(location.hash)?.[1] ?? '').split(';').length === 20);
      await shot(page, 'task-keyboard');
      noErrors(page);
    },
  },
  {
    name: 'a bad CSV names its line and keeps the data; a good one replaces them',
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=linear&n=20&steps=50&opt=sgd(lr=0.1)');
      const before = await cards(page);
      await page.click('.csv summary');
      await setInput(page.locator('textarea[name="csv"]'), 'x,y\n0,1\n0.5,oops\n1,3', 'input');
      await page.click('[data-testid="csv-load"]');
      await page.waitForSelector('[data-testid="notice"] p');
      const notice = await page.locator('[data-testid="notice"]').innerText();
      assert.match(notice, /line 3/);
      assert.deepEqual(await cards(page), before, 'the data stayed');
      await setInput(page.locator('textarea[name="csv"]'), 'x,y\n0,1\n0.5,2\n1,3', 'input');
      await page.click('[data-testid="csv-load"]');
      await page.waitForFunction(() => location.hash.includes('data=0,1;0.5,2;1,3'));
      // The page fits the pasted points exactly as the CLI fits the same file.
      const file = join(tmpdir(), `gradscape-csv-${process.pid}.csv`);
      writeFileSync(file, 'x,y\n0,1\n0.5,2\n1,3\n');
      const last = fit(['--task', 'linear', '--data', file, '--steps', '50', '--optimizer', 'sgd',
        '--set', 'lr=0.1']).rows[50];
      await waitCards(page, (c) => c[0].params === `${last.w},${last.b}`, 'the fit of the pasted points');
      noErrors(page);
    },
  },
];
