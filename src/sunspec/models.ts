/**
 * SunSpec information models: the JSON definitions (github.com/sunspec/models, copied with their licence
 * into specs/sunspec/, which the package ships) turned into a typed point map — every point's register
 * offset within its model, type, scale-factor point, access and units. Repeating groups (705's curves and curve points) have
 * counts that live in the device's registers, so a layout is computed per device from those counts.
 */
import { readFileSync } from 'node:fs';
import { TeError } from '../core/errors.js';

export const POINT_TYPES = [
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'acc16',
  'acc32',
  'acc64',
  'enum16',
  'enum32',
  'bitfield16',
  'bitfield32',
  'bitfield64',
  'count',
  'string',
  'sunssf',
  'pad',
] as const;
export type PointType = (typeof POINT_TYPES)[number];

export interface PointSymbol {
  readonly name: string;
  readonly value: number;
}

export interface PointDef {
  readonly name: string;
  readonly type: PointType;
  /** Size in 16-bit registers. */
  readonly size: number;
  /** Name of the sunssf point holding this point's scale factor, or a fixed exponent. */
  readonly sf: string | number | undefined;
  readonly access: 'R' | 'RW';
  readonly units: string | undefined;
  readonly mandatory: boolean;
  readonly symbols: readonly PointSymbol[];
  /** Fixed value the definition gives (the model ID point). */
  readonly value: number | undefined;
}

export interface GroupDef {
  readonly name: string;
  /** Repetitions: a number, or the name of a top-level point holding it. Absent means once. */
  readonly count: number | string | undefined;
  readonly points: readonly PointDef[];
  readonly groups: readonly GroupDef[];
}

export interface ModelDef {
  readonly id: number;
  readonly name: string;
  readonly group: GroupDef;
}

/** A point placed in a device's model: `path` is `W`, `PFWInj.PF` or `Crv[0].Pt[3].V`. */
export interface LaidPoint {
  readonly path: string;
  readonly def: PointDef;
  /** Registers from the model's first register (the ID point is at 0, L at 1). */
  readonly offset: number;
}

export interface ModelLayout {
  readonly model: ModelDef;
  /** Total registers including ID and L, so L = length - 2. */
  readonly length: number;
  readonly points: readonly LaidPoint[];
  readonly byPath: ReadonlyMap<string, LaidPoint>;
}

/** The models this driver ships definitions for. */
export const SUPPORTED_MODELS = [1, 701, 702, 703, 704, 705, 706] as const;

/** specs/sunspec/ of the package: two levels up from src/sunspec/ and from dist/sunspec/ alike. */
export const DEFAULT_MODEL_DIR = new URL('../../specs/sunspec/', import.meta.url);

function bad(message: string, path: string): TeError {
  return new TeError('TE_ERR_SUNSPEC_MODEL', message, {
    path,
    hint: 'use an unmodified SunSpec model JSON file from github.com/sunspec/models',
  });
}

function parsePoint(raw: unknown, where: string): PointDef {
  if (typeof raw !== 'object' || raw === null) throw bad('point is not an object', where);
  const p = raw as Record<string, unknown>;
  const name = p['name'];
  const type = p['type'];
  const size = p['size'];
  if (typeof name !== 'string') throw bad('point has no name', where);
  if (typeof type !== 'string' || !(POINT_TYPES as readonly string[]).includes(type)) {
    throw bad(`point type '${String(type)}' is not supported`, `${where}.${name}`);
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    throw bad('point size is not a positive integer', `${where}.${name}`);
  }
  const sf = p['sf'];
  const symbols = Array.isArray(p['symbols'])
    ? (p['symbols'] as unknown[]).flatMap((s) => {
        const sym = s as Record<string, unknown>;
        return typeof sym['name'] === 'string' && typeof sym['value'] === 'number'
          ? [{ name: sym['name'], value: sym['value'] }]
          : [];
      })
    : [];
  return {
    name,
    type: type as PointType,
    size,
    sf: typeof sf === 'string' || typeof sf === 'number' ? sf : undefined,
    access: p['access'] === 'RW' ? 'RW' : 'R',
    units: typeof p['units'] === 'string' ? p['units'] : undefined,
    mandatory: p['mandatory'] === 'M',
    symbols,
    value: typeof p['value'] === 'number' ? p['value'] : undefined,
  };
}

function parseGroup(raw: unknown, where: string): GroupDef {
  if (typeof raw !== 'object' || raw === null) throw bad('group is not an object', where);
  const g = raw as Record<string, unknown>;
  const name = typeof g['name'] === 'string' ? g['name'] : '?';
  const here = `${where}.${name}`;
  if (!Array.isArray(g['points'])) throw bad('group has no points', here);
  const count = g['count'];
  return {
    name,
    count: typeof count === 'number' || typeof count === 'string' ? count : undefined,
    points: (g['points'] as unknown[]).map((p) => parsePoint(p, here)),
    groups: Array.isArray(g['groups']) ? (g['groups'] as unknown[]).map((s) => parseGroup(s, here)) : [],
  };
}

/** Parses one SunSpec model JSON document (already decoded from text). */
export function parseModelDef(json: unknown, where = 'model'): ModelDef {
  if (typeof json !== 'object' || json === null) throw bad('model is not an object', where);
  const m = json as Record<string, unknown>;
  if (typeof m['id'] !== 'number') throw bad('model has no numeric id', where);
  const group = parseGroup(m['group'], where);
  return { id: m['id'], name: group.name, group };
}

/** Reads the supported models' JSON files from `dir` (by default the copies in specs/sunspec/). */
export function loadModelDefs(dir: URL = DEFAULT_MODEL_DIR): ReadonlyMap<number, ModelDef> {
  const defs = new Map<number, ModelDef>();
  for (const id of SUPPORTED_MODELS) {
    const file = new URL(`model_${id}.json`, dir);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new TeError('TE_ERR_FILE_NOT_FOUND', `SunSpec model ${id} definition not found`, {
        path: file.pathname,
        cause,
      });
    }
    defs.set(id, parseModelDef(JSON.parse(text) as unknown, file.pathname));
  }
  return defs;
}

/**
 * Places every point of `model` at its register offset. `counts` gives the value of each count point
 * (705's NCrv, NPt); a repeating group whose count is missing is laid out zero times, which is what the
 * client needs to find the count points themselves (they precede the repeating groups). Laying out stops
 * with TE_ERR_SUNSPEC_MAP once past `maxLength` registers.
 */
export function layoutModel(
  model: ModelDef,
  counts: Readonly<Record<string, number>> = {},
  maxLength = 0x10000,
): ModelLayout {
  const points: LaidPoint[] = [];
  let offset = 0;
  const place = (group: GroupDef, prefix: string): void => {
    // Counts come from the device: 65535 curves of 65535 points must stop here, not exhaust memory.
    if (offset > maxLength) {
      throw new TeError(
        'TE_ERR_SUNSPEC_MAP',
        `model ${model.id}'s group counts need more registers than it has`,
        {
          path: `model ${model.id} ${prefix}`,
          hint: `counts ${JSON.stringify(counts)} exceed the model length ${maxLength}`,
        },
      );
    }
    for (const def of group.points) {
      points.push({ path: prefix + def.name, def, offset });
      offset += def.size;
    }
    for (const sub of group.groups) {
      const n =
        sub.count === undefined ? undefined : typeof sub.count === 'number' ? sub.count : counts[sub.count];
      if (n === undefined && sub.count !== undefined) continue;
      if (n === undefined) place(sub, `${prefix}${sub.name}.`);
      else for (let i = 0; i < n; i++) place(sub, `${prefix}${sub.name}[${i}].`);
    }
  };
  place(model.group, '');
  return { model, length: offset, points, byPath: new Map(points.map((p) => [p.path, p])) };
}

/** The count points a model's repeating groups depend on (705: NCrv, NPt). */
export function countPointNames(model: ModelDef): string[] {
  const names: string[] = [];
  const walk = (group: GroupDef): void => {
    for (const sub of group.groups) {
      if (typeof sub.count === 'string') names.push(sub.count);
      walk(sub);
    }
  };
  walk(model.group);
  return names;
}

export function symbolValue(def: PointDef, name: string): number {
  const symbol = def.symbols.find((s) => s.name === name);
  if (symbol === undefined) throw bad(`point ${def.name} has no symbol ${name}`, def.name);
  return symbol.value;
}
