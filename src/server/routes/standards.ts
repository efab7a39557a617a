/**
 * The standards inventory (standards/inventory.yaml), whole or one platform segment: which standards a
 * TE platform meets and what tenet implements of them. Public knowledge about the software, so every
 * authenticated role reads it. The file is read on the first request and kept: it ships with tenet and
 * changes with a new release, not while the server runs.
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { inventoryView, InventoryViewSchema } from '../../standards/inventory-view.js';
import { INVENTORY_PATH, readStandardsInventory } from '../../standards/load-inventory.js';
import { SegmentIdSchema, type StandardsInventory } from '../../standards/standards-schema.js';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { problemResponses } from '../problem.js';
import type { TypedApp } from '../route-context.js';
import { asResponse, BEARER } from '../schemas.js';

/**
 * The inventory at `inventoryPath`, read on the first call and kept; a file that does not load is thrown
 * as TE_ERR_INTERNAL each time it is asked for (and read again next time, once fixed).
 */
export function cachedInventory(inventoryPath: string): () => Promise<StandardsInventory> {
  let loaded: StandardsInventory | undefined;
  return async () => {
    if (loaded !== undefined) return loaded;
    const read = await readStandardsInventory(inventoryPath);
    if (!read.ok) {
      // The inventory ships with the server: a broken one is the server's fault, not the caller's.
      throw new TeError(
        'TE_ERR_INTERNAL',
        `the server's standards inventory does not load: ${read.error[0]?.toLine() ?? 'unknown problem'}`,
        { hint: 'the operator can run `tenet standards` to see every problem in the file' },
      );
    }
    loaded = read.value;
    return loaded;
  };
}

export function registerStandardsRoutes(app: TypedApp, inventoryPath: string = INVENTORY_PATH): void {
  const inventory = cachedInventory(inventoryPath);

  app.get(
    '/api/standards',
    {
      schema: {
        operationId: 'listStandards',
        summary: 'The standards a TE platform meets, by platform segment, and what tenet implements of them',
        tags: ['standards'],
        security: BEARER,
        querystring: Type.Object(
          { segment: Type.Optional(SegmentIdSchema) },
          { additionalProperties: false },
        ),
        response: { 200: InventoryViewSchema, ...problemResponses() },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'standards:read');
      return asResponse(inventoryView(await inventory(), request.query.segment));
    },
  );
}
