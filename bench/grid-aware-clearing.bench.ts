/**
 * Grid-aware clearing on the IEEE 123-node feeder, side by side with the unconstrained uniform-price
 * auction in the same run on the same book. Run with `npx tsx bench/grid-aware-clearing.bench.ts`;
 * prints a markdown table.
 *
 * Areas are the feeder's sections: the substation (bus 150, the root) and a section below each voltage
 * regulator (rg1 feeds the main feeder; rg2, rg3 and rg4 feed their laterals below it). The substation
 * keeps its 5,000 kVA rating; each section's capacity is a share (30–50 %) of the spot load in and below
 * it, as on a derated peak day, so the book congests them. 2,499
 * participants spread over the loaded buses bid four steps each (consumers buy; one in four is a
 * prosumer whose PV sells two steps and whose export envelope is 1.5 kW); the wholesale supplier sells
 * four tiers from outside the feeder (area -1, through the substation): 10,000 rows in all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { SeededRandom } from '../src/core/random.js';
import { createHighsLpSolver } from '../src/engine/highs-lp-solver.js';
import { parseKerstingCsv } from '../src/grid/formats/kersting-csv.js';
import type { Network } from '../src/grid/network.js';
import { gridAwareAuction } from '../src/market/grid-aware/grid-aware-auction.js';
import { checkGridLimits } from '../src/market/grid-aware/grid-limits.js';
import { welfareProgram } from '../src/market/grid-aware/welfare-program.js';
import { areaTree, type AreaTree } from '../src/market/mechanism/area-tree.js';
import type { ClearingContext, MarketClearing } from '../src/market/mechanism/clearing-mechanism.js';
import { BUY, OrderTableBuilder, type OrderTable } from '../src/market/mechanism/order-table.js';
import { uniformPriceAuction } from '../src/market/mechanism/uniform-price-mechanism.js';
import { timeRuns } from './timing.js';

const dir = new URL('../test/fixtures/feeders/ieee-123/', import.meta.url).pathname;
const network = parseKerstingCsv(new Map(readdirSync(dir).map((f) => [f, readFileSync(dir + f, 'utf8')])));

/** Each bus's section: walk from the source; crossing a regulator starts a section below it. */
function feederSections(feeder: Network): {
  names: string[];
  parents: (string | null)[];
  areaOfBus: Map<string, number>;
} {
  const names = ['substation'];
  const parents: (string | null)[] = [null];
  const areaOfBus = new Map([[feeder.source.bus, 0]]);
  const edges = new Map<string, { to: string; regulator?: string }[]>();
  const link = (from: string, to: string, regulator?: string) => {
    for (const [a, b] of [
      [from, to],
      [to, from],
    ] as const) {
      const list = edges.get(a) ?? [];
      list.push(regulator === undefined ? { to: b } : { to: b, regulator });
      edges.set(a, list);
    }
  };
  for (const branch of [...feeder.lines, ...feeder.transformers]) link(branch.from, branch.to);
  for (const sw of feeder.switches) if (sw.closed) link(sw.from, sw.to);
  for (const regulator of feeder.regulators) link(regulator.from, regulator.to, regulator.name);
  const queue = [feeder.source.bus];
  for (let bus = queue.shift(); bus !== undefined; bus = queue.shift()) {
    const area = areaOfBus.get(bus) ?? 0;
    for (const edge of edges.get(bus) ?? []) {
      if (areaOfBus.has(edge.to)) continue;
      let next = area;
      if (edge.regulator !== undefined) {
        next = names.length;
        names.push(`below ${edge.regulator}`);
        parents.push(names[area] ?? null);
      }
      areaOfBus.set(edge.to, next);
      queue.push(edge.to);
    }
  }
  return { names, parents, areaOfBus };
}

const sections = feederSections(network);
const busLoads = network.loads
  .map((load) => ({ bus: load.bus, kw: load.phasePowers.reduce((sum, p) => sum + p.pKw, 0) }))
  .filter((load) => load.kw > 0 && sections.areaOfBus.has(load.bus));
const subtreeLoadKw = new Float64Array(sections.names.length);
const parentIndex = sections.parents.map((p) => (p === null ? -1 : sections.names.indexOf(p)));
for (const { bus, kw } of busLoads)
  for (let a = sections.areaOfBus.get(bus) ?? -1; a >= 0; a = parentIndex[a] ?? -1)
    subtreeLoadKw[a] = (subtreeLoadKw[a] ?? 0) + kw;
/** Substation at its 5,000 kVA rating (taken as kW: it does not bind); the sections derated to bind. */
const SECTION_LOAD_SHARE: Record<string, number> = {
  'below rg1': 0.5,
  'below rg2': 0.4,
  'below rg3': 0.4,
  'below rg4': 0.3,
};
const substationKva = Number(
  readFileSync(dir + 'substation.csv', 'utf8')
    .split('\n')[1]
    ?.split(',')[1],
);
const tree: AreaTree = areaTree(
  sections.names.map((name, a) => ({
    name,
    parent: sections.parents[a] ?? null,
    capacityKw: a === 0 ? substationKva : (SECTION_LOAD_SHARE[name] ?? 1) * (subtreeLoadKw[a] ?? 0),
  })),
);

const PARTICIPANTS = 2_499;
const STEPS = 4;
function peakHourBook(seed: number): {
  table: OrderTable;
  envelopes: NonNullable<ClearingContext['envelopes']>;
} {
  const random = new SeededRandom(seed);
  const builder = new OrderTableBuilder();
  const importKw = new Float64Array(PARTICIPANTS + 1).fill(Infinity);
  const exportKw = new Float64Array(PARTICIPANTS + 1).fill(Infinity);
  const totalLoadKw = busLoads.reduce((sum, l) => sum + l.kw, 0);
  for (let p = 0; p < PARTICIPANTS; p++) {
    const site = busLoads[p % busLoads.length]!;
    const area = sections.areaOfBus.get(site.bus) ?? -1;
    // Each bus's participants together want about 1.2 × its spot load.
    const perParticipantKw = (1.2 * site.kw * busLoads.length) / PARTICIPANTS;
    const prosumer = p % 4 === 3;
    for (let step = 0; step < STEPS; step++) {
      if (prosumer && step < 2) {
        builder.add({
          side: 'sell',
          price: random.uniform(0, 0.08),
          quantity: random.uniform(0.2, 1.2),
          participant: p,
          area,
        });
      } else {
        const price = random.uniform(0.05, 0.4) * (1 - 0.15 * step);
        builder.add({
          side: 'buy',
          price,
          quantity: random.uniform(0.5, 1.5) * (perParticipantKw / STEPS),
          participant: p,
          area,
        });
      }
    }
    if (prosumer) exportKw[p] = 1.5;
  }
  const supplier = PARTICIPANTS;
  for (const [price, share] of [
    [0.1, 0.5],
    [0.15, 0.3],
    [0.25, 0.3],
    [0.5, 0.5],
  ] as const)
    builder.add({ side: 'sell', price, quantity: share * totalLoadKw, participant: supplier, area: -1 });
  const table = builder.build();
  return { table, envelopes: { importKw, exportKw } };
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error;
  return result.value;
}
function welfare(table: OrderTable, clearing: MarketClearing): number {
  let total = 0;
  for (let i = 0; i < table.rows; i++)
    total += (table.side[i] === BUY ? 1 : -1) * (table.price[i] ?? 0) * (clearing.filled[i] ?? 0);
  return total;
}
function traded(table: OrderTable, clearing: MarketClearing): number {
  let total = 0;
  for (let i = 0; i < table.rows; i++) if (table.side[i] === BUY) total += clearing.filled[i] ?? 0;
  return total;
}

const solver = await createHighsLpSolver();
const gridAware = gridAwareAuction(solver);
const { table, envelopes } = peakHourBook(825);
const context: ClearingContext = {
  slot: { startMs: 0, endMs: 300_000 },
  priceCap: 1,
  bidOffset: 0.0001,
  areas: tree,
  envelopes,
};
const RUNS = 9;

const plain = timeRuns(RUNS, () => unwrap(uniformPriceAuction.clear(table, context)));
const check = timeRuns(RUNS, () => checkGridLimits(table, context, plain.result));
const build = timeRuns(RUNS, () => welfareProgram(table, context));
const solve = timeRuns(RUNS, () => solver.solve(build.result.program));
const aware = timeRuns(RUNS, () => unwrap(gridAware.clear(table, context)));
const violationsAfter = checkGridLimits(table, context, aware.result);
const program = build.result.program;

const format = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const kw = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log('## Grid-aware clearing on the IEEE 123-node feeder');
console.log('');
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread; ${table.rows.toLocaleString('en-US')} rows, ` +
    `${sections.names.length} areas (${sections.names.join(', ')}), ${PARTICIPANTS.toLocaleString('en-US')} participants + the supplier; ` +
    `LP ${program.cost.length.toLocaleString('en-US')} columns × ${program.rowLower.length} rows; median of ${RUNS} runs after a warm-up.`,
);
console.log('');
console.log(
  '| clearing | time (ms) | traded (kW) | welfare (per h) | limits broken | binding limits | congestion rent (per h) | status |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
console.log(
  `| uniform-price auction (no limits) | ${format(plain.medianMs)} | ${kw(traded(table, plain.result))} | ${welfare(table, plain.result).toFixed(2)} | ` +
    `${check.result.length} | – | 0 | ${plain.result.status} |`,
);
console.log(
  `| grid-aware auction (total) | ${format(aware.medianMs)} | ${kw(traded(table, aware.result))} | ${welfare(table, aware.result).toFixed(2)} | ` +
    `${violationsAfter.length} | ${aware.result.bindingLimits.length} | ${aware.result.congestionRentPerHour.toFixed(2)} | ${aware.result.status} |`,
);
console.log(`| – of which: limit check | ${format(check.medianMs)} | | | | | | |`);
console.log(`| – of which: LP build | ${format(build.medianMs)} | | | | | | |`);
console.log(`| – of which: HiGHS solve | ${format(solve.medianMs)} | | | | | | |`);
console.log('');
console.log('| area | capacity (kW) | flow unconstrained (kW) | flow grid-aware (kW) | price (per kWh) |');
console.log('|---|---:|---:|---:|---:|');
const flows = (clearing: MarketClearing) => {
  const net = new Float64Array(tree.names.length);
  for (let i = 0; i < table.rows; i++)
    for (let a = table.area[i] ?? -1; a >= 0; a = tree.parent[a] ?? -1)
      net[a] = (net[a] ?? 0) + (table.side[i] === BUY ? 1 : -1) * (clearing.filled[i] ?? 0);
  return net;
};
const before = flows(plain.result);
const after = flows(aware.result);
for (let a = 0; a < tree.names.length; a++)
  console.log(
    `| ${tree.names[a]} | ${kw(tree.capacityKw[a] ?? NaN)} | ${kw(before[a] ?? NaN)} | ${kw(after[a] ?? NaN)} | ${(aware.result.areaPrice[a] ?? NaN).toFixed(4)} |`,
  );
if (violationsAfter.length > 0 || aware.medianMs > 1000) {
  console.error(`grid-aware clearing broke ${violationsAfter.length} limit(s) or took over 1 s`);
  process.exitCode = 1;
}
