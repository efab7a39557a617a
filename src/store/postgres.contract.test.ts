import pg from 'pg';
import { describe, it } from 'vitest';
import { openStoreDatabase } from './database.js';
import { describeStoreContract } from './store.contract.js';
import { testSchemaName } from './test-databases.fixture.js';

const url = process.env.TEST_DATABASE_URL;

if (url === undefined || url === '') {
  describe.skip('store contract: PostgreSQL', () => {
    it('set TEST_DATABASE_URL=postgres://... to run the PostgreSQL store tests', () => {});
  });
} else {
  describeStoreContract('PostgreSQL', async () => {
    // Each run works in a fresh schema of its own, so runs never see each other.
    const schema = testSchemaName();
    await adminQuery(url, `CREATE SCHEMA ${schema}`);
    const store = openStoreDatabase({ kind: 'postgres', url, schema });
    return {
      store,
      // Dropped after the whole run (test/postgres-schemas.global-setup.ts says why).
      async dispose() {
        await store.close();
      },
    };
  });
}

async function adminQuery(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
