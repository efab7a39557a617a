import { describe, expect, it } from 'vitest';
import type { LatestDevice } from './fleet-contract';
import { filterOptions, filterRows, fleetRows, sortFleet } from './fleet-rows';

const device = (deviceId: string, participantId: string, kind: string, extra = {}): LatestDevice => ({
  deviceId,
  participantId,
  kind,
  sample: { deviceId, timeMs: 1_000, powerKw: 1, ...extra },
});

const devices = [
  device('home-1-hvac', 'home-1', 'hvac', { state: 'cooling', indoorTempF: 74, powerKw: 3 }),
  device('home-1-battery', 'home-1', 'battery', { state: 'charging', socPct: 40, powerKw: 2 }),
  device('home-12-wh', 'home-12', 'water-heater', { state: 'off', tankTempF: 120, powerKw: 0 }),
  device('home-2-hvac', 'home-2', 'hvac', { state: 'off', indoorTempF: 71, powerKw: 0 }),
];

describe('fleetRows', () => {
  it('reads the comfort temperature from the air, else the tank', () => {
    const rows = fleetRows(devices);
    expect(rows.map((r) => r.tempF)).toEqual([74, undefined, 120, 71]);
  });

  it('keeps a row object while its sample is unchanged and replaces it when it changes', () => {
    const first = fleetRows(devices);
    const again = fleetRows(
      devices.map((d) => ({ ...d, sample: { ...d.sample } })),
      new Map(first.map((r) => [r.deviceId, r])),
    );
    expect(again.every((row, i) => row === first[i])).toBe(true);
    const changed = devices.map((d, i) => (i === 2 ? { ...d, sample: { ...d.sample, timeMs: 2_000 } } : d));
    const next = fleetRows(changed, new Map(first.map((r) => [r.deviceId, r])));
    expect(next.map((row, i) => row === first[i])).toEqual([true, true, false, true]);
  });
});

describe('filterRows', () => {
  const rows = fleetRows(devices);
  it('filters by kind, state and text on either id, case-insensitive', () => {
    expect(filterRows(rows, { kind: 'hvac', state: '', text: '' }).map((r) => r.deviceId)).toEqual([
      'home-1-hvac',
      'home-2-hvac',
    ]);
    expect(filterRows(rows, { kind: '', state: 'off', text: '' })).toHaveLength(2);
    expect(filterRows(rows, { kind: '', state: '', text: ' HOME-12 ' }).map((r) => r.deviceId)).toEqual([
      'home-12-wh',
    ]);
    expect(filterRows(rows, { kind: 'hvac', state: 'off', text: 'home-2' })).toHaveLength(1);
    expect(filterRows(rows, { kind: 'pv', state: '', text: '' })).toEqual([]);
  });

  it('lists the kinds and states present', () => {
    expect(filterOptions(rows)).toEqual({
      kinds: ['battery', 'hvac', 'water-heater'],
      states: ['charging', 'cooling', 'off'],
    });
  });
});

describe('sortFleet', () => {
  const rows = fleetRows(devices);
  it('sorts by a sample column and by ids', () => {
    expect(sortFleet(rows, { column: 'powerKw', direction: 'desc' }).map((r) => r.deviceId)).toEqual([
      'home-1-hvac',
      'home-1-battery',
      // Equal power: in the API's order (by device id).
      'home-12-wh',
      'home-2-hvac',
    ]);
    expect(
      sortFleet(rows, { column: 'participantId', direction: 'asc' }).map((r) => r.participantId),
    ).toEqual(['home-1', 'home-1', 'home-2', 'home-12']);
    // Devices without a state of charge go last.
    expect(sortFleet(rows, { column: 'socPct', direction: 'desc' })[0]?.deviceId).toBe('home-1-battery');
  });
});
