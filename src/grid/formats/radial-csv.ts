/**
 * Balanced radial cases (`buses.csv`: bus,type,p_kw,q_kvar,base_kv; `branches.csv`:
 * from,to,r_ohm,x_ohm,in_service) to a `Network`. The single-phase equivalent is built as three
 * decoupled identical phases (diagonal impedance, each phase a third of the load), so voltages in per
 * unit and total losses equal the single-phase solution; results are reported for phase a only.
 */
import { TeError } from '../../core/errors.js';
import type { Bus, Line, Load, Network, Phase } from '../network.js';
import { PHASES } from '../network.js';
import { number, parseCsvTable, rowError, text } from './csv-table.js';

export const RADIAL_REQUIRED_FILES = ['buses.csv', 'branches.csv'] as const;

export function parseRadialCsv(files: ReadonlyMap<string, string>, name = 'radial'): Network {
  const read = (file: string): string => {
    const content = files.get(file);
    if (content === undefined) {
      throw new TeError('TE_ERR_FEEDER_FORMAT', 'required file is missing', {
        path: file,
        hint: 'a radial case needs buses.csv and branches.csv',
      });
    }
    return content;
  };
  const busRows = parseCsvTable('buses.csv', read('buses.csv'), ['bus', 'type', 'p_kw', 'q_kvar', 'base_kv']);
  const branchRows = parseCsvTable('branches.csv', read('branches.csv'), [
    'from',
    'to',
    'r_ohm',
    'x_ohm',
    'in_service',
  ]);
  const phases: Phase[] = [...PHASES];
  const buses: Bus[] = [];
  const loads: Load[] = [];
  let slack: { bus: string; kv: number } | undefined;
  for (const row of busRows) {
    const bus = text(row, 'bus');
    const kv = number(row, 'base_kv');
    const type = text(row, 'type').toLowerCase();
    if (type !== 'slack' && type !== 'pq') throw rowError(row, `type must be slack or PQ, got '${type}'`);
    if (type === 'slack') {
      if (slack !== undefined) throw rowError(row, 'a second slack bus', 'a radial case has one slack bus');
      slack = { bus, kv };
    }
    buses.push({ name: bus, phases, nominalKvLL: kv });
    const pKw = number(row, 'p_kw');
    const qKvar = number(row, 'q_kvar');
    if (pKw !== 0 || qKvar !== 0) {
      loads.push({
        name: `load-${bus}`,
        bus,
        connection: 'wye',
        model: 'constant-power',
        phasePowers: phases.map((phase) => ({ phase, pKw: pKw / 3, qKvar: qKvar / 3 })),
      });
    }
  }
  if (slack === undefined)
    throw new TeError('TE_ERR_FEEDER_FORMAT', 'no slack bus', {
      path: 'buses.csv',
      hint: 'mark the source bus with type slack',
    });
  const known = new Set(buses.map((b) => b.name));
  const lines: Line[] = [];
  for (const row of branchRows) {
    const from = text(row, 'from');
    const to = text(row, 'to');
    for (const bus of [from, to])
      if (!known.has(bus)) throw rowError(row, `bus '${bus}' is not in buses.csv`);
    const inService = number(row, 'in_service');
    if (inService !== 0 && inService !== 1)
      throw rowError(row, `in_service must be 0 or 1, got ${inService}`);
    if (inService === 0) continue;
    const r = number(row, 'r_ohm');
    const x = number(row, 'x_ohm');
    if (!(Math.hypot(r, x) > 0)) throw rowError(row, 'branch impedance must not be zero');
    const diagonal = (v: number): number[] => [v, 0, 0, 0, v, 0, 0, 0, v];
    lines.push({
      name: `${from}-${to}`,
      from,
      to,
      phases,
      seriesImpedanceOhm: { re: diagonal(r), im: diagonal(x) },
      shuntAdmittanceS: { re: diagonal(0), im: diagonal(0) },
    });
  }
  return {
    name,
    buses,
    lines,
    transformers: [],
    regulators: [],
    switches: [],
    loads,
    distributedLoads: [],
    capacitors: [],
    injections: [],
    source: { bus: slack.bus, kvLL: slack.kv },
    balancedEquivalent: true,
  };
}
