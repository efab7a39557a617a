import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../../live/clock.js';
import { DEFAULT_MARKET_RULES } from '../../live/market-rules.js';
import { saveMarket } from '../../store/market-repository.js';
import { readMeterReadings } from '../../store/meter-reading-repository.js';
import {
  TEST_DATABASE_URL,
  type TestStore,
  TEST_STORE_BACKENDS,
} from '../../store/test-databases.fixture.js';
import type { SepDevice } from '../server/registry.js';
import { PlatformSepTelemetrySink, slotAlignedReadings, type TelemetryOutcome } from './telemetry-sink.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const T0_S = T0 / 1000;
const device: SepDevice = {
  id: 'inv',
  lfdi: 'A'.repeat(40),
  sfdi: 0,
  pin: 0,
  registeredAt: 0,
  participantId: 'home',
};

describe('slot-aligned readings', () => {
  it('cuts an interval at every slot boundary of every market, keeping the total in whole Wh', () => {
    // 12:10 to 12:20 with 15-minute slots: 5 minutes before 12:15, 5 after.
    expect(
      slotAlignedReadings('m', { startS: T0_S + 600, durationS: 600, energyWh: 1001 }, [900_000]),
    ).toEqual([
      { meterId: 'm', timeMs: T0 + 600_000, energyWh: 501 },
      { meterId: 'm', timeMs: T0 + 900_000, energyWh: 500 },
    ]);
    // Inside one slot: unchanged (rounded to whole Wh). Export stays negative.
    expect(
      slotAlignedReadings('m', { startS: T0_S, durationS: 300, energyWh: -12.6 }, [300_000, 900_000]),
    ).toEqual([{ meterId: 'm', timeMs: T0, energyWh: -13 }]);
    // Two markets (5 and 15 minutes): cut at 12:05 and 12:10 and 12:15.
    expect(
      slotAlignedReadings('m', { startS: T0_S + 120, durationS: 900, energyWh: 90 }, [300_000, 900_000]).map(
        (r) => [(r.timeMs - T0) / 1000, r.energyWh],
      ),
    ).toEqual([
      [120, 18],
      [300, 30],
      [600, 30],
      [900, 12],
    ]);
  });

  it('never loses or invents a watt-hour (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.subarray([60_000, 300_000, 900_000, 3_600_000]),
        (startS, durationS, energyWh, slots) => {
          const parts = slotAlignedReadings('m', { startS, durationS, energyWh }, slots);
          expect(parts.reduce((sum, p) => sum + p.energyWh, 0)).toBe(Math.round(energyWh) + 0);
          for (const p of parts) expect(Number.isSafeInteger(p.energyWh)).toBe(true);
          for (const slotMs of slots) {
            // No part crosses a boundary: each ends at or before the next slot start after its own start.
            const ends = [...parts.slice(1).map((p) => p.timeMs), (startS + durationS) * 1000];
            parts.forEach((p, k) =>
              expect(ends[k]!).toBeLessThanOrEqual((Math.floor(p.timeMs / slotMs) + 1) * slotMs),
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe.each(TEST_STORE_BACKENDS)('2030.5 telemetry into meter readings on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it.skipIf(skip)(
    'stores readings on the participant meter; a resend is a duplicate; bad intervals are refused',
    async () => {
      store = await open();
      const db = store.store.db;
      await saveMarket(db, { id: 'm1', name: 'm1', createdMs: T0, rules: DEFAULT_MARKET_RULES });
      const outcomes: TelemetryOutcome[] = [];
      const sink = new PlatformSepTelemetrySink({
        db,
        clock: new ManualClock(T0 + 3_600_000),
        onStored: (_device, outcome) => outcomes.push(outcome),
      });
      const batch = [
        { mirrorUsagePointMRID: 'A1', startS: T0_S, durationS: 300, energyWh: 250 },
        { mirrorUsagePointMRID: 'A1', startS: T0_S + 300, durationS: 600, energyWh: -400 },
      ];
      await sink.record(device, batch);
      await sink.record(device, batch);
      expect(outcomes).toEqual([
        { received: 3, inserted: 3 },
        { received: 3, inserted: 0 },
      ]);
      expect(await readMeterReadings(db, 'home', T0, T0 + 3_600_000)).toEqual([
        { meterId: 'home', timeMs: T0, energyWh: 250 },
        { meterId: 'home', timeMs: T0 + 300_000, energyWh: -200 },
        { meterId: 'home', timeMs: T0 + 600_000, energyWh: -200 },
      ]);

      // An interval's import and export, sent together, are netted; a reading repeated in the batch counts once.
      const both = [
        { mirrorUsagePointMRID: 'A1', startS: T0_S + 1800, durationS: 300, energyWh: 40 },
        { mirrorUsagePointMRID: 'A1', startS: T0_S + 1800, durationS: 300, energyWh: -100 },
        { mirrorUsagePointMRID: 'A1', startS: T0_S + 1800, durationS: 300, energyWh: -100 },
      ];
      await sink.record(device, both);
      expect(await readMeterReadings(db, 'home', T0 + 1_800_000, T0 + 2_100_000)).toEqual([
        { meterId: 'home', timeMs: T0 + 1_800_000, energyWh: -60 },
      ]);
      outcomes.pop();

      const refused = async (reading: Record<string, number>, path: string) => {
        await expect(sink.record(device, [batch[0]!, { ...batch[0]!, ...reading }])).rejects.toMatchObject({
          code: 'TE_ERR_VALIDATION',
          path,
        });
      };
      await refused({ durationS: 0 }, 'readings[1].durationS');
      await refused({ durationS: 86_401 }, 'readings[1].durationS');
      await refused({ startS: -1 }, 'readings[1].startS');
      await refused({ startS: 1.5 }, 'readings[1].startS');
      await refused({ energyWh: Number.NaN }, 'readings[1].energyWh');
      await refused({ energyWh: 2e12 }, 'readings[1].energyWh');
      await refused({ startS: T0_S + 7200 }, 'readings[1].startS');
      await expect(sink.record({ ...device, participantId: undefined }, batch)).rejects.toMatchObject({
        code: 'TE_ERR_FORBIDDEN',
      });
      expect(outcomes).toHaveLength(2);
    },
  );
});
