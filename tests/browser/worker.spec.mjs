// Expensive runs compute in Web Workers running the page's own wasm module (src/ui/worker.rs):
// the cards equal `gradscape fit` bit for bit, a dragged rate lands on its last value with no
// stale value shown as current, and without workers (none, or a broken one) runs stay here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, newPage } from './harness.mjs';
import { open, cards, noErrors, shot } from './common.mjs';

// 400 points × 3 parameters × 1,000 steps: above the worker threshold (model.rs, WORKER_WORK);
// the mini-batch card stays on the page.
const OPTS = [['sgd', 0.5], ['adam', 0.05], ['newton', 0.5], ['rmsprop', 0.01]];
const SCENE = `#task=logistic&dataset=moons&n=400&steps=1000&opt=${OPTS.map(([o, lr]) => `${o}(lr=${lr})`).join(',')},sgd(lr=0.5,batch=10)`;

/** The last row of `gradscape fit` for `opt` at rate `lr` on SCENE's task (batch: the card's). */
function fit(opt, lr, batch = null) {
  const args = ['fit', '--task', 'logistic', '--dataset', 'moons', '--n', '400', '--steps', '1000',
    '--optimizer', opt, '--set', `lr=${lr}`, ...(batch ? ['--batch', String(batch)] : [])];
  const out = execFileSync(join(ROOT, 'target', 'debug', 'gradscape'), args, { encoding: 'utf8' });
  const [header, ...rows] = out.trim().split('\n');
  const keys = header.split(',');
  const last = Object.fromEntries(rows.at(-1).split(',').map((v, i) => [keys[i], v]));
  return { params: `${last.w1},${last.w2},${last.b}`, loss: last.loss, step: last.step };
}

const expected = () => [...OPTS.map(([o, lr]) => fit(o, lr)), fit('sgd', 0.5, 10)];

async function sameAsFit(page, want) {
  const got = (await cards(page)).map((c) => ({ params: c.params, loss: c.loss, step: c.step }));
  assert.deepEqual(got, want);
}

/** Jobs the page's Web Workers ran (public/worker.js counts them). */
async function jobs(page) {
  let n = 0;
  for (const w of page.workers()) n += await w.evaluate(() => self.runs ?? 0);
  return n;
}
const PENDING = '[data-status="pending"]';

export const tests = [
  {
    name: 'a logistic scene\'s cards compute in workers and equal gradscape fit exactly',
    async run({ browser, url }) {
      const page = await open(browser, url, SCENE);
      await sameAsFit(page, expected());
      assert.equal(await jobs(page), OPTS.length, 'the four full-batch cards ran in workers');
      assert.ok(page.workers().length >= 2, `${page.workers().length} workers`);
      await shot(page, 'worker-logistic');
      noErrors(page);
    },
  },
  {
    name: 'dragging lr lands on the last value, and a waiting card never shows a stale value as current',
    async run({ browser, url }) {
      const page = await open(browser, url, SCENE);
      const before = await jobs(page);
      // Every state the Adam card goes through: pending cards show no step or loss.
      await page.evaluate(() => {
        const card = document.querySelector('[data-testid="optimizer-card"][data-optimizer="adam"]');
        window.__seen = [];
        new MutationObserver(() => window.__seen.push([card.dataset.status === 'pending', card.dataset.step, card.dataset.loss]))
          .observe(card, { attributes: true });
      });
      const lrs = Array.from({ length: 20 }, (_, i) => (0.01 + 0.002 * i).toFixed(3));
      await page.evaluate((values) => new Promise((ok) => {
        const el = document.querySelector('[data-testid="optimizer-card"][data-optimizer="adam"] input[type="number"][name="lr"]');
        const one = (i) => {
          if (i === values.length) { ok(); return; }
          el.value = values[i];
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true }));
          requestAnimationFrame(() => one(i + 1));
        };
        one(0);
      }), lrs);
      await page.waitForFunction(() => !document.querySelector('[data-status="pending"]'));
      const want = expected();
      want[1] = fit('adam', lrs.at(-1));
      await sameAsFit(page, want);
      const seen = await page.evaluate(() => window.__seen);
      assert.ok(seen.some(([pending]) => pending), 'the card said it was computing');
      assert.deepEqual(seen.filter(([pending, step, loss]) => pending && (step || loss)), []);
      const ran = (await jobs(page)) - before;
      assert.ok(ran >= 1 && ran <= lrs.length, `${ran} jobs run for ${lrs.length} inputs`);
      noErrors(page);
    },
  },
  {
    name: 'without Worker the runs stay on the page, equal all the same',
    async run({ browser, url }) {
      const page = await newPage(browser);
      await page.addInitScript(() => { delete window.Worker; });
      page.errors = [];
      await page.goto(url + SCENE);
      await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
      await page.waitForFunction(() => !document.querySelector('[data-status="pending"]'));
      await sameAsFit(page, expected());
      assert.equal(await jobs(page), 0);
      noErrors(page);
    },
  },
  {
    name: 'a worker that fails (its module cannot run, or its script is missing) hands its jobs back',
    async run({ browser, url }) {
      for (const body of ['onmessage = ({ data: [id, job] }) => { if (typeof job === "string") postMessage([id]); };', null]) {
        const page = await newPage(browser);
        await page.route('**/worker.js', (r) => (body
          ? r.fulfill({ body, contentType: 'text/javascript' })
          : r.fulfill({ status: 404, body: 'not found' })));
        await page.goto(url + SCENE);
        await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
        await page.waitForFunction(() => !document.querySelector('[data-status="pending"]'));
        await sameAsFit(page, expected());
        assert.equal(await jobs(page), 0);
        // The missing script is the browser's own console line; nothing else.
        assert.deepEqual(page.errors.filter((e) => !/404/.test(e)), []);
        await page.context().close();
      }
    },
  },
];
