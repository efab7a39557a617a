import { describe, expect, it } from 'vitest';
import { violationRows } from './violations';

describe('violationRows', () => {
  it('labels each violation in its own unit, names its element, and puts the worst first', () => {
    const rows = violationRows([
      { kind: 'undervoltage', elementId: '675', value: 0.94, limit: 0.95 },
      { kind: 'overload', elementId: '632-671', value: 130, limit: 100 },
      { kind: 'substation', elementId: '650', value: 5200, limit: 5000 },
      { kind: 'overvoltage', elementId: '611', value: 1.06, limit: 1.05 },
    ]);
    // 30 % over, 4 %, 1.05 %, 0.95 %.
    expect(rows.map((r) => r.elementId)).toEqual(['632-671', '650', '675', '611']);
    const overload = rows.find((r) => r.kind === 'overload')!;
    expect(overload).toMatchObject({
      elementKind: 'line',
      value: '130 %',
      limit: '100 %',
      kindLabel: 'Line overload',
    });
    const under = rows.find((r) => r.kind === 'undervoltage')!;
    expect(under).toMatchObject({ elementKind: 'bus', value: '0.940 pu', limit: '0.950 pu' });
    expect(rows.find((r) => r.kind === 'substation')).toMatchObject({ value: '5.20 MW', limit: '5.00 MW' });
  });
});
