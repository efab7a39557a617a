/**
 * Register ↔ value conversion for SunSpec points: big-endian registers, the "not implemented" sentinels
 * read as undefined, and scale factors (value = raw × 10^sf) applied by division for negative exponents so
 * 95 × 10^-2 reads 0.95 rather than 0.9500000000000001.
 */
import { TeError } from '../core/errors.js';
import type { LaidPoint, ModelLayout, PointDef } from './models.js';

export type PointValue = number | string | undefined;

/**
 * 704's percentages of a rating (WMax, VarMax): beyond ±100 % they mean nothing. Other `Pct` points, such
 * as 703's enter-service voltages (percent of nominal, e.g. 105), may exceed 100.
 */
const PERCENT_OF_RATING = /^(WMaxLimPct|WSetPct|VarSetPct)(Rvrt)?$/;

interface IntSpec {
  readonly bits: 16 | 32 | 64;
  readonly signed: boolean;
  /** The raw value meaning "not implemented". */
  readonly none: bigint;
}

const INT: Partial<Record<PointDef['type'], IntSpec>> = {
  int16: { bits: 16, signed: true, none: -0x8000n },
  sunssf: { bits: 16, signed: true, none: -0x8000n },
  uint16: { bits: 16, signed: false, none: 0xffffn },
  count: { bits: 16, signed: false, none: 0n },
  enum16: { bits: 16, signed: false, none: 0xffffn },
  bitfield16: { bits: 16, signed: false, none: 0xffffn },
  acc16: { bits: 16, signed: false, none: 0n },
  int32: { bits: 32, signed: true, none: -0x80000000n },
  uint32: { bits: 32, signed: false, none: 0xffffffffn },
  enum32: { bits: 32, signed: false, none: 0xffffffffn },
  bitfield32: { bits: 32, signed: false, none: 0xffffffffn },
  acc32: { bits: 32, signed: false, none: 0n },
  int64: { bits: 64, signed: true, none: -0x8000000000000000n },
  uint64: { bits: 64, signed: false, none: 0xffffffffffffffffn },
  bitfield64: { bits: 64, signed: false, none: 0xffffffffffffffffn },
  acc64: { bits: 64, signed: false, none: 0n },
};

function toBig(regs: readonly number[]): bigint {
  return regs.reduce((acc, r) => (acc << 16n) | BigInt(r & 0xffff), 0n);
}

/** The raw integer of an integer-typed point, or undefined when the device says "not implemented". */
export function rawInt(def: PointDef, regs: readonly number[]): bigint | undefined {
  const spec = INT[def.type];
  if (spec === undefined) return undefined;
  let v = toBig(regs);
  if (spec.signed && v >= 1n << BigInt(spec.bits - 1)) v -= 1n << BigInt(spec.bits);
  return v === spec.none ? undefined : v;
}

export function scale(raw: number, sf: number): number {
  return sf < 0 ? raw / 10 ** -sf : raw * 10 ** sf;
}

/** Decodes one point; `sf` is its scale factor (undefined when the scale factor itself is not implemented). */
export function decodePoint(def: PointDef, regs: readonly number[], sf: number | undefined): PointValue {
  if (def.type === 'pad') return undefined;
  if (def.type === 'string') {
    const bytes = regs.flatMap((r) => [(r >> 8) & 0xff, r & 0xff]);
    const end = bytes.indexOf(0);
    const text = Buffer.from(end === -1 ? bytes : bytes.slice(0, end)).toString('latin1');
    return text === '' ? undefined : text;
  }
  const raw = rawInt(def, regs);
  if (raw === undefined) return undefined;
  if (def.sf === undefined) return Number(raw);
  return sf === undefined ? undefined : scale(Number(raw), sf);
}

/** Looks up the scale factor of `point` from the model's registers (`regs` starts at the model's ID). */
export function scaleFactorOf(
  layout: ModelLayout,
  point: LaidPoint,
  regs: readonly number[],
): number | undefined {
  const sf = point.def.sf;
  if (sf === undefined || typeof sf === 'number') return sf;
  const sfPoint = layout.byPath.get(sf);
  if (sfPoint === undefined) return undefined;
  const raw = rawInt(sfPoint.def, regs.slice(sfPoint.offset, sfPoint.offset + 1));
  // SunSpec scale factors are -10..10; anything else is a broken map, read as not implemented.
  return raw === undefined || raw < -10n || raw > 10n ? undefined : Number(raw);
}

function outOfRange(path: string, message: string, hint: string): TeError {
  return new TeError('TE_ERR_SUNSPEC_RANGE', message, { path, hint });
}

/**
 * Encodes `value` (in the point's units, scale factor applied) into registers, refusing anything the
 * point cannot hold: non-finite numbers, enum values not among the model's symbols, percentages of a rating
 * outside ±100 %, values beyond the register type's range or equal to its "not implemented" sentinel.
 */
export function encodePoint(point: LaidPoint, value: number | string, sf: number | undefined): number[] {
  const { def, path } = point;
  if (def.type === 'string') {
    if (typeof value !== 'string') throw outOfRange(path, 'a string point needs a string', 'pass text');
    const bytes = Buffer.from(value, 'latin1');
    if (bytes.length > def.size * 2) {
      throw outOfRange(path, `text longer than ${def.size * 2} bytes`, 'shorten the text');
    }
    const regs: number[] = [];
    for (let i = 0; i < def.size; i++) regs.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
    return regs;
  }
  const spec = INT[def.type];
  if (spec === undefined || typeof value !== 'number' || !Number.isFinite(value)) {
    throw outOfRange(path, `value ${String(value)} is not a finite number`, 'pass a number');
  }
  if (def.symbols.length > 0 && def.type.startsWith('enum') && !def.symbols.some((s) => s.value === value)) {
    const allowed = def.symbols.map((s) => `${s.value} (${s.name})`).join(', ');
    throw outOfRange(path, `value ${value} is not one of the model's symbols`, `use one of ${allowed}`);
  }
  if (PERCENT_OF_RATING.test(def.name) && Math.abs(value) > 100) {
    throw outOfRange(path, `percentage ${value} is outside ±100`, 'pass a percentage between -100 and 100');
  }
  if (def.sf !== undefined && sf === undefined) {
    throw new TeError('TE_ERR_SUNSPEC_MAP', `the scale factor of ${path} is not implemented`, {
      path,
      hint: 'the device does not publish the scale factor this point needs',
    });
  }
  const rawNumber = Math.round(sf === undefined ? value : sf < 0 ? value * 10 ** -sf : value / 10 ** sf);
  const raw = BigInt(rawNumber);
  const size = BigInt(spec.bits);
  const min = spec.signed ? -(1n << (size - 1n)) : 0n;
  const max = spec.signed ? (1n << (size - 1n)) - 1n : (1n << size) - 1n;
  if (raw < min || raw > max || raw === spec.none) {
    throw outOfRange(
      path,
      `value ${value} (register value ${rawNumber}) does not fit a ${def.type}`,
      `stay within ${scale(Number(min), sf ?? 0)}..${scale(Number(max), sf ?? 0)}, sentinel excluded`,
    );
  }
  let bits = raw < 0n ? raw + (1n << size) : raw;
  const regs: number[] = [];
  for (let i = 0; i < spec.bits / 16; i++) {
    regs.unshift(Number(bits & 0xffffn));
    bits >>= 16n;
  }
  return regs;
}

/** The registers a device holds for a point it does not implement. */
export function unimplementedRegisters(def: PointDef): number[] {
  const spec = INT[def.type];
  if (spec === undefined) return new Array<number>(def.size).fill(0);
  let bits = spec.none < 0n ? spec.none + (1n << BigInt(spec.bits)) : spec.none;
  const regs: number[] = [];
  for (let i = 0; i < def.size; i++) {
    regs.unshift(Number(bits & 0xffffn));
    bits >>= 16n;
  }
  return regs;
}
