/**
 * The IEEE test feeders as Kersting CSV tables (one file per element type; see the feeder README) to a
 * `Network`. Pure: the caller passes the texts by file name. Conventions of the format:
 * - impedances in ohm and susceptances in µS per the configuration's unit; segment lengths in their own
 *   unit; a segment whose config names a transformer, regulator or switch is that element;
 * - regulator taps tap_1..tap_3 belong to phases a, b, c (fixed taps, V_out = (1 + 0.00625·tap)·V_in);
 * - capacitors are wye, rated at the bus's nominal voltage; delta loads put ph1/ph2/ph3 on ab/bc/ca;
 * - distributed loads are lumped as Kersting does (2/3 at a quarter of the segment, 1/3 at its end)
 *   unless `distributedLoadLumping` says otherwise.
 */
import { TeError } from '../../core/errors.js';
import type {
  Bus,
  Capacitor,
  DistributedLoad,
  Line,
  Load,
  LoadModel,
  Network,
  Phase,
  PhasePower,
  PhaseMatrix,
  Regulator,
  Switch,
  Transformer,
  WindingConnection,
} from '../network.js';
import { lineFromPerLength, PHASES, symmetricPhaseMatrix } from '../network.js';
import { type CsvRow, number, parseCsvTable, rowError, text } from './csv-table.js';

export interface KerstingCsvOptions {
  readonly name?: string;
  /** Which spot-load table to use (IEEE 4 has balanced and unbalanced ones). */
  readonly spotLoadsFile?: string;
  readonly distributedLoadLumping?: 'kersting-exact' | 'half-each-end';
}

export const KERSTING_REQUIRED_FILES = ['substation.csv', 'line_segments.csv'] as const;

const LENGTH_IN_FEET: Record<string, number> = {
  ft: 1,
  mi: 5280,
  kft: 1000,
  m: 3.280839895,
  km: 3280.839895,
};

export function parseKerstingCsv(
  files: ReadonlyMap<string, string>,
  options: KerstingCsvOptions = {},
): Network {
  const table = (file: string, required: readonly string[], optional = false): CsvRow[] => {
    const content = files.get(file);
    if (content === undefined) {
      if (optional) return [];
      throw new TeError('TE_ERR_FEEDER_FORMAT', 'required file is missing', {
        path: file,
        hint: 'a Kersting CSV feeder needs substation.csv and line_segments.csv',
      });
    }
    return parseCsvTable(file, content, required);
  };
  const [substation] = table('substation.csv', ['bus', 'kv']);
  if (substation === undefined)
    throw new TeError('TE_ERR_FEEDER_FORMAT', 'no substation row', { path: 'substation.csv' });
  const source = { bus: text(substation, 'bus'), kvLL: number(substation, 'kv') };

  const configs = new Map<string, { unit: string; phases: Phase[]; z: PhaseMatrix; y: PhaseMatrix }>();
  const upper = ['aa', 'ab', 'ac', 'bb', 'bc', 'cc'];
  for (const row of table(
    'line_configurations.csv',
    ['config', 'unit', ...upper.flatMap((e) => [`r${e}`, `x${e}`]), ...upper.map((e) => `b${e}`)],
    true,
  )) {
    const unit = lengthUnit(row, 'unit');
    const r = upper.map((e) => number(row, `r${e}`));
    const x = upper.map((e) => number(row, `x${e}`));
    const b = upper.map((e) => number(row, `b${e}`) * 1e-6);
    const diagonal = [0, 3, 5];
    const phases = PHASES.filter((_, i) => r[diagonal[i]!] !== 0 || x[diagonal[i]!] !== 0);
    configs.set(text(row, 'config').toLowerCase(), {
      unit,
      phases,
      z: symmetricPhaseMatrix(r, x),
      y: symmetricPhaseMatrix([0, 0, 0, 0, 0, 0], b),
    });
  }
  const transformerRows = new Map(
    table(
      'transformers.csv',
      ['config', 'kva', 'phases', 'conn_high', 'conn_low', 'kv_high', 'kv_low', 'rpu', 'xpu'],
      true,
    ).map((r) => [text(r, 'config').toLowerCase(), r]),
  );
  const regulatorRows = new Map(
    table('regulators.csv', ['config', 'phases', 'tap_1', 'tap_2', 'tap_3'], true).map((r) => [
      text(r, 'config'),
      r,
    ]),
  );
  const switchRows = new Map(
    table('switches.csv', ['config', 'phases', 'state'], true).map((r) => [
      text(r, 'config').toLowerCase(),
      r,
    ]),
  );

  const busPhases = new Map<string, Set<Phase>>();
  const touch = (bus: string, phases: readonly Phase[]): void => {
    const set = busPhases.get(bus) ?? new Set<Phase>();
    phases.forEach((p) => set.add(p));
    busPhases.set(bus, set);
  };
  const lines: Line[] = [];
  const transformers: Transformer[] = [];
  const regulators: Regulator[] = [];
  const switches: Switch[] = [];
  for (const row of table('line_segments.csv', ['bus1', 'bus2', 'length', 'unit', 'config'])) {
    const from = text(row, 'bus1');
    const to = text(row, 'bus2');
    const config = text(row, 'config');
    const key = config.toLowerCase();
    const name = `${from}-${to}`;
    const line = configs.get(key);
    const transformer = transformerRows.get(key);
    const regulator = regulatorRows.get(key);
    const sw = switchRows.get(key);
    if (line !== undefined) {
      const lengthFt = number(row, 'length') * LENGTH_IN_FEET[lengthUnit(row, 'unit')]!;
      if (!(lengthFt > 0)) throw rowError(row, `line length must be positive, got ${number(row, 'length')}`);
      lines.push(
        lineFromPerLength({
          name,
          from,
          to,
          phases: line.phases,
          impedanceOhmPerUnitLength: line.z,
          admittanceSPerUnitLength: line.y,
          length: lengthFt / LENGTH_IN_FEET[line.unit]!,
        }),
      );
      touch(from, line.phases);
      touch(to, line.phases);
    } else if (transformer !== undefined) {
      const phases = phaseList(transformer, 'phases');
      transformers.push({
        name: text(transformer, 'config'),
        from,
        to,
        phases,
        connectionHigh: winding(transformer, 'conn_high'),
        connectionLow: winding(transformer, 'conn_low'),
        kvHigh: number(transformer, 'kv_high'),
        kvLow: number(transformer, 'kv_low'),
        kva: number(transformer, 'kva'),
        resistancePu: number(transformer, 'rpu'),
        reactancePu: number(transformer, 'xpu'),
      });
      touch(from, phases);
      touch(to, phases);
    } else if (regulator !== undefined) {
      const phases = phaseList(regulator, 'phases');
      const taps: [number, number, number] = [
        number(regulator, 'tap_1'),
        number(regulator, 'tap_2'),
        number(regulator, 'tap_3'),
      ];
      regulators.push({ name: config, from, to, phases, tapSteps: taps });
      touch(from, phases);
      touch(to, phases);
    } else if (sw !== undefined) {
      const phases = phaseList(sw, 'phases');
      const state = text(sw, 'state').toLowerCase();
      if (state !== 'closed' && state !== 'open')
        throw rowError(sw, `switch state must be closed or open, got '${state}'`);
      switches.push({ name: config, from, to, phases, closed: state === 'closed' });
      touch(from, phases);
      touch(to, phases);
    } else {
      throw rowError(
        row,
        `config '${config}' is not a line configuration, transformer, regulator or switch`,
        'define it in line_configurations.csv, transformers.csv, regulators.csv or switches.csv',
      );
    }
  }
  const coords = new Map(
    table('bus_coords.csv', ['bus', 'x', 'y'], true).map((r) => [
      text(r, 'bus'),
      { x: number(r, 'x'), y: number(r, 'y') },
    ]),
  );
  const buses: Bus[] = [...busPhases].map(([name, phases]) => ({
    name,
    phases: [...phases].sort(),
    ...(coords.get(name) ?? {}),
  }));
  const knownBus = (row: CsvRow, column: string): string => {
    const bus = text(row, column);
    if (!busPhases.has(bus))
      throw rowError(
        row,
        `bus '${bus}' is not on any line segment`,
        'check the bus name against line_segments.csv',
      );
    return bus;
  };
  const loadColumns = ['conn', 'type', 'kw_ph1', 'kvar_ph1', 'kw_ph2', 'kvar_ph2', 'kw_ph3', 'kvar_ph3'];
  const loads: Load[] = table(options.spotLoadsFile ?? 'spot_loads.csv', ['bus', ...loadColumns], true).map(
    (row) => {
      const bus = knownBus(row, 'bus');
      return { name: `${bus}@${row.line}`, bus, ...loadBody(row) };
    },
  );
  const distributedLoads: DistributedLoad[] = table(
    'distributed_loads.csv',
    ['bus1', 'bus2', ...loadColumns],
    true,
  ).map((row) => {
    const a = knownBus(row, 'bus1');
    const b = knownBus(row, 'bus2');
    const line = lines.find((l) => (l.from === a && l.to === b) || (l.from === b && l.to === a));
    if (line === undefined)
      throw rowError(
        row,
        `no line segment joins ${a} and ${b}`,
        'a distributed load lies along a line segment',
      );
    return {
      name: `${a}-${b}@${row.line}`,
      line: line.name,
      lumping: options.distributedLoadLumping ?? 'half-each-end',
      ...loadBody(row),
    };
  });
  const capacitors: Capacitor[] = table(
    'capacitors.csv',
    ['bus', 'kvar_ph1', 'kvar_ph2', 'kvar_ph3'],
    true,
  ).map((row) => {
    const bus = knownBus(row, 'bus');
    const phaseKvar = PHASES.map((phase, i) => ({ phase, kvar: number(row, `kvar_ph${i + 1}`) })).filter(
      (p) => p.kvar !== 0,
    );
    return { name: `cap-${bus}@${row.line}`, bus, connection: 'wye', phaseKvar };
  });
  return {
    name: options.name ?? 'feeder',
    buses,
    lines,
    transformers,
    regulators,
    switches,
    loads,
    distributedLoads,
    capacitors,
    injections: [],
    source,
  };
}

function loadBody(row: CsvRow): Omit<Load, 'name' | 'bus'> {
  const conn = text(row, 'conn').toUpperCase();
  if (conn !== 'Y' && conn !== 'D') throw rowError(row, `conn must be Y or D, got '${conn}'`);
  const type = text(row, 'type').toUpperCase();
  const models: Record<string, LoadModel> = {
    PQ: 'constant-power',
    Z: 'constant-impedance',
    I: 'constant-current',
  };
  const model = models[type];
  if (model === undefined) throw rowError(row, `type must be PQ, Z or I, got '${type}'`);
  const phasePowers: PhasePower[] = PHASES.map((phase, i) => ({
    phase,
    pKw: number(row, `kw_ph${i + 1}`),
    qKvar: number(row, `kvar_ph${i + 1}`),
  })).filter((p) => p.pKw !== 0 || p.qKvar !== 0);
  return { connection: conn === 'Y' ? 'wye' : 'delta', model, phasePowers };
}

function lengthUnit(row: CsvRow, column: string): string {
  const unit = text(row, column).toLowerCase();
  if (LENGTH_IN_FEET[unit] === undefined)
    throw rowError(
      row,
      `unknown length unit '${unit}'`,
      `use one of ${Object.keys(LENGTH_IN_FEET).join(', ')}`,
    );
  return unit;
}

function phaseList(row: CsvRow, column: string): Phase[] {
  const raw = text(row, column).toLowerCase();
  const phases = [...raw];
  if (
    phases.length === 0 ||
    phases.some((p) => p !== 'a' && p !== 'b' && p !== 'c') ||
    new Set(phases).size !== phases.length
  ) {
    throw rowError(row, `phases must be letters from abc, got '${raw}'`);
  }
  return (phases as Phase[]).sort();
}

function winding(row: CsvRow, column: string): WindingConnection {
  const raw = text(row, column).toLowerCase();
  if (raw === 'gry' || raw === 'yg' || raw === 'wye-grounded') return 'wye-grounded';
  if (raw === 'y' || raw === 'wye') return 'wye';
  if (raw === 'd' || raw === 'delta') return 'delta';
  throw rowError(row, `winding connection must be grY, Y or D, got '${raw}'`);
}
