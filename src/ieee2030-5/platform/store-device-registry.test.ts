import { afterEach, describe, expect, it } from 'vitest';
import { insertParticipant } from '../../server/queries/registry-queries.js';
import {
  TEST_DATABASE_URL,
  type TestStore,
  TEST_STORE_BACKENDS,
} from '../../store/test-databases.fixture.js';
import { checkedSepDevice, insertSepDevice, isValidSepPin } from './sep-device-repository.js';
import { StoreSepDeviceRegistry } from './store-device-registry.js';

const T0 = Date.UTC(2026, 0, 1);
const PIN = 111_115;
let store: TestStore | undefined;
const registries: StoreSepDeviceRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.close()));
  await store?.dispose();
  store = undefined;
});

describe('2030.5 registration PINs', () => {
  it('accept six digits whose sum is a multiple of 10 and nothing else', () => {
    expect([0, 123_455, 111_115, 999_995, 55].map(isValidSepPin)).toEqual([true, true, true, true, true]);
    expect([123_456, 1_000_000, -10, 12.5, Number.NaN, 18].map(isValidSepPin)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe.each(TEST_STORE_BACKENDS)('the store-backed 2030.5 device registry on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';

  async function seeded(): Promise<TestStore> {
    store = await open();
    for (const [id, aggregatorId] of [
      ['agg', null],
      ['home', 'agg'],
      ['stranger', null],
    ] as const)
      await insertParticipant(store.store.db, {
        id,
        role: 'prosumer',
        name: id,
        createdMs: T0,
        aggregatorId,
      });
    return store;
  }
  const lfdi = (digit: string) => digit.repeat(40);

  it.skipIf(skip)(
    'serves a registration at once and a deletion refuses the certificate at once',
    async () => {
      const { store: db } = await seeded();
      const registry = new StoreSepDeviceRegistry({ db: db.db });
      registries.push(registry);
      await registry.start();
      expect(registry.byLfdi(lfdi('a'))).toBeUndefined();
      await registry.register(
        checkedSepDevice({ id: 'inv', lfdi: lfdi('a'), pin: PIN, participantId: 'home' }, T0),
      );
      expect(registry.byLfdi(lfdi('a'))).toMatchObject({
        id: 'inv',
        lfdi: lfdi('A'),
        participantId: 'home',
        registeredAt: T0 / 1000,
        enabled: true,
      });
      expect(await registry.remove('inv')).toBe(true);
      expect(registry.byLfdi(lfdi('A'))).toBeUndefined();
      expect(await registry.remove('inv')).toBe(false);
    },
  );

  it.skipIf(skip)(
    'shows an aggregator gateway only the devices of participants it still aggregates',
    async () => {
      const { store: db } = await seeded();
      const registry = new StoreSepDeviceRegistry({ db: db.db });
      registries.push(registry);
      await registry.start();
      const add = (id: string, digit: string, participantId: string, sees: string[] = []) =>
        registry.register(checkedSepDevice({ id, lfdi: lfdi(digit), pin: PIN, participantId, sees }, T0));
      await add('home-inv', '1', 'home');
      await add('agg-inv', '2', 'agg');
      await add('gw', '3', 'agg', ['home-inv', 'agg-inv']);
      expect(registry.visibleTo(lfdi('3')).map((d) => d.id)).toEqual(['gw', 'home-inv', 'agg-inv']);
      await expect(add('stranger-inv', '4', 'stranger', ['home-inv'])).rejects.toMatchObject({
        code: 'TE_ERR_FORBIDDEN',
        path: 'sees[0]',
      });
      // The household leaves the aggregator: its device drops out of the gateway's view at the next reload.
      await db.db.updateTable('participants').set({ aggregator_id: null }).where('id', '=', 'home').execute();
      await registry.reload();
      expect(registry.visibleTo(lfdi('3')).map((d) => d.id)).toEqual(['gw', 'agg-inv']);
      expect(registry.visibleTo(lfdi('9'))).toEqual([]);
    },
  );

  it.skipIf(skip || name === 'SQLite')(
    'learns of a device another instance registered within its refresh period',
    async () => {
      const { store: db } = await seeded();
      const other = store!.reopen();
      const registry = new StoreSepDeviceRegistry({ db: db.db, refreshMs: 50 });
      registries.push(registry);
      await registry.start();
      await insertSepDevice(
        other.db,
        checkedSepDevice({ id: 'far', lfdi: lfdi('f'), pin: PIN, participantId: 'home' }, T0),
      );
      const deadline = Date.now() + 5_000;
      while (registry.byLfdi(lfdi('F')) === undefined && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(registry.byLfdi(lfdi('F'))?.id).toBe('far');
    },
  );
});
