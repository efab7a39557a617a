import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreDatabase } from './database.js';
import { describeStoreContract } from './store.contract.js';

describeStoreContract('SQLite (better-sqlite3, WAL)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-store-'));
  const store = openStoreDatabase({ kind: 'sqlite', dataDir });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
