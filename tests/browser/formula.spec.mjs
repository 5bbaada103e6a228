// The formula panel: the selected card's rule in MathML with the engine's numbers at the
// playhead (equal to the card's data-* values and the CLI's trace), switching with the selected
// card, following sliders and the playhead; Keras and PyTorch conventions side by side; the
// step button's narration.
import assert from 'node:assert/strict';
import { open, cards, noErrors, shot, trace, setInput, waitCards } from './common.mjs';

const PANEL = '[data-testid="formula"]';

/** The panel's value row `key` (data-v of each cell), or null. */
async function row(page, key) {
  return page.$$eval(`${PANEL} tr[data-k="${key}"] td`, (tds) => tds.map((td) => td.dataset.v))
    .then((v) => (v.length ? v : null));
}

async function head(page) {
  return page.$eval(`${PANEL} .f-head`, (e) => e.textContent);
}

async function narration(page) {
  return page.$eval(`${PANEL} .f-narration`, (e) => e.textContent);
}

/** Waits until the panel's θ row reads `want`. */
async function waitTheta(page, want) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const got = await row(page, 'theta');
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    if (Date.now() > deadline) throw new Error(`θ row ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    await page.waitForTimeout(30);
  }
}

const SCENE = '#surface=quadratic&start=3,1.5&steps=50&opt=adam(lr=0.1),sgd(lr=0.05)&t=1';

export const tests = [
  {
    name: 'the panel shows the rule with the engine\'s numbers; they follow the playhead and a slider',
    async run({ browser, url }) {
      const page = await open(browser, url, SCENE);
      // Real MathML: fractions and roots, rendered natively.
      const tags = await page.$$eval(`${PANEL} math *`, (es) => [...new Set(es.map((e) => e.localName))]);
      for (const t of ['mfrac', 'msqrt', 'msub', 'mtable', 'mover']) assert.ok(tags.includes(t), `${t} in ${tags}`);
      assert.match(await head(page), /^Adam · PyTorch convention · step t = 1/);
      // Step 1 from (3, 1.5) on ½(x² + 10y²): g = (3, 15), m = (1 − β₁)g, v = (1 − β₂)g².
      assert.deepEqual(await row(page, 'grad'), ['3', '15']);
      assert.deepEqual(await row(page, 'exp_avg'), ['0.29999999999999993', '1.4999999999999996']);
      assert.deepEqual(await row(page, 'mhat'), ['3', '14.999999999999998']);
      const cli = trace(['--surface', 'quadratic', '--optimizer', 'adam', '--set', 'lr=0.1',
        '--start', '3,1.5', '--steps', '50']);
      const [card] = await cards(page);
      assert.deepEqual(await row(page, 'theta'), [card.x, card.y]);
      assert.deepEqual([card.x, card.y], [cli[1].x, cli[1].y]);
      // The playhead: step 20's numbers, equal to the card's and the CLI's.
      await setInput(page.locator('input[name="t"]'), 20, 'input');
      await waitTheta(page, [cli[20].x, cli[20].y]);
      assert.match(await head(page), /t = 20/);
      const [c20] = await cards(page);
      assert.deepEqual([c20.x, c20.y], [cli[20].x, cli[20].y]);
      const eff20 = await row(page, 'eff_lr');
      assert.equal(eff20.length, 2);
      // A slider: β₁ = 0.5 changes m at the same playhead.
      const m20 = await row(page, 'exp_avg');
      await setInput(page.locator('[data-testid="optimizer-card"]').first().locator('input[name="beta1"]:not([type="range"])'), 0.5);
      const b = trace(['--surface', 'quadratic', '--optimizer', 'adam', '--set', 'lr=0.1', '--set', 'beta1=0.5',
        '--start', '3,1.5', '--steps', '50']);
      await waitTheta(page, [b[20].x, b[20].y]);
      assert.notDeepEqual(await row(page, 'exp_avg'), m20);
      assert.match(await page.$eval(PANEL, (e) => e.textContent), /β1=0\.5/);
      noErrors(page);
      await page.close();
    },
  },
  {
    name: 'selecting another card switches the rule',
    async run({ browser, url }) {
      const page = await open(browser, url, SCENE.replace('t=1', 't=3'));
      assert.match(await head(page), /^Adam/);
      await page.locator('[data-testid="optimizer-card"]').nth(1).locator('h2').click();
      await page.waitForFunction((p) => document.querySelector(`${p} .f-head`)?.textContent.startsWith('SGD'), PANEL);
      assert.equal(await row(page, 'exp_avg'), null);
      const [, sgd] = await cards(page);
      assert.deepEqual(await row(page, 'theta'), [sgd.x, sgd.y]);
      assert.ok(await page.locator('[data-testid="optimizer-card"]').nth(1).evaluate((c) => c.classList.contains('selected')));
      // Focus (the keyboard) selects too.
      await page.locator('[data-testid="optimizer-card"]').first().locator('input[name="lr"]:not([type="range"])').focus();
      await page.waitForFunction((p) => document.querySelector(`${p} .f-head`)?.textContent.startsWith('Adam'), PANEL);
      noErrors(page);
      await page.close();
    },
  },
  {
    name: 'Keras and PyTorch conventions side by side: different paths, each rule, a link that keeps them',
    async run({ browser, url }) {
      const page = await open(browser, url,
        '#surface=quadratic&steps=60&opt=rmsprop(lr=0.05,eps=0.5),rmsprop(lr=0.05,eps=0.5,keras=1),nadam(lr=0.05),nadam(lr=0.05,keras=1),adam_nobc(lr=0.05)&t=30');
      const cs = await cards(page);
      assert.notEqual(cs[0].x, cs[1].x, 'RMSprop: ε inside or outside the root');
      assert.notEqual(cs[2].x, cs[3].x, "NAdam: Keras's schedule");
      for (const [i, args] of [[1, ['--optimizer', 'rmsprop', '--set', 'lr=0.05', '--set', 'eps=0.5', '--set', 'keras=1']],
        [3, ['--optimizer', 'nadam', '--set', 'lr=0.05', '--set', 'keras=1']]]) {
        const cli = trace(['--surface', 'quadratic', ...args, '--steps', '60']);
        assert.deepEqual([cs[i].x, cs[i].y], [cli[30].x, cli[30].y], `card ${i} equals the CLI`);
      }
      await page.locator('[data-testid="optimizer-card"]').nth(1).locator('h2').click();
      await page.waitForFunction((p) => document.querySelector(`${p} .f-head`)?.textContent.includes('Keras 3'), PANEL);
      assert.ok(await row(page, 'denom'));
      assert.match(await page.locator('[data-testid="optimizer-card"]').nth(1).locator('.rule').textContent(), /Keras/);
      await page.locator('[data-testid="optimizer-card"]').nth(4).locator('h2').click();
      await page.waitForFunction((p) => document.querySelector(`${p} .f-head`)?.textContent.includes('not in PyTorch'), PANEL);
      assert.match(await page.$eval(PANEL, (e) => e.textContent), /Not in PyTorch: teaching only/);
      // The switch is a per-card control: turning it on for card 0 makes it card 1's twin.
      await page.locator('[data-testid="optimizer-card"]').first().locator('input[name="keras"]').check();
      await waitCards(page, (c) => c[0].x === cs[1].x && c[0].y === cs[1].y, 'card 0 under Keras');
      await page.waitForFunction(() => location.hash.startsWith('#') && location.hash.includes('rmsprop(lr=0.05,eps=0.5,keras=1),rmsprop'));
      await shot(page, 'formula-keras');
      noErrors(page);
      await page.close();
    },
  },
  {
    name: 'the step button advances one step and narrates it (English and 简体中文)',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=quadratic&start=3,1.5&steps=40&opt=momentum(lr=0.05),adam(lr=0.3)&t=0');
      const live = page.locator(`${PANEL} .f-narration`);
      assert.equal(await live.getAttribute('aria-live'), 'polite');
      assert.match(await narration(page), /^The start/);
      await page.click('[data-testid="step"]');
      await page.waitForFunction((p) => document.querySelector(`${p} .f-narration`)?.textContent.startsWith('Step 1:'), PANEL);
      assert.match(await narration(page), /steepest in y/);
      assert.match(await narration(page), /velocity starts as the gradient/);
      for (let i = 0; i < 5; i += 1) await page.click('[data-testid="step"]');
      await page.waitForFunction((p) => document.querySelector(`${p} .f-narration`)?.textContent.startsWith('Step 6:'), PANEL);
      assert.match(await narration(page), /velocity b (grew|shrank) in x/);
      const [m] = await cards(page);
      assert.equal(m.step, '6');
      // Adam's first step, and the same in Chinese.
      await page.locator('[data-testid="optimizer-card"]').nth(1).locator('h2').click();
      await page.waitForFunction((p) => /Adam/.test(document.querySelector(`${p} .f-head`)?.textContent), PANEL);
      assert.match(await narration(page), /effective step in [xy] (shrank|grew|went)/);
      await shot(page, 'formula-light');
      await page.close();

      const zh = await open(browser, url, '#surface=quadratic&start=3,1.5&steps=40&opt=adam(lr=0.3)&t=1&lang=zh');
      assert.match(await narration(zh), /^第 1 步：.*偏差修正/);
      await zh.click('[data-testid="step"]');
      await zh.waitForFunction((p) => document.querySelector(`${p} .f-narration`)?.textContent.startsWith('第 2 步'), PANEL);
      assert.match(await narration(zh), /有效步长/);
      noErrors(zh);
      await zh.close();
    },
  },
  {
    name: 'the panel reads in dark mode and on a 390 px screen; a custom surface in MathML',
    async run({ browser, url }) {
      const dark = await open(browser, url, '#surface=rosenbrock&opt=adam(lr=0.05),momentum(lr=0.001)&t=40&theme=dark');
      await dark.locator(PANEL).scrollIntoViewIfNeeded();
      await dark.locator(PANEL).screenshot({ path: 'target/screenshots/formula-dark.png' });
      noErrors(dark);
      await dark.close();
      const narrow = await open(browser, url,
        '#surface=custom&expr=x%5E2%2F3%20%2B%20sqrt(abs(y))%20-%20exp(-x)&opt=rmsprop(lr=0.01,keras=1)&t=5',
        { width: 390, height: 844 });
      const surf = await narrow.$eval(`${PANEL} .f-surface`, (e) => e.outerHTML);
      assert.match(surf, /<mfrac>.*<msqrt>.*<msup><mi>e<\/mi>/s);
      // Wide rules and tables scroll inside the panel, which stays within the screen.
      const right = await narrow.$eval(PANEL, (e) => e.getBoundingClientRect().right);
      assert.ok(right <= 390 + 1, `the panel ends at ${right}`);
      await narrow.locator(PANEL).scrollIntoViewIfNeeded();
      await narrow.locator(PANEL).screenshot({ path: 'target/screenshots/formula-390.png' });
      noErrors(narrow);
      await narrow.close();
    },
  },
  {
    name: "keras=1 gives Adagrad Keras's defaults (controls, panel, CLI); a value in the link stays",
    async run({ browser, url }) {
      const page = await open(browser, url,
        '#surface=quadratic&start=3,1.5&steps=40&opt=adagrad(keras=1),adagrad(keras=1,eps=1e-10),adagrad&t=20');
      const field = (i, key) => page.locator('[data-testid="optimizer-card"]').nth(i)
        .locator(`input[name="${key}"]:not([type="range"])`).inputValue();
      assert.equal(await field(0, 'initial_accumulator_value'), '0.1');
      assert.equal(await field(0, 'eps'), '1e-7');
      assert.equal(await field(0, 'lr'), '0.001');
      assert.equal(await field(1, 'eps'), '1e-10', 'the link\'s ε stays');
      assert.equal(await field(2, 'eps'), '1e-10', "PyTorch's default");
      // The panel's numbers are the Keras defaults, and the CLI runs the same path.
      const hyper = await page.$eval(`${PANEL} .f-hyper`, (e) => e.textContent);
      assert.match(hyper, /ε=1×10−7/);
      const cs = await cards(page);
      const cli = trace(['--surface', 'quadratic', '--optimizer', 'adagrad', '--set', 'keras=1',
        '--start', '3,1.5', '--steps', '40']);
      assert.deepEqual([cs[0].x, cs[0].y], [cli[20].x, cli[20].y]);
      // The card's one-line rule is Keras's, from the rule table: ε inside the root.
      const rule = (i) => page.locator('[data-testid="optimizer-card"]').nth(i).locator('.rule');
      assert.match(await rule(0).textContent(), /^Keras 3/);
      assert.ok(await rule(0).evaluate((e) => !!e.querySelector('msqrt > mrow > mo')));
      assert.ok(await rule(2).evaluate((e) => !!e.querySelector('msqrt + mo') && !/Keras/.test(e.textContent)));
      // Switching card 2 to Keras brings the Keras defaults: it becomes card 0's twin.
      await page.locator('[data-testid="optimizer-card"]').nth(2).locator('input[name="keras"]').check();
      await waitCards(page, (c) => c[2].x === cs[0].x && c[2].y === cs[0].y, 'card 2 under Keras');
      assert.equal(await field(2, 'eps'), '1e-7');
      await page.waitForFunction(() => location.hash.includes('opt=adagrad(keras=1),adagrad(eps=1e-10,keras=1),adagrad(keras=1)&'));
      await page.locator('[data-testid="optimizer-card"]').first().locator('h2').click();
      await page.locator(PANEL).scrollIntoViewIfNeeded();
      await page.locator('[data-testid="optimizer-card"]').first().screenshot({ path: 'target/screenshots/card-adagrad-keras.png' });
      await page.locator(PANEL).screenshot({ path: 'target/screenshots/formula-adagrad-keras.png' });
      noErrors(page);
      await page.close();
    },
  },
  {
    name: "a learning task's loss in MathML, with n, the batch and l2 live",
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=polynomial&degree=4&l2=0.05&n=30&seed=3&steps=50&opt=sgd(lr=0.1)&t=5');
      const surf = () => page.$eval(`${PANEL} .f-surface`, (e) => e.innerHTML);
      let html = await surf();
      assert.match(html, /<munderover><mo>∑<\/mo>/);
      assert.match(html, /<msub><mi>P<\/mi><mi>j<\/mi><\/msub>/);
      assert.match(html, /<mn>0\.05<\/mn>/);
      assert.match(html, /<mfrac><mn>1<\/mn><mn>20<\/mn><\/mfrac>/, '20 training points of 30');
      await page.locator(PANEL).scrollIntoViewIfNeeded();
      await page.locator(PANEL).screenshot({ path: 'target/screenshots/formula-task-poly.png' });
      await setInput(page.locator('input[name="l2"]:not([type="range"])'), 0.2);
      await page.waitForFunction((p) => document.querySelector(`${p} .f-surface`)?.innerHTML.includes('<mn>0.2</mn>'), PANEL);
      await setInput(page.locator('input[name="n"]:not([type="range"])'), 60);
      await page.waitForFunction((p) => document.querySelector(`${p} .f-surface`)?.innerHTML.includes('<mn>40</mn></mfrac>'), PANEL);
      noErrors(page);
      await page.close();
      const logistic = await open(browser, url, '#task=logistic&n=50&batch=10&steps=50&opt=sgd(lr=0.5)&t=5&lang=zh');
      html = await logistic.$eval(`${PANEL} .f-surface`, (e) => e.innerHTML);
      assert.match(html, /<mi>σ<\/mi>/);
      assert.match(html, /<mo>∈<\/mo><mi>B<\/mi>/);
      assert.match(html, /<mo>=<\/mo><mn>10<\/mn>/);
      await logistic.locator(PANEL).scrollIntoViewIfNeeded();
      await logistic.locator(PANEL).screenshot({ path: 'target/screenshots/formula-task-logistic-zh.png' });
      noErrors(logistic);
      await logistic.close();
    },
  },
  {
    name: 'at an exactly zero gradient the narration says so (English and 简体中文)',
    async run({ browser, url }) {
      for (const [lang, want] of [['en', /exactly zero.*nothing moves/], ['zh', /梯度恰好为零/]]) {
        const page = await open(browser, url, `#surface=quadratic&start=0,0&steps=10&opt=sgd(lr=0.1)&t=2&lang=${lang}`);
        const text = await narration(page);
        assert.match(text, want);
        assert.doesNotMatch(text, /uphill|上坡/);
        noErrors(page);
        await page.close();
      }
    },
  },
];
