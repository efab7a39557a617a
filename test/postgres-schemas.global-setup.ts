/**
 * PostgreSQL test schemas are dropped once, after every test file has finished, not by each test as it
 * ends: Kysely's migrator introspects the tables of every schema, and a schema another test file dropped
 * in the middle of that query made a migration fail with "schema ... does not exist". Each run names its
 * schemas with a run id of its own, so a run drops only its own, never those of a run beside it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function setup(): void {
  process.env.TENET_TEST_RUN_ID ??= randomBytes(4).toString('hex');
}

export async function teardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const runId = process.env.TENET_TEST_RUN_ID;
  if (url === undefined || url === '' || runId === undefined) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
      [`tenet_test_${runId}_`],
    );
    for (const { nspname } of schemas.rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
