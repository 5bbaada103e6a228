// Helpers shared by the specs: opening the app, reading cards, asking the native CLI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHOTS, newPage, canvasStats, pathStats } from './harness.mjs';

export { canvasStats, pathStats };

/** Opens the app at `hash` and waits until every card carries its values. */
export async function open(browser, url, hash = '', opts = {}) {
  const page = await newPage(browser, opts);
  await page.goto(url + hash);
  await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
  // Runs computed in a Web Worker land a little later (src/ui/worker.rs).
  await page.waitForFunction(() => !document.querySelector('[data-status="pending"]'));
  await page.waitForFunction(() => document.querySelector('canvas.overlay')?.width > 0);
  await page.waitForTimeout(100);
  return page;
}

export async function cards(page) {
  return page.$$eval('[data-testid="optimizer-card"]', (cs) => cs.map((c) => ({ ...c.dataset })));
}

export function noErrors(page) {
  assert.deepEqual(page.errors, [], `console or page errors:\n${page.errors.join('\n')}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** The native CLI's standard output for `args`. */
function cli(args) {
  const bin = join(ROOT, 'target', 'debug', 'gradscape');
  return existsSync(bin)
    ? execFileSync(bin, args, { encoding: 'utf8' })
    : execFileSync('cargo', ['run', '-q', '--bin', 'gradscape', '--', ...args],
      { cwd: ROOT, encoding: 'utf8' });
}

/** `gradscape export --scene LINK [--format F]`: what the page's export buttons must write. */
export function cliExport(link, format = 'csv') {
  return cli(['export', '--scene', link, '--format', format]);
}

/** The engine's surfaces (`gradscape list --format json`). */
export function surfaces() {
  return JSON.parse(cli(['list', '--format', 'json'])).surfaces;
}

/** The native CLI's trace (the engine's truth) as rows of strings, keyed by column. */
export function trace(args) {
  const out = cli(['trace', ...args]);
  const [header, ...rows] = out.trim().split('\n');
  const keys = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [keys[i], v])));
}

/** Sets an input's value as a user would and fires the event the page listens to. */
export async function setInput(locator, value, event = 'change') {
  await locator.evaluate((el, [v, e]) => {
    el.value = v;
    el.dispatchEvent(new Event(e, { bubbles: true }));
  }, [String(value), event]);
}

/** Waits until `fn(cards)` holds. */
export async function waitCards(page, fn, what) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const cs = await cards(page);
    if (fn(cs)) return cs;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(cs)}`);
    await page.waitForTimeout(30);
  }
}
