import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../live/clock.js';
import { insertParticipant } from '../../server/queries/registry-queries.js';
import {
  TEST_DATABASE_URL,
  type TestStore,
  TEST_STORE_BACKENDS,
} from '../../store/test-databases.fixture.js';
import type { MirrorUsagePoint } from '../metering-mirror.js';
import { checkedSepDevice, deleteSepDevice, insertSepDevice } from './sep-device-repository.js';
import { sepDeviceOf } from './store-device-registry.js';
import { mirrorIdOf, StoreSepMirrorStore } from './store-mirror-store.js';

const T0 = Date.UTC(2026, 0, 1);
const usagePoint = (mRID: string, description = 'site meter'): MirrorUsagePoint => ({
  mRID,
  description,
  roleFlags: '0049',
  serviceCategoryKind: 0,
  status: 1,
  deviceLFDI: 'A'.repeat(40),
  MirrorMeterReading: [{ mRID: '00000000000000000000000000004D01', description: 'import Wh' }],
});

describe.each(TEST_STORE_BACKENDS)('2030.5 mirror usage points in the store on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it.skipIf(skip)(
    'keeps usage points per device across store handles, updates in place, goes with the device',
    async () => {
      store = await open();
      const db = store.store.db;
      await insertParticipant(db, {
        id: 'home',
        role: 'prosumer',
        name: 'home',
        createdMs: T0,
        aggregatorId: null,
      });
      const stored = checkedSepDevice(
        { id: 'inv', lfdi: 'a'.repeat(40), pin: 111_115, participantId: 'home' },
        T0,
      );
      await insertSepDevice(db, stored);
      const device = sepDeviceOf(stored);
      const clock = new ManualClock(T0);
      const mirrors = new StoreSepMirrorStore(db, clock);

      const id = await mirrors.save(device, usagePoint('00000000000000000000000000004E01'));
      expect(id).toBe(mirrorIdOf('inv', '00000000000000000000000000004e01'));
      // The same usage point created again (a retry, another instance): one row, the same id.
      expect(await mirrors.save(device, usagePoint('00000000000000000000000000004E01', 'again'))).toBe(id);
      clock.advance(1000);
      const second = await mirrors.save(device, usagePoint('00000000000000000000000000004E02'));
      await mirrors.save(device, usagePoint('00000000000000000000000000004E01', 'renamed'), id);

      // A fresh store object (a restarted or second instance) sees the same.
      const again = new StoreSepMirrorStore(db, clock);
      expect((await again.list(device)).map((m) => [m.id, m.usagePoint.description])).toEqual([
        [id, 'renamed'],
        [second, 'site meter'],
      ]);
      expect(await again.get(id)).toEqual({
        id,
        deviceId: 'inv',
        usagePoint: usagePoint('00000000000000000000000000004E01', 'renamed'),
      });
      expect(await again.get('nothing')).toBeUndefined();
      // Another device cannot overwrite a usage point by naming its id.
      const other = { ...device, id: 'other' };
      await again.save(other, usagePoint('00000000000000000000000000004E01', 'hijacked'), id);
      expect((await again.get(id))?.usagePoint.description).toBe('renamed');

      await deleteSepDevice(db, 'inv');
      expect(await again.list(device)).toEqual([]);
    },
  );
});
