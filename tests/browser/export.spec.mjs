// The Share dialog's exports: files equal to the CLI's, scripts on the clipboard, PNGs at the
// canvas's device pixels with a legend, the race as WebM; refusals as text, never an error.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open, noErrors, cliExport } from './common.mjs';

const SHOTS = '/tmp/exportui-shots';
const RACE = '#surface=rosenbrock&start=-1.2,1&steps=300&opt=adam(lr=0.01),sgd(lr=0.001),momentum(lr=0.0005)';

/** Opens the dialog and returns the page's link as the dialog shows it. */
async function openDialog(page) {
  await page.click('[data-testid="share"]');
  return page.inputValue('[data-testid="share-link"]');
}

/** Clicks `testid` and returns the download's name and bytes. */
async function download(page, testid, timeout = 10000) {
  const [d] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    page.click(`[data-testid="${testid}"]`),
  ]);
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

const status = (page) => page.locator('.share-dialog [role=status]');

/** Width, height and luminance variance of the picture part of a PNG, decoded in the page. */
async function decode(page, bytes, pictureHeight) {
  return page.evaluate(async ([b64, top]) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const stats = (y0, y1) => {
      const { data } = ctx.getImageData(0, y0, c.width, y1 - y0);
      let sum = 0, sq = 0;
      for (let i = 0; i < data.length; i += 4) {
        const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += l; sq += l * l;
      }
      const n = data.length / 4;
      return sq / n - (sum / n) ** 2;
    };
    return { width: c.width, height: c.height, picture: stats(0, top), footer: stats(top, c.height) };
  }, [bytes.toString('base64'), pictureHeight]);
}

export const tests = [
  {
    name: 'CSV and JSON downloads equal gradscape export for the page\'s link, byte for byte',
    async run({ browser, url }) {
      for (const hash of [RACE, '#surface=himmelblau&steps=120&noise=0.3&seed=4&sched=cosine(t_max=120)&opt=adam(lr=0.05),rmsprop(hidden=1),adam(lr=0.2)']) {
        const page = await open(browser, url, hash);
        const link = await openDialog(page);
        const surface = /surface=(\w+)/.exec(hash)[1];
        const csv = await download(page, 'export-csv');
        assert.equal(csv.name, `gradscape-${surface}.csv`);
        assert.equal(csv.bytes.toString('utf8'), cliExport(link, 'csv'));
        assert.match(await status(page).innerText(), new RegExp(`Saved gradscape-${surface}.csv`));
        const json = await download(page, 'export-json');
        assert.equal(json.name, `gradscape-${surface}.json`);
        assert.equal(json.bytes.toString('utf8'), cliExport(link, 'json'));
        noErrors(page);
      }
    },
  },
  {
    name: 'copy-pytorch and copy-optax put the CLI\'s scripts on the clipboard, or in the dialog where it is refused',
    async run({ browser, url }) {
      const page = await open(browser, url, RACE);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
      const link = await openDialog(page);
      for (const [testid, format, library] of [['copy-pytorch', 'pytorch', 'PyTorch'], ['copy-optax', 'optax', 'optax']]) {
        await page.click(`[data-testid="${testid}"]`);
        await assert.doesNotReject(status(page).filter({ hasText: `Copied the ${library} script` }).waitFor());
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        const script = cliExport(link, format);
        assert.ok(copied.startsWith('# gradscape scene #'), copied.slice(0, 80));
        assert.equal(copied, script);
      }
      assert.ok(await page.locator('[data-testid="export-script"]').isHidden());
      // A refused clipboard: the script is shown, selected, to copy by hand.
      await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
      await page.click('[data-testid="copy-pytorch"]');
      await status(page).filter({ hasText: 'clipboard is not available' }).waitFor();
      assert.equal(await page.inputValue('[data-testid="export-script"]'), cliExport(link, 'pytorch'));
      assert.ok(await page.locator('[data-testid="export-script"]').isVisible());
      await mkdir(SHOTS, { recursive: true });
      await page.locator('.share-dialog').screenshot({ path: join(SHOTS, 'dialog-fallback.png') });
      noErrors(page);
    },
  },
  {
    name: 'a learning task exports its CSV and its optax script equals the CLI\'s; a noisy long scene refuses scripts',
    async run({ browser, url }) {
      const page = await open(browser, url, '#task=linear&steps=50&opt=sgd(lr=0.3,batch=5),adam(lr=0.1)');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
      const link = await openDialog(page);
      const csv = await download(page, 'export-csv');
      assert.equal(csv.name, 'gradscape-linear.csv');
      assert.equal(csv.bytes.toString('utf8'), cliExport(link, 'csv'));
      assert.ok(csv.bytes.toString('utf8').startsWith('optimizer,index,step,w,b,loss\n'));
      await page.click('[data-testid="copy-optax"]');
      await status(page).filter({ hasText: 'Copied the optax script' }).waitFor();
      const script = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(script, cliExport(link, 'optax'));
      assert.match(script, /def objective\(q, batch=None\)/);
      assert.match(script, /^BATCHES_5 = \[$/m);
      noErrors(page);
      const noisy = await open(browser, url, '#surface=booth&steps=20000&noise=0.5&opt=sgd(lr=0.01)');
      await openDialog(noisy);
      await noisy.click('[data-testid="copy-pytorch"]');
      await status(noisy).filter({ hasText: 'noisy updates would make it too large' }).waitFor();
      assert.ok(await noisy.locator('[data-testid="export-script"]').isHidden());
      noErrors(noisy);
    },
  },
  {
    name: 'PNGs of the surface view and the loss chart are at device pixels, drawn, with a legend band (light and dark)',
    async run({ browser, url }) {
      await mkdir(SHOTS, { recursive: true });
      for (const theme of ['light', 'dark']) {
        const page = await open(browser, url, `${RACE}&theme=${theme}`, { deviceScaleFactor: 2 });
        await openDialog(page);
        await page.locator('.share-dialog').screenshot({ path: join(SHOTS, `dialog-${theme}.png`) });
        for (const [testid, sel, suffix] of [['export-png', '[data-testid="surface-view"] canvas.base', 'png'],
          ['export-png-loss', '[data-testid="loss-chart"] canvas.axes', 'loss.png']]) {
          const size = await page.$eval(sel, (c) => [c.width, c.height, c.getBoundingClientRect().width]);
          assert.ok(Math.abs(size[0] - size[2] * 2) <= 2, `the canvas is at device pixels: ${size}`);
          const png = await download(page, testid);
          assert.equal(png.name, `gradscape-rosenbrock.${suffix}`);
          await writeFile(join(SHOTS, `${theme}-${png.name}`), png.bytes);
          const got = await decode(page, png.bytes, size[1]);
          assert.equal(got.width, size[0]);
          // The footer: a line for the scene and one per optimizer, 18 CSS px each, 8 px margins.
          assert.equal(got.height, size[1] + (8 * 2 + 18 * 4) * 2);
          assert.ok(got.picture > 100, `${png.name} looks blank`);
          assert.ok(got.footer > 20, `${png.name}'s legend looks blank`);
          await status(page).filter({ hasText: `Saved ${png.name} (${got.width} × ${got.height} px)` }).waitFor();
        }
        noErrors(page);
      }
    },
  },
  {
    name: 'Record race plays from step 0 to the end and saves a WebM',
    async run({ browser, url }) {
      const page = await open(browser, url, '#surface=booth&steps=60&opt=adam(lr=0.5),sgd(lr=0.05)');
      await openDialog(page);
      const hasRecorder = await page.evaluate(() => 'MediaRecorder' in window && MediaRecorder.isTypeSupported('video/webm'));
      if (!hasRecorder) {
        await page.click('[data-testid="export-webm"]');
        await status(page).filter({ hasText: 'cannot record' }).waitFor();
        noErrors(page);
        return;
      }
      const webm = await download(page, 'export-webm', 20000);
      assert.equal(webm.name, 'gradscape-race.webm');
      assert.ok(webm.bytes.length > 1000, `only ${webm.bytes.length} bytes`);
      // EBML magic: a Matroska/WebM file.
      assert.deepEqual([...webm.bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3]);
      await writeFile(join(SHOTS, 'race.webm'), webm.bytes);
      // It plays to the end and its last frame decodes.
      const last = await page.evaluate(async (b64) => {
        const v = document.createElement('video');
        v.muted = true;
        v.src = URL.createObjectURL(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'video/webm' }));
        await new Promise((ok, no) => { v.onloadeddata = ok; v.onerror = () => no(new Error('the video does not load')); });
        // A recorder's WebM has no index to seek by: play it through to its end.
        const ended = new Promise((ok) => { v.onended = ok; });
        await v.play();
        await ended;
        const c = document.createElement('canvas');
        c.width = v.videoWidth;
        c.height = v.videoHeight;
        c.getContext('2d').drawImage(v, 0, 0);
        return { width: v.videoWidth, height: v.videoHeight, t: v.currentTime, png: c.toDataURL('image/png') };
      }, webm.bytes.toString('base64'));
      await writeFile(join(SHOTS, 'race-last-frame.png'), Buffer.from(last.png.split(',')[1], 'base64'));
      assert.ok(last.width > 300 && last.height > 200, `${last.width}×${last.height}`);
      // Not the race's length: a starved encoder (2 busy cores) drops frames, not the file.
      assert.ok(last.t > 0, `a video of ${last.t} s`);
      await status(page).filter({ hasText: 'Saved gradscape-race.webm' }).waitFor();
      assert.equal(await page.locator('[data-testid="play"]').innerText(), '▶ Play');
      assert.equal(await page.locator('[data-testid="export-webm"]').isEnabled(), true);
      const t = await page.locator('input[name="t"]').inputValue();
      assert.equal(t, '60', 'the race ran to its end');
      noErrors(page);
    },
  },
];
