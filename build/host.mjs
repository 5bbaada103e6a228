// Trunk post_build hook (Trunk.toml); release builds only, so that
// `make serve` keeps Trunk's live-reload page. Makes dist/ hostable as plain static files:
//  1. Under a strict Content-Security-Policy (no inline script): Trunk's inline module loader
//     moves to loader-<hash>.js, referenced by <script type=module src>. The loader also
//     registers the service worker, so the page needs no other script.
//  2. Offline and installable: sw.js precaches every file of this build under a cache named by
//     their hash, so a new deploy installs a new worker that drops the old cache.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('host: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(2);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

// Trunk runs the hooks of one stage at once, and both rewrite index.html: the glue is minified
// (and its integrity rewritten) first, here, so the loader and the worker see the final files.
await import('./minify-glue.mjs');

const hash = (data) => createHash('sha256').update(data).digest('hex').slice(0, 16);
const small = async (code) => (await minify(code, { module: true, compress: { passes: 2 } })).code;

// 1. The loader, out of the page.
const htmlPath = join(dir, 'index.html');
let html = await readFile(htmlPath, 'utf8');
const inline = /<script type="?module"?>([\s\S]*?)<\/script>/g;
const loaders = [...html.matchAll(inline)];
if (loaders.length !== 1) {
  console.error(`host: expected one inline module loader in index.html, found ${loaders.length}`);
  process.exit(1);
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html.replace(inline, ''))) {
  console.error('host: index.html has another inline script, which a strict CSP would block');
  process.exit(1);
}
if (/\sstyle=/.test(html)) {
  console.error('host: index.html has a style attribute, which a strict CSP would block');
  process.exit(1);
}
// Registration failing (a file:// page, a browser without workers) only loses offline use.
const register = `if ('serviceWorker' in navigator) navigator.serviceWorker.register('./sw.js').catch(() => {});`;
const loader = await small(`${loaders[0][1]}\n${register}`);
if (/from\s*["']\//.test(loader) || /["']\/[^"'/]/.test(loader)) {
  console.error('host: the loader names a root-absolute path; dist/ must work from a sub-path');
  process.exit(1);
}
const loaderName = `loader-${hash(loader)}.js`;
await writeFile(join(dir, loaderName), loader);
html = html.replace(inline, `<script type=module src="./${loaderName}"></script>`);
await writeFile(htmlPath, html);

// 2. The service worker, listing every file of this build (sw.js itself excepted).
async function files(at) {
  const out = [];
  for (const e of await readdir(at, { withFileTypes: true })) {
    const path = join(at, e.name);
    if (e.isDirectory()) out.push(...await files(path));
    else out.push(path);
  }
  return out;
}
const listed = (await files(dir))
  .map((p) => relative(dir, p).split('\\').join('/'))
  .filter((p) => p !== 'sw.js')
  .sort();
const digest = createHash('sha256');
for (const p of listed) digest.update(p).update(await readFile(join(dir, p)));
const cache = `gradscape-${digest.digest('hex').slice(0, 16)}`;
// Hashed assets (and everything else of this build) come from the cache first. Pages come from
// the network first, so a new deploy shows at once, and from this build's cached copy offline;
// fetched pages are not cached, so an offline page always matches the assets cached with it.
const worker = `
const CACHE = ${JSON.stringify(cache)};
const FILES = ${JSON.stringify(['./', ...listed.map((p) => `./${p}`)])};
self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((k) => k.startsWith('gradscape-') && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== location.origin) return;
  if (req.mode === 'navigate') {
    e.respondWith(fetch(req).catch(() => caches.open(CACHE)
      .then((c) => c.match(req, { ignoreSearch: true }).then((r) => r || c.match('./')))));
  } else {
    e.respondWith(caches.open(CACHE)
      .then((c) => c.match(req, { ignoreSearch: true })).then((r) => r || fetch(req)));
  }
});
`;
await writeFile(join(dir, 'sw.js'), await small(worker));
