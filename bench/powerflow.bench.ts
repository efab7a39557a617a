/**
 * Power-flow benchmarks: IEEE 123 (first solve, warm solves, a year of hourly load steps) and generated
 * radial three-phase feeders of 1k, 3k and 10k buses, each beside a plain dense Gauss–Seidel-free
 * baseline: the same fixed point with a dense LU of Y_ff (measured where it fits in the time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SeededRandom } from '../src/core/random.js';
import { parseKerstingCsv } from '../src/grid/formats/kersting-csv.js';
import type { Line, Load, Network, Phase } from '../src/grid/network.js';
import { PowerFlowSolver } from '../src/grid/power-flow.js';

const dir = new URL('../test/fixtures/feeders/ieee-123/', import.meta.url).pathname;
const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(dir + f, 'utf8')]));
const rows: string[][] = [];

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

// IEEE 123
const [solver123, buildMs] = time(() => new PowerFlowSolver(parseKerstingCsv(files)));
const [first, firstMs] = time(() => solver123.solve());
const warm: number[] = [];
for (let i = 0; i < 200; i++) warm.push(time(() => solver123.solve({ loadScale: 1 + 0.001 * (i % 7) }))[1]);
warm.sort((a, b) => a - b);
rows.push([
  'IEEE 123: build + first solve',
  `${(buildMs + firstMs).toFixed(2)} ms`,
  `${first.iterations} iterations`,
]);
rows.push([
  'IEEE 123: per solve after the first (median of 200)',
  `${warm[100]!.toFixed(3)} ms`,
  'target < 2 ms',
]);
const [yearOk, yearMs] = time(() => {
  let converged = 0;
  for (let hour = 0; hour < 8760; hour++) {
    const daily = 0.75 + 0.25 * Math.sin(((hour % 24) - 6) * (Math.PI / 12));
    const seasonal = 0.85 + 0.15 * Math.cos((2 * Math.PI * (hour / 24 - 200)) / 365);
    if (solver123.solve({ loadScale: daily * seasonal, controls: false }).converged) converged++;
  }
  return converged;
});
rows.push([
  'IEEE 123: 8,760 hourly quasi-static solves',
  `${(yearMs / 1000).toFixed(2)} s`,
  `${yearOk} converged; target < 10 s`,
]);

/** A seeded random radial three-phase feeder: 12.47 kV, 300–800 ft sections, about 5 MW in all. */
function generatedFeeder(busCount: number, seed: number): Network {
  const random = new SeededRandom(seed);
  const phases: Phase[] = ['a', 'b', 'c'];
  const zPerMile = {
    re: [0.4576, 0.156, 0.1535, 0.156, 0.4666, 0.158, 0.1535, 0.158, 0.4615],
    im: [1.078, 0.5017, 0.3849, 0.5017, 1.0482, 0.4236, 0.3849, 0.4236, 1.0651],
  };
  const lines: Line[] = [];
  const loads: Load[] = [];
  for (let i = 1; i < busCount; i++) {
    const parent = Math.floor(random.next() * i); // a random recursive tree: depth grows like ln n
    const miles = (300 + 500 * random.next()) / 5280;
    lines.push({
      name: `l${i}`,
      from: `b${parent}`,
      to: `b${i}`,
      phases,
      seriesImpedanceOhm: { re: zPerMile.re.map((v) => v * miles), im: zPerMile.im.map((v) => v * miles) },
      shuntAdmittanceS: { re: new Array(9).fill(0), im: new Array(9).fill(0) },
    });
    const kw = ((0.5 + random.next()) * 5000) / 3 / busCount; // about 5 MW in all
    loads.push({
      name: `d${i}`,
      bus: `b${i}`,
      connection: 'wye',
      model: 'constant-power',
      phasePowers: phases.map((phase) => ({ phase, pKw: kw, qKvar: kw * 0.4 })),
    });
  }
  return {
    name: `generated-${busCount}`,
    buses: Array.from({ length: busCount }, (_, i) => ({ name: `b${i}`, phases })),
    lines,
    transformers: [],
    regulators: [],
    switches: [],
    loads,
    distributedLoads: [],
    capacitors: [],
    injections: [],
    source: { bus: 'b0', kvLL: 12.47 },
  };
}

for (const size of [1000, 3000, 10000]) {
  const network = generatedFeeder(size, 42);
  const [solver, build] = time(() => new PowerFlowSolver(network));
  const [result, firstSolve] = time(() => solver.solve());
  const times: number[] = [];
  for (let i = 0; i < 10; i++) times.push(time(() => solver.solve({ loadScale: 1 + 0.01 * i }))[1]);
  times.sort((a, b) => a - b);
  const vmin = Math.min(...result.buses.flatMap((b) => b.lineToNeutral.map((v) => v.vPu)));
  rows.push([
    `generated ${size} buses (${3 * size} nodes): build / first / per solve`,
    `${build.toFixed(0)} / ${firstSolve.toFixed(1)} / ${times[5]!.toFixed(2)} ms`,
    `${result.iterations} it, vmin ${vmin.toFixed(3)}; target < 50 ms at 10k`,
  ]);
  if (size <= 1000) {
    // Baseline in the same run: dense complex LU of Y_ff, O(n³).
    const n = solver.system.freeNodes.length;
    const [, denseMs] = time(() => denseLuOps(n));
    rows.push([
      `dense LU of Y_ff, ${n} nodes (baseline, one factorisation)`,
      `${denseMs.toFixed(0)} ms`,
      `ratio to a sparse solve ≈ ${(denseMs / times[5]!).toFixed(0)}×`,
    ]);
  }
}

function denseLuOps(n: number): number {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    re[i * n + i] = 4;
    if (i > 0) re[i * n + i - 1] = re[(i - 1) * n + i] = -1;
  }
  for (let k = 0; k < n; k++) {
    const dr = re[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const lr = re[i * n + k]! / dr;
      const li = im[i * n + k]! / dr;
      if (lr === 0 && li === 0) continue;
      for (let j = k + 1; j < n; j++) {
        re[i * n + j]! -= lr * re[k * n + j]! - li * im[k * n + j]!;
        im[i * n + j]! -= lr * im[k * n + j]! + li * re[k * n + j]!;
      }
    }
  }
  return re[0]!;
}

console.log('| case | time | notes |\n|---|---:|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
