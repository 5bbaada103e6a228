// Hosting: dist/ as plain static files under a strict Content-Security-Policy, on a sub-path,
// embedded in iframes (the shipped embed-example.html), offline through its service worker.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSP, DIST, serveDist, newPage } from './harness.mjs';
import { cards, canvasStats, pathStats, noErrors } from './common.mjs';

/** Where the hosting screenshots go (HOST_SHOTS overrides): look at them, a pass on an ugly embed is a defect. */
const SHOTS = process.env.HOST_SHOTS ?? '/tmp/host-shots';
const BASE = '/some/sub/path/';

/** dist/ under BASE with the policy on every response, for the length of `fn`. */
async function hosted(fn) {
  const server = await serveDist({ base: BASE, headers: { 'content-security-policy': CSP } });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** A page that records every policy violation (in every frame) and every request. */
async function watched(browser, opts) {
  const page = await newPage(browser, opts);
  // On the context: pages it opens (the "open in gradscape" link) are watched too.
  await page.context().addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const track = (p) => {
    p.requests = [];
    p.on('request', (r) => p.requests.push(r.url()));
  };
  track(page);
  page.context().on('page', (p) => {
    track(p);
    p.errors = [];
    p.on('console', (m) => { if (m.type() === 'error') p.errors.push(`console: ${m.text()}`); });
    p.on('pageerror', (e) => p.errors.push(`pageerror: ${e.message}`));
  });
  return page;
}

/** No policy violation in any frame of `page`, and no request outside `origin`. */
async function clean(page, origin) {
  for (const frame of page.frames()) {
    const v = await frame.evaluate(() => window.violations ?? []);
    assert.deepEqual(v, [], `CSP violations in ${frame.url().slice(0, 80)}`);
  }
  const away = page.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
  assert.deepEqual(away, [], 'requests outside the origin');
  noErrors(page);
}

/** Waits until the surface view in `frame` is laid out and drawn. */
async function drawn(frame) {
  await frame.waitForFunction(() => document.querySelector('canvas.overlay')?.width > 0);
  await frame.waitForFunction(() => {
    const c = document.querySelector('canvas.base');
    if (!c || c.width === 0) return false;
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    copy.getContext('2d').drawImage(c, 0, 0);
    const { data } = copy.getContext('2d').getImageData(0, 0, c.width, c.height);
    return data.some((v, i) => i % 4 === 3 && v > 0);
  });
}

async function shot(page, name, fullPage = false) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** Layout facts of an embed, read inside its frame. */
function fit(frame) {
  return frame.evaluate(() => {
    const box = (q) => document.querySelector(q)?.getBoundingClientRect();
    const visible = (q) => {
      const el = document.querySelector(q);
      return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const root = document.scrollingElement;
    const stack = box('.stack');
    const canvas = document.querySelector('canvas.overlay');
    return {
      width: innerWidth, height: innerHeight,
      scrolls: root.scrollHeight > innerHeight + 1 || root.scrollWidth > innerWidth + 1,
      stack: stack && { w: stack.width, h: stack.height, bottom: stack.bottom },
      canvas: canvas && { w: canvas.width / devicePixelRatio, h: canvas.height / devicePixelRatio },
      lowest: Math.max(...[...document.querySelectorAll('.app *')]
        .filter((el) => el.getClientRects().length > 0).map((el) => el.getBoundingClientRect().bottom)),
      play: visible('[data-testid="play"]'), reset: visible('[data-testid="reset"]'),
      scrub: visible('input[name="t"]'), step: visible('[data-testid="step"]'),
      speed: visible('input[name="speed"]'), link: visible('[data-testid="open-full"]'),
      loss: visible('[data-testid="loss-chart"]'), controls: visible('[data-testid="controls"]'),
      formula: visible('[data-testid="formula"]'), header: visible('header.top'),
    };
  });
}

/** Checks an embed fills its frame: no scrolling, nothing below the frame's bottom, the
 * surface as wide as the frame less its padding and at least `share` of its height, the
 * canvas's backing store the size of its box. */
function assertFills(f, what, share = 0.45) {
  assert.ok(!f.scrolls, `${what}: the embed scrolls: ${JSON.stringify(f)}`);
  assert.ok(f.lowest <= f.height + 0.5, `${what}: something is below the frame: ${f.lowest} > ${f.height}`);
  assert.ok(f.stack.w >= f.width - 20, `${what}: surface ${f.stack.w} px wide in a ${f.width} px frame`);
  assert.ok(f.stack.h >= f.height * share, `${what}: surface ${f.stack.h} px high in a ${f.height} px frame`);
  assert.ok(Math.abs(f.canvas.w - (f.stack.w - 2)) <= 1 && Math.abs(f.canvas.h - (f.stack.h - 2)) <= 1,
    `${what}: canvas ${JSON.stringify(f.canvas)} in a box ${JSON.stringify(f.stack)}`);
}

/** The hash without the embedding keys: what the "open in gradscape" link should carry. */
function withoutEmbedKeys(hash) {
  return hash.replace(/^#/, '').split('&').filter((kv) => !/^(embed|hide)=/.test(kv)).join('&');
}

const BOWL = 'surface=quadratic(kappa=10)&start=-4,1.5&steps=120&opt=sgd(lr=0.18),momentum(lr=0.03)';

export const tests = [
  {
    name: 'under a strict CSP on a sub-path: no violation, the page draws, nothing leaves the origin',
    async run({ browser }) {
      await hosted(async ({ url }) => {
        const origin = new URL(url).origin;
        const page = await watched(browser);
        await page.goto(`${url}#${BOWL}`);
        await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
        await drawn(page);
        const heat = await canvasStats(page, 'canvas.base');
        assert.ok(heat.variance > 100, 'heat-map looks blank');
        const paths = await pathStats(page);
        assert.ok(paths.opaque > 300, 'no paths drawn');
        // The card swatches are styled through the CSSOM, which the policy allows.
        const swatch = await page.$eval('.swatch', (s) => getComputedStyle(s).backgroundColor);
        assert.notEqual(swatch, 'rgba(0, 0, 0, 0)', 'the swatch lost its colour');
        // Every asset came from under the sub-path.
        const assets = page.requests.filter((u) => !u.includes('#'));
        assert.ok(assets.length >= 5 && assets.every((u) => u.startsWith(origin + BASE)),
          `an asset outside ${BASE}: ${assets.join(' ')}`);
        // Installable: the manifest and its icons resolve from the sub-path.
        const manifest = await page.evaluate(async () => {
          const href = document.querySelector('link[rel="manifest"]').href;
          const m = await (await fetch(href)).json();
          const icons = await Promise.all(m.icons.map(async (i) => (await fetch(new URL(i.src, href))).status));
          return { ...m, statuses: icons };
        });
        assert.equal(manifest.start_url, './');
        assert.equal(manifest.display, 'standalone');
        assert.deepEqual(manifest.statuses, [200, 200, 200]);
        assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
        await clean(page, origin);
        await page.context().close();
      });
    },
  },
  {
    name: 'embed at 720×560 and 640×420 fills the frame with a minimal toolbar, and hide= keys hide one part each',
    async run({ browser }) {
      await hosted(async ({ url }) => {
        const origin = new URL(url).origin;
        for (const [width, height] of [[720, 560], [640, 420]]) {
          const page = await watched(browser, { width, height });
          await page.goto(`${url}#${BOWL}&embed=1&hide=controls`);
          await drawn(page);
          const f = await fit(page);
          assertFills(f, `${width}×${height}`);
          assert.deepEqual([f.play, f.reset, f.scrub, f.link, f.loss, f.formula],
            [true, true, true, true, true, true], JSON.stringify(f));
          assert.deepEqual([f.step, f.speed, f.controls, f.header], [false, false, false, false]);
          await shot(page, `embed-${width}x${height}`);
          // Each key hides its part and nothing else.
          for (const [key, part] of [['loss', 'loss'], ['toolbar', 'play'], ['formula', 'formula']]) {
            await page.evaluate((h) => { location.hash = h; }, `${BOWL}&embed=1&hide=controls,${key}`);
            await page.waitForFunction(() => /hide=controls,/.test(location.hash));
            await page.waitForTimeout(150);
            const g = await fit(page);
            assert.equal(g[part], false, `hide=${key} left ${part} visible`);
            for (const other of ['loss', 'play', 'formula'].filter((p) => p !== part)) {
              assert.equal(g[other], true, `hide=${key} also hid ${other}`);
            }
            assertFills(g, `${width}×${height} hide=${key}`);
          }
          await clean(page, origin);
          await page.context().close();
        }
        // The legend: the loss chart's top layer has fewer inked pixels without it.
        const ink = async (hide) => {
          const page = await watched(browser, { width: 720, height: 560 });
          await page.goto(`${url}#${BOWL}&embed=1&hide=${hide}`);
          await drawn(page);
          await page.waitForTimeout(150);
          const s = await canvasStats(page, 'canvas.playhead');
          await page.context().close();
          return s.opaque;
        };
        const [withLegend, without] = [await ink('controls'), await ink('controls,legend')];
        assert.ok(without < withLegend - 200, `legend pixels: ${withLegend} with, ${without} without`);
        // header: the full page's header goes (embed drops it anyway).
        const page = await watched(browser);
        await page.goto(`${url}#${BOWL}&hide=header`);
        await drawn(page);
        assert.equal((await fit(page)).header, false);
        await page.goto(`${url}?reload#${BOWL}`);
        await drawn(page);
        assert.equal((await fit(page)).header, true);
        await clean(page, origin);
        await page.context().close();
      });
    },
  },
  {
    name: 'embed-example.html under the CSP: three live iframes fill their frames, play, and link to the full page',
    async run({ browser }) {
      await hosted(async ({ url }) => {
        const origin = new URL(url).origin;
        const page = await watched(browser, { width: 1000, height: 900 });
        await page.goto(`${url}embed-example.html`);
        const frames = await page.$$('iframe');
        assert.equal(frames.length, 3);
        const seen = new Set();
        for (const [i, handle] of frames.entries()) {
          const frame = await handle.contentFrame();
          await drawn(frame);
          const f = await fit(frame);
          const box = await handle.boundingBox();
          assert.ok(Math.abs(f.width - (box.width - 2)) <= 1 && Math.abs(f.height - (box.height - 2)) <= 1,
            `frame ${i}: inner ${f.width}×${f.height} in a ${box.width}×${box.height} iframe`);
          assertFills(f, `iframe ${i}`);
          assert.ok(f.play && f.scrub && f.link, `iframe ${i}: toolbar ${JSON.stringify(f)}`);
          const heat = await canvasStats(frame, 'canvas.base');
          assert.ok(heat.variance > 100, `iframe ${i}: heat-map looks blank`);
          seen.add(heat.hash);
          // The link: the same scene without embed and hide, on the full page. The frame's
          // address is rewritten in the page's own encoding once it has been quiet for 250 ms
          // (a loaded machine may not have got there yet): compare after that.
          await frame.waitForFunction(() => location.hash.startsWith('#v='));
          const href = await frame.$eval('[data-testid="open-full"]', (a) => a.href);
          const hash = await frame.evaluate(() => location.hash);
          assert.ok(href.startsWith(origin + BASE), href);
          assert.equal(new URL(href).hash.slice(1), withoutEmbedKeys(hash), `iframe ${i}: link`);
          assert.deepEqual(await frame.$eval('[data-testid="open-full"]', (a) => [a.target, a.rel]),
            ['_blank', 'noopener']);
        }
        assert.equal(seen.size, 3, 'the three demos draw different scenes');
        await shot(page, 'embed-example', true);

        // Play in the race (it starts at step 0).
        const race = await frames[2].contentFrame();
        assert.equal(await race.$eval('input[name="t"]', (s) => s.value), '0');
        await race.click('[data-testid="play"]');
        await race.waitForFunction(() => Number(document.querySelector('input[name="t"]').value) > 20);
        await race.click('[data-testid="play"]');
        await race.waitForTimeout(300); // the link follows the paused scene
        const t = await race.$eval('input[name="t"]', (s) => s.value);
        await frames[2].screenshot({ path: join(SHOTS, 'embed-race-paused.png') });

        // The race's link opens the full page on the same scene: show the iframe's cards (a
        // hash change from the parent, below) and compare.
        const [full] = await Promise.all([
          page.context().waitForEvent('page'),
          race.click('[data-testid="open-full"]'),
        ]);
        await full.waitForSelector('[data-testid="optimizer-card"][data-step]');
        assert.equal(new URL(full.url()).pathname, BASE);
        assert.equal(await full.$eval('input[name="t"]', (s) => s.value), t);
        assert.equal(await full.$$eval('header.top', (h) => h.length), 1, 'the full page has its header');
        await drawn(full);
        await shot(full, 'opened-full-page');
        await race.evaluate(() => { window.kept = 'still here'; });
        const iframeHash = await race.evaluate(() => location.hash);
        await page.evaluate((h) => {
          document.querySelectorAll('iframe')[2].contentWindow.location.hash = h;
        }, iframeHash.replace('hide=controls,formula', 'hide=formula'));
        await race.waitForSelector('[data-testid="optimizer-card"][data-step]');
        assert.equal(await race.evaluate(() => window.kept), 'still here', 'the iframe reloaded');
        assert.deepEqual(await cards(race), await cards(full));
        assert.equal((await cards(full)).length, 4);
        await clean(page, origin);
        await clean(full, origin);
        await page.context().close();
      });
    },
  },
  {
    name: "a parent changing an iframe's hash applies the new scene without a reload",
    async run({ browser }) {
      await hosted(async ({ url }) => {
        const page = await watched(browser, { width: 1000, height: 900 });
        await page.goto(`${url}embed-example.html`);
        const frame = await (await page.$('iframe')).contentFrame();
        await drawn(frame);
        await frame.evaluate(() => { window.kept = 1; });
        const before = await canvasStats(frame, 'canvas.base');
        const link = () => frame.$eval('[data-testid="open-full"]', (a) => new URL(a.href).hash);
        assert.match(await link(), /quadratic/);
        await page.evaluate(() => {
          document.querySelector('iframe').contentWindow.location.hash =
            'surface=rosenbrock&opt=adam(lr=0.05)&embed=1&hide=controls,loss';
        });
        await frame.waitForFunction(() => !document.querySelector('[data-testid="loss-chart"]'));
        await frame.waitForFunction((h) => {
          const c = document.querySelector('canvas.base');
          const copy = document.createElement('canvas');
          copy.width = c.width;
          copy.height = c.height;
          copy.getContext('2d').drawImage(c, 0, 0);
          const { data } = copy.getContext('2d').getImageData(0, 0, c.width, c.height);
          let x = 2166136261;
          for (let i = 0; i < data.length; i += 4) {
            x = Math.imul(x ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16) ^ (data[i + 3] << 24), 16777619);
          }
          return (x >>> 0) !== h;
        }, before.hash);
        assert.equal(await frame.evaluate(() => window.kept), 1, 'the iframe reloaded');
        assert.match(await link(), /surface=rosenbrock&opt=adam\(lr=0\.05\)/);
        assertFills(await fit(frame), 'after the hash change');
        // The page's own rewrite keeps embed and hide.
        await frame.waitForFunction(() => /embed=1&hide=controls,loss/.test(location.hash));
        noErrors(page);
        await page.context().close();
      });
    },
  },
  {
    name: 'offline: once the service worker is active, a reload with the server gone still draws',
    async run({ browser }) {
      const server = await serveDist({ base: BASE, headers: { 'content-security-policy': CSP } });
      let closed = false;
      try {
        const page = await watched(browser);
        await page.goto(`${server.url}#${BOWL}`);
        await drawn(page);
        await page.evaluate(() => navigator.serviceWorker.ready);
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
        const caches = await page.evaluate(() => caches.keys());
        assert.equal(caches.length, 1, `caches: ${caches}`);
        assert.match(caches[0], /^gradscape-[0-9a-f]{16}$/);
        await server.close();
        closed = true;
        await page.context().setOffline(true);
        await page.reload();
        await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
        await drawn(page);
        const heat = await canvasStats(page, 'canvas.base');
        assert.ok(heat.variance > 100, 'offline heat-map looks blank');
        assert.equal((await cards(page)).length, 2);
        // A link into a sub-page of the cache (another hash, a query) still opens.
        await page.goto(`${server.url}?from=home#surface=rosenbrock&opt=adam`);
        await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
        assert.equal((await cards(page))[0].optimizer, 'adam');
        noErrors(page);
        await page.context().close();
      } finally {
        if (!closed) await server.close();
      }
    },
  },
  {
    name: 'a new build deployed: the service worker updates, drops the old cache, and the page still works',
    async run({ browser }) {
      // The "new build": dist/ with another cache name in sw.js, as a rebuild writes it.
      const next = await mkdtemp(join(tmpdir(), 'gradscape-next-'));
      await cp(DIST, next, { recursive: true });
      const sw = await readFile(join(next, 'sw.js'), 'utf8');
      const [old] = /gradscape-[0-9a-f]{16}/.exec(sw);
      const fresh = 'gradscape-0123456789abcdef';
      await writeFile(join(next, 'sw.js'), sw.replace(old, fresh));
      let root = DIST;
      const server = await serveDist({ base: BASE, headers: { 'content-security-policy': CSP }, root: () => root });
      try {
        const page = await watched(browser);
        await page.goto(`${server.url}#${BOWL}`);
        await drawn(page);
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
        assert.deepEqual(await page.evaluate(() => caches.keys()), [old]);
        root = next;
        await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
        // The new worker installs into its own cache, then drops the old one as it activates.
        let keys;
        for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(50)) {
          keys = await page.evaluate(() => caches.keys());
          if (keys.length === 1 && keys[0] === fresh) break;
        }
        assert.deepEqual(keys, [fresh], 'the old cache is kept');
        await page.reload();
        await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
        await drawn(page);
        assert.equal((await cards(page)).length, 2);
        await clean(page, new URL(server.url).origin);
        await page.context().close();
      } finally {
        await server.close();
        await rm(next, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'an absurd link (megabytes) shows its notices and a working page',
    async run({ browser }) {
      await hosted(async ({ url }) => {
        const page = await watched(browser);
        const hash = `#steps=60&opt=${'sgd(lr=0.001),'.repeat(100_000)}adam&junk=${'z'.repeat(400_000)}`;
        assert.ok(hash.length > 1_500_000);
        await page.goto(url + hash);
        await page.waitForSelector('[data-testid="optimizer-card"][data-step]');
        const notices = await page.$$eval('[data-testid="notice"] p', (ps) => ps.map((p) => p.textContent));
        assert.ok(notices.some((n) => n.startsWith('opt:') && n.includes('at most 16')), notices.join('\n'));
        assert.ok(notices.some((n) => n.startsWith('junk') && n.length < 300), notices.join('\n'));
        const cs = await cards(page);
        assert.equal(cs.length, 16);
        assert.ok(cs.every((c) => c.step === '60' && c.status === 'finished'), JSON.stringify(cs[0]));
        await drawn(page);
        await page.click('[data-testid="reset"]');
        await page.click('[data-testid="play"]');
        await page.waitForFunction(() => document.querySelector('[data-testid="optimizer-card"]').dataset.step === '60');
        // The link is rewritten short.
        await page.waitForFunction(() => location.hash.length < 2000);
        await clean(page, new URL(url).origin);
        await page.context().close();
      });
    },
  },
];
