import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../ledger/journal.js';
import { transferDraft } from '../../ledger/ledger-example.fixture.js';
import { migrateToLatest, openStoreDatabase } from '../../store/index.js';
import { appendLedgerEntries } from '../../store/ledger-repository.js';
import { runInProcess } from '../run-in-process.fixture.js';

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());

/** A data directory whose SQLite store holds a three-entry journal. */
async function dataDirWithLedger(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-ledger-'));
  const store = openStoreDatabase({ kind: 'sqlite', dataDir });
  await migrateToLatest(store);
  const journal = new Journal(sha256);
  const posted = journal.post([
    transferDraft('e1', 'participant:a:energy', 'market:clearing', 120),
    transferDraft('e2', 'market:clearing', 'supplier:grid', 100),
    transferDraft('e3', 'market:clearing', 'market:operator', 20),
  ]);
  if (!posted.ok) throw posted.error;
  const appended = await appendLedgerEntries(
    store.db,
    journal.entries().map((entry) => ({
      sequence: entry.sequence,
      entryId: entry.id,
      previousHash: entry.prevHash,
      hash: entry.hash,
      timeMs: entry.timeMs,
      body: entry,
    })),
  );
  if (!appended.ok) throw appended.error;
  await store.close();
  return dataDir;
}

describe('tenet ledger verify', () => {
  it('verifies an intact journal', async () => {
    const dataDir = await dataDirWithLedger();
    const { status, stdout } = await runInProcess(['ledger', 'verify', '--data-dir', dataDir], tmpdir());
    expect(status).toBe(0);
    expect(stdout).toMatch(/^ledger verified: 3 entries, 6 postings/);
  });

  it('names the first broken entry when an amount was altered in the database', async () => {
    const dataDir = await dataDirWithLedger();
    const store = openStoreDatabase({ kind: 'sqlite', dataDir });
    await sql`update ledger_entries set body = replace(body, '"amountMinor":100', '"amountMinor":101') where sequence = 1`.execute(
      store.db,
    );
    await store.close();
    const { status, stdout } = await runInProcess(['ledger', 'verify', '--data-dir', dataDir], tmpdir());
    expect(status).toBe(1);
    expect(stdout).toMatch(/chain broken at entry 1 \(e2\): hash/);
    expect(stdout).toMatch(/entry 1 \(e2\) does not balance in USD/);
  });

  it('says where it looked when there is no ledger, and refuses other subcommands', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tenet-empty-'));
    const missing = await runInProcess(['ledger', 'verify', '--data-dir', empty], tmpdir());
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^TE_ERR_FILE_NOT_FOUND at .*tenet\.sqlite: no ledger database/);
    expect((await runInProcess(['ledger', 'rewrite'], tmpdir())).stderr).toMatch(/^TE_ERR_USAGE/);
  });
});
