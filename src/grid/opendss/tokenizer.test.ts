import { describe, expect, it } from 'vitest';
import { TeError } from '../../core/errors.js';
import { convertLength } from './length-units.js';
import { tokenizeDss } from './tokenizer.js';
import {
  parseBusSpec,
  parseNumber,
  parseNumberArray,
  parseSymmetricMatrix,
  type DssValue,
} from './values.js';

const at = { file: 't.dss', line: 1 };
const value = (text: string, enclosure?: DssValue['enclosure']): DssValue => ({
  text,
  enclosure,
  location: at,
});

function thrown(run: () => unknown): TeError {
  try {
    run();
  } catch (caught) {
    if (caught instanceof TeError) return caught;
    throw caught;
  }
  throw new Error('expected a TeError');
}

describe('tokenizeDss', () => {
  it('splits name=value pairs, with or without spaces around =, and keeps positional values', () => {
    const [line] = tokenizeDss('New Line.L1  bus1 = 650.1.2.3, Length= 2000 units =ft 0.5', 'a.dss');
    expect(line?.tokens.map((t) => [t.name, t.value])).toEqual([
      [undefined, 'New'],
      [undefined, 'Line.L1'],
      ['bus1', '650.1.2.3'],
      ['Length', '2000'],
      ['units', 'ft'],
      [undefined, '0.5'],
    ]);
  });

  it('keeps quoted and bracketed values whole and remembers their delimiter', () => {
    const [line] = tokenizeDss(`x a=[1 2 3] b=(8 1000 /) c="14.4 14.4" d='wye wye' e={1,2}`, 'a.dss');
    expect(line?.tokens.slice(1).map((t) => [t.value, t.enclosure])).toEqual([
      ['1 2 3', '['],
      ['8 1000 /', '('],
      ['14.4 14.4', '"'],
      ['wye wye', "'"],
      ['1,2', '{'],
    ]);
  });

  it('drops ! and // comments, multi-line /* */ blocks, and blank lines; keeps line numbers', () => {
    const text = [
      '! a comment',
      'Clear  ! trailing',
      '/* block',
      'New Line.hidden',
      '*/ Solve',
      '// whole line',
      '',
      'Set a=1 // trailing too',
    ].join('\r\n');
    const lines = tokenizeDss(text, 'c.dss');
    expect(lines.map((l) => [l.location.line, l.tokens.map((t) => t.value)])).toEqual([
      [2, ['Clear']],
      [5, ['Solve']],
      [8, ['Set', '1']],
    ]);
  });

  it('marks ~ and more lines as continuations, even with ~ glued to a property', () => {
    const lines = tokenizeDss('New Load.x kW=1\n~ kvar=2\nmore pf=0.9\n~kV=4.16', 'd.dss');
    expect(lines.map((l) => l.continuation)).toEqual([false, true, true, true]);
    expect(lines[3]?.tokens[0]).toMatchObject({ name: 'kV', value: '4.16' });
  });

  it('reports an unclosed bracket or comment as TE_ERR_DSS_SYNTAX with file:line and the token', () => {
    const bracket = thrown(() => tokenizeDss('\nNew Line.a rmatrix=[1 2', 'e.dss'));
    expect(bracket.code).toBe('TE_ERR_DSS_SYNTAX');
    expect(bracket.path).toBe('e.dss:2');
    expect(bracket.message).toContain('[1 2');
    expect(thrown(() => tokenizeDss('/* never closed\nNew x', 'f.dss')).path).toBe('f.dss:1');
    expect(thrown(() => tokenizeDss('New Line.a bus1==5', 'g.dss')).code).toBe('TE_ERR_DSS_SYNTAX');
  });
});

describe('property values', () => {
  it('reads numbers, in-line RPN math and single bracketed numbers', () => {
    expect(parseNumber(value('.5'), 'p')).toBe(0.5);
    expect(parseNumber(value('-1e-4'), 'p')).toBe(-1e-4);
    expect(parseNumber(value('8 1000 /', '('), 'p')).toBeCloseTo(0.008, 12);
    expect(parseNumber(value('2 sqrt', '('), 'p')).toBeCloseTo(Math.SQRT2, 12);
    expect(parseNumber(value('236', '['), 'p')).toBe(236);
    const bad = thrown(() => parseNumber(value('12kV'), 'kv'));
    expect(bad.code).toBe('TE_ERR_DSS_SYNTAX');
    expect(bad.message).toContain('12kV');
  });

  it('reads arrays separated by blanks or commas', () => {
    expect(parseNumberArray(value('69,24.9,4.16, .48', '"'), 'voltagebases')).toEqual([69, 24.9, 4.16, 0.48]);
    expect(parseNumberArray(value('12.47', undefined), 'voltagebases')).toEqual([12.47]);
  });

  it('reads symmetric matrices as a lower triangle or in full', () => {
    const lower = parseSymmetricMatrix(value('1 | 2 3 | 4 5 6', '('), 3, 'rmatrix');
    expect(lower).toEqual([
      [1, 2, 4],
      [2, 3, 5],
      [4, 5, 6],
    ]);
    expect(parseSymmetricMatrix(value('1 2 | 2 3', '['), 2, 'x')).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(parseSymmetricMatrix(value('1.3292', '('), 1, 'x')).toEqual([[1.3292]]);
    expect(thrown(() => parseSymmetricMatrix(value('1 | 2 3', '['), 3, 'x')).code).toBe('TE_ERR_DSS_INVALID');
  });

  it('reads bus names with node suffixes, case-insensitively', () => {
    expect(parseBusSpec(value('RG60.1.2.3'), 'bus1')).toEqual({ bus: 'rg60', nodes: [1, 2, 3] });
    expect(parseBusSpec(value('646.2.3'), 'bus1')).toEqual({ bus: '646', nodes: [2, 3] });
    expect(parseBusSpec(value('SourceBus'), 'bus1')).toEqual({ bus: 'sourcebus', nodes: [] });
    expect(thrown(() => parseBusSpec(value('650.a'), 'bus1')).code).toBe('TE_ERR_DSS_SYNTAX');
  });

  it('converts lengths between OpenDSS units, leaving none alone', () => {
    expect(convertLength(1, 'mi', 'ft')).toBeCloseTo(5280, 9);
    expect(convertLength(2000, 'ft', 'kft')).toBeCloseTo(2, 12);
    expect(convertLength(1, 'km', 'm')).toBe(1000);
    expect(convertLength(12, 'in', 'ft')).toBeCloseTo(1, 12);
    expect(convertLength(100, 'cm', 'm')).toBeCloseTo(1, 12);
    expect(convertLength(0.4, 'kft', 'none')).toBe(0.4);
    expect(convertLength(0.4, 'none', 'mi')).toBe(0.4);
  });
});
