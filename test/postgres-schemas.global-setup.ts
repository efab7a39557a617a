/**
 * PostgreSQL test schemas are dropped once, after every test file has finished, not by each test as it
 * ends: Kysely's migrator introspects the tables of every schema, and a schema another test file dropped
 * in the middle of that query made a migration fail with "schema ... does not exist".
 */
import pg from 'pg';

export const TEST_SCHEMA_PREFIX = 'tenet_test_';

export async function teardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = await client.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE '${TEST_SCHEMA_PREFIX}%'`,
    );
    for (const { nspname } of schemas.rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
