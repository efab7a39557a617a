import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../auth/roles.js';
import { ACCESS_MATRIX, RESOURCE_ACTIONS, SCOPES } from './access-matrix.js';

describe('access matrix', () => {
  it('is documented in docs/access.md, cell for cell', () => {
    const doc = readFileSync(new URL('../../../docs/access.md', import.meta.url), 'utf8');
    const header = doc.split('\n').find((line) => line.startsWith('| resource:action |'));
    expect(
      header
        ?.split('|')
        .slice(2, -1)
        .map((c) => c.trim()),
    ).toEqual([...ROLES]);
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z-]+:(?:read|write))` \|((?: [a-z]+ \|)+)$/gm)].map((m) => [
        m[1],
        (m[2] ?? '')
          .split('|')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      ]),
    );
    for (const resourceAction of RESOURCE_ACTIONS) {
      expect(rows.get(resourceAction), resourceAction).toEqual(
        ROLES.map((role) => ACCESS_MATRIX[role][resourceAction]),
      );
    }
    expect(rows.size).toBe(RESOURCE_ACTIONS.length);
  });

  it('encodes the rules the platform promises', () => {
    for (const role of ['prosumer', 'facility-manager', 'der-developer'] as const) {
      for (const ra of [
        'orders:read',
        'orders:write',
        'meter-readings:read',
        'meter-readings:write',
        'devices:read',
        'devices:write',
        'statements:read',
      ] as const) {
        expect(ACCESS_MATRIX[role][ra], `${role} ${ra}`).toBe('own');
      }
    }
    expect(ACCESS_MATRIX.aggregator['orders:write']).toBe('represented');
    expect(ACCESS_MATRIX.utility['meter-readings:read']).toBe('all');
    expect(ACCESS_MATRIX.dso['meter-readings:read']).toBe('all');
    expect(ACCESS_MATRIX.utility['statements:read']).toBe('all');
    expect(ACCESS_MATRIX.regulator['clearing-results:read']).toBe('aggregate');
    expect(ACCESS_MATRIX.regulator['meter-readings:read']).toBe('anonymised');
    expect(ACCESS_MATRIX.regulator['audit:read']).toBe('all');
    for (const ra of ['market-rules:write', 'participants:write', 'clients:write'] as const) {
      expect(ROLES.filter((role) => ACCESS_MATRIX[role][ra] !== 'none')).toEqual(['market-operator']);
    }
    for (const role of ROLES) expect(ACCESS_MATRIX[role]['kpis:read']).not.toBe('none');
    for (const role of ROLES)
      for (const ra of RESOURCE_ACTIONS) expect(SCOPES).toContain(ACCESS_MATRIX[role][ra]);
  });
});
