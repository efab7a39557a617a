import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../live/clock.js';
import { insertParticipant } from '../../server/queries/registry-queries.js';
import {
  TEST_DATABASE_URL,
  type TestStore,
  TEST_STORE_BACKENDS,
} from '../../store/test-databases.fixture.js';
import { checkedSepDevice, deleteSepDevice, insertSepDevice } from './sep-device-repository.js';
import { listControlResponses, listDerDocuments } from './sep-device-state-repository.js';
import { StoreSepDerStateStore } from './store-der-state.js';
import { sepDeviceOf } from './store-device-registry.js';
import { StoreSepResponseSink } from './store-response-sink.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const LFDI = 'A'.repeat(40);
const mrid = (n: number) => n.toString(16).padStart(32, '0').toUpperCase();

describe.each(TEST_STORE_BACKENDS)(
  '2030.5 control responses and DER documents in the store on %s',
  (name, open) => {
    const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';
    let store: TestStore | undefined;
    afterEach(async () => {
      await store?.dispose();
      store = undefined;
    });

    async function setUp() {
      store = await open();
      const db = store.store.db;
      await insertParticipant(db, {
        id: 'home',
        role: 'prosumer',
        name: 'home',
        createdMs: T0,
        aggregatorId: null,
      });
      const stored = checkedSepDevice({ id: 'inv', lfdi: LFDI, pin: 111_115, participantId: 'home' }, T0);
      await insertSepDevice(db, stored);
      return { db, device: sepDeviceOf(stored), clock: new ManualClock(T0), lines: [] as string[] };
    }

    it.skipIf(skip)(
      'keeps one row per device, control and status, newest first, and logs refusals',
      async () => {
        const { db, device, clock, lines } = await setUp();
        const sink = new StoreSepResponseSink({ db, clock, log: (l) => lines.push(l) });
        await sink.record(device, {
          endDeviceLFDI: LFDI,
          subject: mrid(1).toLowerCase(),
          status: 1,
          createdDateTime: T0 / 1000,
        });
        clock.advance(1_000);
        // The same answer again (a resend) is not a second row, and keeps its first arrival time.
        await sink.record(device, { endDeviceLFDI: LFDI, subject: mrid(1), status: 1 });
        await sink.record(device, { endDeviceLFDI: LFDI, subject: mrid(1), status: 2 });
        clock.advance(1_000);
        // A hostile response time (beyond year 9999, or not an integer) is dropped, not stored or thrown.
        await sink.record(device, {
          endDeviceLFDI: LFDI,
          subject: mrid(2),
          status: 252,
          createdDateTime: 9e18,
        });
        await sink.record(device, { endDeviceLFDI: LFDI, subject: mrid(3), createdDateTime: -5 });

        const all = await listControlResponses(db, 'inv', { limit: 10 });
        expect(all.map((r) => [r.controlMRID, r.status, r.receivedMs - T0, r.responseTimeMs])).toEqual([
          [mrid(3), 0, 2_000, undefined],
          [mrid(2), 252, 2_000, undefined],
          [mrid(1), 2, 1_000, undefined],
          [mrid(1), 1, 0, T0],
        ]);
        expect(lines).toEqual([
          `IEEE 2030.5: device inv answered control ${mrid(2)} with status 252 (not followed)`,
        ]);
        expect((await listControlResponses(db, 'inv', { limit: 2 })).length).toBe(2);
        expect((await listControlResponses(db, 'inv', { limit: 10, afterMs: T0 })).length).toBe(3);
        expect(
          (await listControlResponses(db, 'inv', { limit: 10, beforeMs: T0 + 2_000 })).map((r) => r.status),
        ).toEqual([2, 1]);
        expect(await listControlResponses(db, 'other', { limit: 10 })).toEqual([]);

        // A response of a device that is gone is logged, never thrown.
        await sink.record({ ...device, id: 'ghost' }, { endDeviceLFDI: LFDI, subject: mrid(4), status: 1 });
        expect(lines.at(-1)).toMatch(
          /^IEEE 2030.5: the response of device ghost to control .* was not stored/,
        );
      },
    );

    it.skipIf(skip)('prunes by age and by count per device', async () => {
      const { db, device, clock, lines } = await setUp();
      const sink = new StoreSepResponseSink({
        db,
        clock,
        log: (l) => lines.push(l),
        retentionMs: 10_000,
        maxPerDevice: 3,
      });
      for (let n = 0; n < 6; n += 1) {
        await sink.record(device, { endDeviceLFDI: LFDI, subject: mrid(n), status: 1 });
        clock.advance(1_000);
      }
      // Now T0 + 6 s: nothing is older than 10 s, but the device is 3 over its bound; the newest stay.
      expect(await sink.prune()).toBe(3);
      expect((await listControlResponses(db, 'inv', { limit: 10 })).map((r) => r.controlMRID)).toEqual([
        mrid(5),
        mrid(4),
        mrid(3),
      ]);
      clock.advance(8_500);
      expect(await sink.prune()).toBe(2);
      expect((await listControlResponses(db, 'inv', { limit: 10 })).map((r) => r.controlMRID)).toEqual([
        mrid(5),
      ]);
      await sink.start();
      await sink.close();
      expect(lines).toEqual([]);
    });

    it.skipIf(skip)(
      'keeps the latest DER document of each kind across store objects; they go with the device',
      async () => {
        const { db, device, clock, lines } = await setUp();
        const der = new StoreSepDerStateStore(db, clock, (l) => lines.push(l));
        await der.put(device, 'DERStatus', { readingTime: 1, inverterStatus: { dateTime: 1, value: 4 } });
        clock.advance(5_000);
        await der.put(device, 'DERStatus', { readingTime: 2, inverterStatus: { dateTime: 2, value: 5 } });
        await der.put(device, 'DERCapability', { modesSupported: '00500088', type: 83 });

        const again = new StoreSepDerStateStore(db, clock, (l) => lines.push(l));
        expect(await again.get(device, 'DERStatus')).toEqual({
          readingTime: 2,
          inverterStatus: { dateTime: 2, value: 5 },
        });
        expect(await again.get(device, 'DERSettings')).toBeUndefined();
        expect((await listDerDocuments(db, 'inv')).map((d) => [d.kind, d.updatedMs - T0])).toEqual([
          ['DERCapability', 5_000],
          ['DERStatus', 5_000],
        ]);
        // A store that cannot write answers 503 (the device sends it again) and logs why.
        await expect(
          der.put({ ...device, id: 'ghost' }, 'DERStatus', { readingTime: 3 }),
        ).rejects.toMatchObject({
          code: 'TE_ERR_UNAVAILABLE',
        });
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^IEEE 2030.5: the DERStatus of device ghost was not stored/);

        await deleteSepDevice(db, 'inv');
        expect(await listDerDocuments(db, 'inv')).toEqual([]);
      },
    );
  },
);
