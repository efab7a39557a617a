/**
 * Power-flow benchmarks: IEEE 123 (first solve, warm solves, a year of hourly load steps) and generated
 * radial three-phase feeders of 1k, 3k and 10k buses, per solve with the full result (`solve`) and
 * voltages only (`solveVoltages`). Baseline in the same run: the independent backward/forward sweep of
 * the cross-check tests (Kersting's generalised matrices, 3×3 per element, no matrix factorisation) on
 * the same 1k-bus power flow, with its answer compared to the solver's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SeededRandom } from '../src/core/random.js';
import { parseKerstingCsv } from '../src/grid/formats/kersting-csv.js';
import type { Line, Load, Network, Phase } from '../src/grid/network.js';
import { PowerFlowSolver } from '../src/grid/power-flow.js';
import { backwardForwardSweep } from '../test/grid/backward-forward-sweep.js';
import { median } from './timing.js';

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
  const full: number[] = [];
  const lean: number[] = [];
  for (let i = 0; i < 21; i++) {
    full.push(time(() => solver.solve({ loadScale: 1 + 0.01 * (i % 7) }))[1]);
    lean.push(time(() => solver.solveVoltages({ loadScale: 1.005 + 0.01 * (i % 7) }))[1]);
  }
  const vmin = Math.min(...result.buses.flatMap((b) => b.lineToNeutral.map((v) => v.vPu)));
  rows.push([
    `generated ${size} buses (${3 * size} nodes): build / first solve`,
    `${build.toFixed(0)} / ${firstSolve.toFixed(1)} ms`,
    `${result.iterations} it, vmin ${vmin.toFixed(3)}`,
  ]);
  rows.push([
    `generated ${size} buses: per solve, full result / voltages only (median of 21)`,
    `${median(full).toFixed(2)} / ${median(lean).toFixed(2)} ms`,
    size === 10000 ? 'target < 50 ms' : '',
  ]);
  if (size === 1000) {
    // Baseline: the same power flow by the plain backward/forward sweep.
    const sweepTimes: number[] = [];
    let sweep = backwardForwardSweep(network, 1e-9);
    for (let i = 0; i < 5; i++) sweepTimes.push(time(() => (sweep = backwardForwardSweep(network, 1e-9)))[1]);
    solver.solveVoltages({ tolerancePu: 1e-12 });
    let maxDiffPu = 0;
    for (const bus of network.buses) {
      const nodes = solver.prepared.nodeOf.get(bus.name)!;
      const expected = sweep.voltages.get(bus.name)!;
      for (let p = 0; p < 3; p++) {
        const node = nodes[p]!;
        const diff = Math.hypot(solver.vRe[node]! - expected.re[p]!, solver.vIm[node]! - expected.im[p]!);
        maxDiffPu = Math.max(maxDiffPu, diff / solver.prepared.nodeBaseV[node]!);
      }
    }
    rows.push([
      `baseline: backward/forward sweep, same ${size}-bus power flow (median of 5)`,
      `${median(sweepTimes).toFixed(1)} ms`,
      `${sweep.iterations} it; ${(median(sweepTimes) / median(full)).toFixed(1)}× a full solve; answers differ by ${maxDiffPu.toExponential(1)} pu`,
    ]);
  }
}

console.log('| case | time | notes |\n|---|---:|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
