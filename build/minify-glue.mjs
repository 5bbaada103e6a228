// Run by build/host.mjs (the Trunk post_build hook) before anything else: minifies
// wasm-bindgen's JS glue in the staging directory with terser and rewrites its integrity hash in
// index.html. The glue is 44 KB as generated,
// and the bundle has a size budget (tests/browser/size.mjs). Release builds only, so that
// `make serve` keeps readable glue.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(2);
}
if (process.env.TRUNK_PROFILE === 'release') {
  const htmlPath = join(dir, 'index.html');
  let html = await readFile(htmlPath, 'utf8');
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.js'))) {
    const path = join(dir, name);
    const { code } = await minify(await readFile(path, 'utf8'), {
      module: true,
      compress: { passes: 2 },
    });
    await writeFile(path, code);
    const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
    // Every tag that loads this file carries its hash (the module preload, for one); the
    // attribute may be quoted or not, as Trunk's HTML minifier leaves it.
    const escaped = name.replace(/[.-]/g, '\\$&');
    const tag = new RegExp(`(<[^>]*${escaped}[^>]*integrity=)("?)[^"\\s>]*\\2`, 'g');
    html = html.replace(tag, `$1"${integrity}"`);
  }
  await writeFile(htmlPath, html);
}
