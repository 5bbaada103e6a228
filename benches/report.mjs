// Turns criterion's estimates (target/criterion) into rows of the one benchmark table
// (target/bench/report.json, shared with the browser benchmarks) and prints them.
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const CRITERION = join(ROOT, 'target', 'criterion');
const REPORT = join(ROOT, 'target', 'bench', 'report.json');
const ADAM_GOAL = 20e6;

function estimate(group, fn) {
  const dir = join(CRITERION, group, fn, 'new');
  const ns = JSON.parse(readFileSync(join(dir, 'estimates.json'))).mean.point_estimate;
  const bench = JSON.parse(readFileSync(join(dir, 'benchmark.json')));
  const elements = bench.throughput?.Elements ?? 1;
  return { ns, perSecond: elements / (ns * 1e-9) };
}

const rows = [];
for (const group of ['update_only_2000_steps', 'rosenbrock_2000_steps']) {
  const dir = join(CRITERION, group);
  if (!existsSync(dir)) continue;
  for (const fn of readdirSync(dir).filter((f) => f !== 'report').sort()) {
    const { perSecond } = estimate(group, fn);
    const isAdam = fn === 'adam' && group === 'update_only_2000_steps';
    rows.push({
      name: `engine ${group === 'update_only_2000_steps' ? 'update' : 'run on Rosenbrock'}: ${fn}`,
      value: +(perSecond / 1e6).toFixed(2),
      unit: 'M steps/s',
      goal: isAdam ? `≥ ${ADAM_GOAL / 1e6}` : '',
      ok: isAdam ? perSecond >= ADAM_GOAL : null,
    });
  }
}
if (existsSync(join(CRITERION, 'scene'))) {
  const { ns, perSecond } = estimate('scene', '10_optimizers_x_2000_steps');
  rows.push({ name: 'engine scene: 10 optimizers × 2,000 steps', value: +(ns / 1e6).toFixed(3), unit: 'ms', goal: '', ok: null });
  rows.push({ name: 'engine scene throughput', value: +(perSecond / 1e6).toFixed(2), unit: 'M steps/s', goal: '', ok: null });
}
for (const id of ['rosenbrock', 'rastrigin', 'himmelblau']) {
  if (!existsSync(join(CRITERION, 'heatmap_512', id))) continue;
  const { ns } = estimate('heatmap_512', id);
  rows.push({ name: `engine heat-map layer 512², native: ${id}`, value: +(ns / 1e6).toFixed(2), unit: 'ms', goal: '', ok: null });
}

if (existsSync(join(CRITERION, 'sweep'))) {
  const grid = estimate('sweep', 'grid_64x64x500_adam_rosenbrock');
  rows.push({ name: 'engine sweep 64×64×500 Adam/Rosenbrock (2 M steps), all cores', value: +(grid.ns / 1e6).toFixed(1), unit: 'ms', goal: '≤ 150', ok: grid.ns <= 150e6 });
  const band = estimate('sweep', 'hyperband_81_3_logistic_1000');
  rows.push({ name: 'engine Hyperband R=81 η=3, logistic n=1,000', value: +(band.ns / 1e6).toFixed(1), unit: 'ms', goal: '', ok: null });
}

mkdirSync(join(ROOT, 'target', 'bench'), { recursive: true });
const report = existsSync(REPORT) ? JSON.parse(readFileSync(REPORT)) : { rows: [] };
report.rows = [...(report.rows ?? []).filter((r) => !r.name.startsWith('engine ')), ...rows];
writeFileSync(REPORT, JSON.stringify(report, null, 2));
console.log('\nEngine (native, criterion means)');
for (const r of rows) {
  const mark = r.ok === null ? '' : r.ok ? 'ok' : 'MISSED';
  console.log(`  ${r.name.padEnd(48)} ${String(r.value).padStart(9)} ${r.unit.padEnd(10)} ${r.goal.padEnd(6)} ${mark}`);
}
