// Runs every tests/browser/*.spec.mjs against the built dist/ and prints "N passed, M failed".
// A spec exports `tests`: a list of { name, run: async ({ browser, url }) => {} }.
import { readdir, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, SHOTS, serveDist, launch } from './harness.mjs';

const dir = new URL('.', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
if (!existsSync(join(DIST, 'index.html'))) {
  console.error('dist/ is missing: run `make build` first');
  process.exit(1);
}
await mkdir(SHOTS, { recursive: true });
const server = await serveDist();
const browser = await launch();
let passed = 0, failed = 0;
try {
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.spec.mjs')).sort()) {
    const { tests } = await import(join(dir, file));
    for (const t of tests) {
      const name = `${file.replace('.spec.mjs', '')} › ${t.name}`;
      if (!name.includes(filter)) continue;
      const started = Date.now();
      try {
        await t.run({ browser, url: server.url });
        passed += 1;
        console.log(`  ok    ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed += 1;
        console.log(`  FAIL  ${name}\n        ${String(e.stack ?? e).split('\n').join('\n        ')}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
