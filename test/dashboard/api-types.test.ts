/**
 * The dashboard's API types are generated from the server's OpenAPI document; this fails when a route's
 * schema changed without `npm run generate:api`, so the browser client cannot silently drift.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../../tools/api-types.js';

it('web/src/api/schema.d.ts is what the server documents (else: npm run generate:api)', async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  const generated = await generateApiTypes();
  expect(generated === committed, 'web/src/api/schema.d.ts is stale: run `npm run generate:api`').toBe(true);
});
