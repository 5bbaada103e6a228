// Shared browser-test plumbing: a static server for dist/ on a free loopback port, Debian's
// Chromium through playwright-core, and a page that records console and page errors.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** The build under test; GRADSCAPE_DIST points at another (one with symbols, for profiling). */
export const DIST = process.env.GRADSCAPE_DIST ?? join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'screenshots');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** The policy dist/ must run under (README, Embedding): no inline script or style, nothing
 * from another origin. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
  + "img-src 'self' data: blob:";

/** Serves dist/ on 127.0.0.1 at a port the OS picks; resolves to { url, close }. `base` hosts
 * it under a sub-path (`/some/sub/path/`; anything outside it is a 404), `headers` go on every
 * response (a `content-security-policy`, say), `root()` names the directory served, read per
 * request (a test deploys a new build by returning another). `close` also drops open
 * connections, so a page that was served is offline afterwards. */
export async function serveDist({ base = '/', headers = {}, root = () => DIST } = {}) {
  const server = createServer(async (req, res) => {
    const dist = root();
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!pathname.startsWith(base)) { res.writeHead(404, headers).end('not found'); return; }
    const path = normalize(`/${pathname.slice(base.length)}`);
    let file = join(dist, path);
    if (!file.startsWith(dist)) { res.writeHead(403, headers).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); }),
  };
}

/** Debian's Chromium, or $CHROME / $CHROMIUM, or whatever chromium is on PATH. */
export function chromiumPath() {
  for (const p of [process.env.CHROME, process.env.CHROMIUM, '/usr/bin/chromium']) {
    if (p && existsSync(p)) return p;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'])
      .toString().trim();
  } catch {
    throw new Error("No Chromium found: install Debian's 'chromium' package or set CHROME=/path");
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh page whose console errors and page errors are collected in `page.errors`;
 * `locale` sets `navigator.language`. */
export async function newPage(browser, { width = 1280, height = 800, deviceScaleFactor = 1, locale } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, locale });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  return page;
}

/** Pixel statistics of a canvas: variance of luminance and a hash, to tell blank from drawn. */
export async function canvasStats(page, selector) {
  return page.$eval(selector, (c) => {
    // A layer that covers part of its view (the surface's live layer) is measured on the
    // whole view, at its offset: equal pixels give equal figures wherever the layer sits.
    // Copied into a 2-D canvas: layers that rarely change are `bitmaprenderer` canvases.
    const live = c.classList.contains('live');
    const view = live ? c.parentElement.querySelector('canvas.base') : c;
    const whole = document.createElement('canvas');
    whole.width = view.width;
    whole.height = view.height;
    const dpr = devicePixelRatio;
    if (c.width > 0 && c.height > 0) {
      whole.getContext('2d').drawImage(c, live ? c.offsetLeft * dpr : 0, live ? c.offsetTop * dpr : 0);
    }
    const { data } = whole.getContext('2d').getImageData(0, 0, whole.width, whole.height);
    let sum = 0, sumSq = 0, hash = 2166136261, opaque = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += l; sumSq += l * l;
      if (data[i + 3] > 0) opaque += 1;
      hash = Math.imul(hash ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16) ^ (data[i + 3] << 24), 16777619);
    }
    const mean = sum / n;
    return { variance: sumSq / n - mean * mean, hash: hash >>> 0, opaque };
  });
}

/** The surface view's paths: its kept layer and its live layer, composited. */
export async function pathStats(page) {
  const kept = await canvasStats(page, '[data-testid="surface-view"] canvas.paths');
  const live = await canvasStats(page, '[data-testid="surface-view"] canvas.live');
  return { opaque: kept.opaque + live.opaque, hash: (Math.imul(kept.hash, 31) ^ live.hash) >>> 0, kept, live };
}
