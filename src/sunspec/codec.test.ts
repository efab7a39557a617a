/** Point decoding and encoding against the SunSpec rules, and the model definitions' point map. */
import { describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { decodePoint, encodePoint, unimplementedRegisters } from './codec.js';
import { countPointNames, layoutModel, loadModelDefs, parseModelDef, type PointDef } from './models.js';

const point = (type: PointDef['type'], size: number, extra: Partial<PointDef> = {}): PointDef => ({
  name: 'P',
  type,
  size,
  sf: undefined,
  access: 'RW',
  units: undefined,
  mandatory: false,
  symbols: [],
  value: undefined,
  ...extra,
});
const laid = (def: PointDef) => ({ path: def.name, def, offset: 0 });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TeError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('SunSpec point codec', () => {
  it('reads the not-implemented sentinels as undefined', () => {
    expect(decodePoint(point('int16', 1), [0x8000], 0)).toBeUndefined();
    expect(decodePoint(point('uint16', 1), [0xffff], 0)).toBeUndefined();
    expect(decodePoint(point('int32', 2), [0x8000, 0], 0)).toBeUndefined();
    expect(decodePoint(point('uint32', 2), [0xffff, 0xffff], 0)).toBeUndefined();
    expect(decodePoint(point('uint64', 4), [0xffff, 0xffff, 0xffff, 0xffff], 0)).toBeUndefined();
    expect(decodePoint(point('acc32', 2), [0, 0], 0)).toBeUndefined();
    expect(decodePoint(point('enum16', 1), [0xffff], 0)).toBeUndefined();
    expect(decodePoint(point('bitfield32', 2), [0xffff, 0xffff], 0)).toBeUndefined();
    expect(decodePoint(point('string', 4), [0, 0, 0, 0], 0)).toBeUndefined();
    for (const type of ['int16', 'uint32', 'uint64', 'enum16', 'bitfield32'] as const) {
      const def = point(type, type.endsWith('64') ? 4 : type.endsWith('32') ? 2 : 1);
      expect(decodePoint(def, unimplementedRegisters(def), 0)).toBeUndefined();
    }
  });

  it('decodes signed, wide and scaled values', () => {
    expect(decodePoint(point('int16', 1), [0xfffe], 0)).toBe(-2);
    expect(decodePoint(point('int32', 2), [0xffff, 0xfff6], 0)).toBe(-10);
    expect(decodePoint(point('uint32', 2), [0x0001, 0x0000], 0)).toBe(65536);
    expect(decodePoint(point('uint64', 4), [0, 0, 1, 2], 0)).toBe(65538);
    expect(decodePoint(point('int16', 1, { sf: 'X_SF' }), [95], -2)).toBe(0.95);
    expect(decodePoint(point('uint16', 1, { sf: 'X_SF' }), [42], 2)).toBe(4200);
    // A scaled point whose scale factor is not implemented has no meaningful value.
    expect(decodePoint(point('uint16', 1, { sf: 'X_SF' }), [42], undefined)).toBeUndefined();
    expect(decodePoint(point('string', 2), [0x5375, 0x6e00], 0)).toBe('Sun');
  });

  it('encodes with the scale factor and refuses what the register cannot hold', () => {
    expect(encodePoint(laid(point('int16', 1, { sf: 'S' })), -12.5, -1)).toEqual([0xff83]);
    expect(encodePoint(laid(point('int32', 2)), -2, 0)).toEqual([0xffff, 0xfffe]);
    expect(encodePoint(laid(point('uint32', 2)), 70000, 0)).toEqual([1, 4464]);
    expect(encodePoint(laid(point('string', 2)), 'ab', 0)).toEqual([0x6162, 0]);
    const range = (def: PointDef, value: number | string, sf: number | undefined = 0) =>
      codeOf(() => encodePoint(laid(def), value, sf));
    expect(range(point('uint16', 1), 0xffff)).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(range(point('int16', 1), -0x8000)).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(range(point('int16', 1), 40000)).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(range(point('uint16', 1), Number.POSITIVE_INFINITY)).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(range(point('uint16', 1, { name: 'WMaxLimPct', units: 'Pct' }), 101)).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(range(point('uint16', 1, { name: 'ESVHi', units: 'Pct' }), 105)).toBe('no error');
    expect(range(point('string', 1), 'abc')).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(range(point('uint16', 1), 'abc')).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(codeOf(() => encodePoint(laid(point('uint16', 1, { sf: 'S' })), 1, undefined))).toBe(
      'TE_ERR_SUNSPEC_MAP',
    );
  });
});

describe('SunSpec point map', () => {
  const defs = loadModelDefs();

  it('places the 701, 704 and 705 points where the specification puts them', () => {
    const m701 = layoutModel(defs.get(701)!);
    expect(m701.length).toBe(155);
    expect(m701.byPath.get('W')?.offset).toBe(10);
    expect(m701.byPath.get('Hz')?.offset).toBe(17);
    const m704 = layoutModel(defs.get(704)!);
    expect(m704.length).toBe(67);
    expect(m704.byPath.get('WMaxLimPct')?.def).toMatchObject({
      access: 'RW',
      sf: 'WMaxLimPct_SF',
      units: 'Pct',
    });
    expect(m704.byPath.get('PFWInj.PF')?.def.sf).toBe('PF_SF');
    const m705 = defs.get(705)!;
    expect(countPointNames(m705)).toEqual(['NCrv', 'NPt']);
    expect(layoutModel(m705).length).toBe(15);
    const two = layoutModel(m705, { NCrv: 2, NPt: 3 });
    expect(two.length).toBe(15 + 2 * (10 + 3 * 2));
    expect(two.byPath.get('Crv[1].Pt[2].Var')?.offset).toBe(15 + 16 + 10 + 2 * 2 + 1);
  });

  it('refuses a broken model definition with a code', () => {
    expect(
      codeOf(() =>
        parseModelDef({ id: 9, group: { name: 'g', points: [{ name: 'x', type: 'float99', size: 1 }] } }),
      ),
    ).toBe('TE_ERR_SUNSPEC_MODEL');
    expect(codeOf(() => parseModelDef({ group: {} }))).toBe('TE_ERR_SUNSPEC_MODEL');
    expect(codeOf(() => parseModelDef(null))).toBe('TE_ERR_SUNSPEC_MODEL');
  });
});
