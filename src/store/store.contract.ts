/**
 * The store contract: every behaviour the repositories promise, run against each database (SQLite and
 * PostgreSQL) by its own test file. Tests share one migrated database per run and keep out of each
 * other's way with their own ids; the ledger, being one journal, is exercised in a single ordered test.
 */
import type { MigrationResultSet } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreDatabase } from './database.js';
import { migrateToLatest } from './migrations.js';
import { createMarket, openSlot, registerParticipant } from './registry-repository.js';
import { SLOT_MS, SLOT_START_MS, type ContractContext } from './contract-context.js';
import { describeLedgerContract } from './ledger.contract.js';
import { describeOrderContract } from './order.contract.js';
import { describeRecordsContract } from './records.contract.js';

export interface StoreUnderTest {
  readonly store: StoreDatabase;
  /** Closes the store and removes what the test run created (temp dir, schema). */
  dispose(): Promise<void>;
}

let nextMarket = 0;

export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`store contract: ${name}`, () => {
    let underTest: StoreUnderTest | undefined;
    let firstMigration: MigrationResultSet | undefined;
    const store = (): StoreDatabase => {
      if (underTest === undefined) throw new Error('store not open');
      return underTest.store;
    };

    beforeAll(async () => {
      underTest = await open();
      firstMigration = await migrateToLatest(underTest.store);
    });

    afterAll(async () => {
      await underTest?.dispose();
    });

    it('migrates up from empty, and a second run changes nothing', async () => {
      expect(firstMigration?.results?.map((r) => [r.migrationName, r.status])).toEqual([
        ['0001-initial-schema', 'Success'],
        ['0002-live-platform', 'Success'],
        ['0003-openadr3', 'Success'],
        ['0004-ocpp-stations', 'Success'],
        ['0005-sep-devices', 'Success'],
        ['0006-ocpp-charging-needs', 'Success'],
        ['0007-sep-mirror-usage-points', 'Success'],
        ['0008-sep-device-state', 'Success'],
        ['0009-device-telemetry', 'Success'],
        ['0010-grid-states', 'Success'],
      ]);
      const again = await migrateToLatest(store());
      expect(again.results).toEqual([]);
    });

    const context: ContractContext = {
      store,
      async freshSlot() {
        const db = store().db;
        const marketId = `m${++nextMarket}-${Math.random().toString(36).slice(2, 8)}`;
        await createMarket(db, {
          id: marketId,
          name: marketId,
          slotDurationMs: SLOT_MS,
          createdMs: SLOT_START_MS,
        });
        await openSlot(db, {
          marketId,
          startMs: SLOT_START_MS,
          endMs: SLOT_START_MS + SLOT_MS,
          gateClosureMs: SLOT_START_MS - 60_000,
        });
        for (const id of ['p1', 'p2', 'p3']) {
          await registerParticipant(db, { id, role: 'prosumer', name: id, createdMs: SLOT_START_MS });
        }
        return { marketId, slotStartMs: SLOT_START_MS };
      },
    };

    describeOrderContract(context);
    describeRecordsContract(context);
    describeLedgerContract(context);
  });
}
