// Accessibility and the classroom: an axe-core scan in every look, the main flow with the
// keyboard alone, the spoken race, and touch targets on a phone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { open, cards, noErrors, shot, waitCards } from './common.mjs';

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () =>
    (await globalThis.axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
  return violations;
}

/** Presses Tab until the focused element matches `selector` (at most `limit` presses). */
async function tabTo(page, selector, limit = 400) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

export const tests = [
  {
    name: 'axe-core finds no serious or critical violation in light, dark and projector, in both languages',
    async run({ browser, url }) {
      const looks = [
        '', '#theme=dark', '#projector=1', '#projector=1&theme=dark',
        '#lang=zh', '#lang=zh&theme=dark&projector=1',
        '#task=linear', '#task=logistic&lang=zh&theme=dark',
        '#surface=quadratic&opt=sgd(lr=0.3)&vectors=1',
      ];
      for (const look of looks) {
        const page = await open(browser, url, look);
        assert.deepEqual(await seriousViolations(page), [], `violations at '${look}'`);
        if (look === '#lang=zh&theme=dark&projector=1') await shot(page, 'a11y-zh-dark-projector');
        noErrors(page);
        await page.close();
      }
      // With the Share dialog open too.
      const page = await open(browser, url, '#theme=dark');
      await page.getByTestId('share').click();
      assert.deepEqual(await seriousViolations(page), [], 'violations with the Share dialog open');
      await page.close();
    },
  },
  {
    name: 'the main flow works from the keyboard alone, with a visible focus ring',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=rosenbrock&steps=200');
      // Choose a surface.
      await tabTo(page, '[data-testid="surface-select"]');
      const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(ring, 'none', 'a focused control shows its focus');
      const before = await page.$eval('[data-testid="surface-select"]', (s) => s.value);
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((b) => document.querySelector('[data-testid="surface-select"]').value !== b, before);
      // Add an optimizer.
      const count = (await cards(page)).length;
      await tabTo(page, '[data-testid="add-optimizer"]');
      await page.keyboard.press('Enter');
      await waitCards(page, (cs) => cs.length === count + 1, 'a new card');
      // Change its learning rate in the exact field; Tab commits it.
      const last = `[data-testid="optimizer-card"]:nth-child(${count + 1}) input[name="lr"]:not([type="range"])`;
      await tabTo(page, last);
      await page.keyboard.press('Control+A');
      await page.keyboard.type('0.02');
      await page.keyboard.press('Tab');
      await page.waitForFunction((s) => document.querySelector(s).value === '0.02', last);
      await page.waitForFunction(() => location.hash.includes('lr=0.02'));
      // Play, then pause with Space on the same button; step; reset.
      await tabTo(page, '[data-testid="play"]');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      await page.keyboard.press('Space');
      const t = Number((await cards(page))[0].step);
      assert.ok(t > 0 && t < 200, `played to ${t}`);
      await tabTo(page, '[data-testid="step"]');
      await page.keyboard.press('Enter');
      await waitCards(page, (cs) => Number(cs[0].step) === t + 1, 'one step on');
      await tabTo(page, '[data-testid="reset"]');
      await page.keyboard.press('Enter');
      await waitCards(page, (cs) => cs.every((c) => c.step === '0'), 'reset to 0');
      // Page shortcuts act when no control has the focus.
      await page.evaluate(() => document.activeElement.blur());
      await page.keyboard.press('ArrowRight');
      await waitCards(page, (cs) => cs.every((c) => c.step === '1'), '→ steps');
      await page.keyboard.press('Home');
      await waitCards(page, (cs) => cs.every((c) => c.step === '0'), 'Home resets');
      noErrors(page);
    },
  },
  {
    name: 'read out puts the step and every loss into a polite live region; the summary ranks the race',
    async run({ browser, url }) {
      const page = await open(browser, url,
        '#surface=quadratic&start=3,1.5&steps=100&t=40&opt=sgd(lr=0.05),adam(lr=0.05),sgd(lr=0.3)');
      const live = page.getByTestId('announce');
      assert.equal(await live.getAttribute('aria-live'), 'polite');
      assert.equal(await live.textContent(), '');
      await page.getByTestId('read-out').click();
      const said = await live.textContent();
      const cs = await cards(page);
      assert.ok(said.startsWith('Step 40 of 100.'), said);
      for (const c of cs.filter((c) => c.status !== 'diverged')) {
        const m = said.match(new RegExp(`${c.optimizer === 'sgd' ? 'SGD' : 'Adam'}: loss ([^ ]+)\\.`));
        assert.ok(m, said);
      }
      // Sorted by loss: the better of SGD and Adam first, the diverged run last.
      const losses = [...said.matchAll(/loss ([0-9.e+-]+)\./g)].map((m) => Number(m[1]));
      assert.deepEqual(losses, [...losses].sort((a, b) => a - b));
      assert.match(said, /SGD: diverged at step \d+\.$/);
      // The hidden summary says the same once the race has paused (not per input: rewriting
      // it cost a layout and a paint of the page on every input of a drag).
      await page.waitForFunction((s) => document.querySelector('[data-testid="race-summary"]').textContent === s, said);
      const rewrites = await page.evaluate(() => new Promise((ok) => {
        const summary = document.querySelector('[data-testid="race-summary"]');
        const field = document.querySelector('[data-testid="optimizer-card"][data-optimizer="adam"] input[type="number"][name="lr"]');
        let changes = 0;
        new MutationObserver(() => { changes += 1; }).observe(summary, { subtree: true, childList: true, characterData: true });
        const one = (i) => {
          if (i === 10) { const during = changes; setTimeout(() => ok([during, changes, summary.textContent]), 600); return; }
          field.value = String(0.05 + 0.01 * i);
          field.dispatchEvent(new Event('input', { bubbles: true }));
          field.dispatchEvent(new Event('change', { bubbles: true }));
          setTimeout(() => one(i + 1), 40);
        };
        one(0);
      }));
      assert.equal(rewrites[0], 0, 'the summary changed during a quick run of inputs');
      assert.ok(rewrites[1] >= 1 && rewrites[2] !== said, `the summary did not follow the inputs after a pause: ${rewrites}`);
      // The A key says it again after a step.
      await page.getByTestId('step').click();
      await page.evaluate(() => document.activeElement.blur());
      await page.keyboard.press('a');
      await page.waitForFunction(() => document.querySelector('[data-testid="announce"]').textContent.startsWith('Step 41 of 100.'));
      noErrors(page);
    },
  },
  {
    name: 'on a 390 px phone every button, field and select is at least 44 px tall',
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=linear', { width: 390, height: 844 });
      const small = await page.evaluate(() => [...document.querySelectorAll('button, select, input')]
        .filter((e) => e.offsetParent !== null && !e.closest('.sr-only'))
        .map((e) => ({ e, r: e.getBoundingClientRect() }))
        .filter(({ e, r }) => (e.type === 'checkbox' ? Math.max(r.height, e.closest('label')?.getBoundingClientRect().height ?? 0) : r.height) < 44)
        .map(({ e, r }) => `${e.tagName.toLowerCase()}[name=${e.name ?? ''}] ${e.textContent.trim().slice(0, 20)} ${r.height.toFixed(0)}px`));
      assert.deepEqual(small, []);
      await shot(page, 'a11y-narrow-task');
      noErrors(page);
    },
  },
];
