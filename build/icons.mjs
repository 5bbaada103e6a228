// Renders public/favicon.svg to the PNG icons, with the browser the tests use: the tab's
// (public/icon-32.png: Chromium fetches and decodes the tab icon again on every history
// replaceState, an SVG icon costs 3-4 ms of main thread each time, this PNG well under 1 ms) and
// the web app manifest's (public/icon-192.png, public/icon-512.png). Run by hand when the icon
// changes: the PNGs are committed, so a build needs no browser.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, launch } from '../tests/browser/harness.mjs';

const svg = await readFile(join(ROOT, 'public', 'favicon.svg'), 'utf8');
const browser = await launch();
try {
  for (const size of [32, 192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(`<body style="margin:0"><img src="${src}" width="${size}" height="${size}">`);
    await page.screenshot({ path: join(ROOT, 'public', `icon-${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
