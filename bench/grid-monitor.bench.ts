/**
 * The live grid monitor's solve (`npx tsx bench/grid-monitor.bench.ts`): the IEEE 13-node feeder with the
 * default scenario's 300 homes placed as the simulator places them, one state per five-minute slot of a
 * day with seeded loads (0.3–6 kW a home, shaped by the hour), timed as the monitor runs it
 * (`solveGridState`: the power flow, the per-bus and per-branch state, violations and the envelopes of
 * all 300 connections). Baseline in the same run: the power flow alone (`FeederFlow.solve`), which is what
 * the simulator solves per slot when envelopes are off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { SeededRandom } from '../src/core/random.js';
import { parseKerstingCsv } from '../src/grid/formats/kersting-csv.js';
import { GridFeeder } from '../src/live/grid/grid-feeder.js';
import { solveGridState } from '../src/live/grid/grid-solve.js';
import { scenarioHomePlacement } from '../src/sim/feeder/home-placement.js';
import { median } from './timing.js';

const HOMES = 300;
const SLOTS = 288;
const dir = new URL('../scenarios/feeders/ieee-13/', import.meta.url).pathname;
const network = parseKerstingCsv(new Map(readdirSync(dir).map((f) => [f, readFileSync(dir + f, 'utf8')])), {
  name: 'ieee-13',
});
const placement = scenarioHomePlacement(network, HOMES, 42);
const feeder = new GridFeeder({
  marketId: 'community',
  network,
  connections: placement.map((c, k) => ({ participantId: `home-${k + 1}`, bus: c.bus, phase: c.phase })),
  substationCapacityKw: 1500,
});
const random = new SeededRandom(7);
const loads = Array.from({ length: SLOTS }, (_, slot) => {
  const hour = (slot * 5) / 60;
  const shape = 0.55 + 0.45 * Math.sin(((hour - 10) * Math.PI) / 12);
  return Float64Array.from({ length: HOMES }, () => 0.3 + 5.7 * shape * random.next());
});

function timeSlots(solve: (loadKw: Float64Array, slot: number) => boolean): {
  times: number[];
  converged: number;
} {
  const times: number[] = [];
  let converged = 0;
  loads.forEach((loadKw, slot) => {
    const start = performance.now();
    if (solve(loadKw, slot)) converged++;
    times.push(performance.now() - start);
  });
  return { times, converged };
}

const row = (name: string, { times, converged }: { times: number[]; converged: number }) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `| ${name} | ${median(times).toFixed(2)} | ${sorted[Math.floor(sorted.length * 0.95)]?.toFixed(2)} | ${sorted.at(-1)?.toFixed(2)} | ${converged}/${SLOTS} |`;
};

const stateFlow = feeder.createFlow();
let violations = 0;
const states = timeSlots((loadKw, slot) => {
  const state = solveGridState(
    feeder,
    stateFlow,
    { marketId: 'community', slotStartMs: slot * 300_000, loadKw, connectionsWithoutReadings: 0 },
    () => 0,
    () => 0,
  );
  violations += state.violations.length;
  return state.converged;
});
const flowOnly = feeder.createFlow();
const baseline = timeSlots((loadKw) => flowOnly.solve(loadKw).converged);

console.log(
  `IEEE 13, ${HOMES} homes, ${SLOTS} slots; Node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('| per slot | median ms | p95 ms | max ms | converged |');
console.log('|---|---:|---:|---:|---:|');
console.log(row('grid monitor solve (state + 300 envelopes)', states));
console.log(row('baseline: power flow only (FeederFlow.solve)', baseline));
console.log(`violations over the day: ${violations}`);
