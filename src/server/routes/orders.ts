/** Orders: submit, replace, cancel (idempotent by client order id), list, and an order's history. */
import { Type, type Static } from '@sinclair/typebox';
import type { TeError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import { MAX_STEPS_PER_ORDER } from '../../market/order-book.js';
import {
  cancelOrder,
  listOrderHistory,
  replaceOrder,
  submitOrder,
  type OrderWrite,
  type OrderWriteOptions,
} from '../../store/order-repository.js';
import { participantsInScope, requireParticipantAccess, requireScope } from '../access/participant-scope.js';
import { auditRecordOf } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import type { Caller } from '../auth/tokens.js';
import { coded, forbidden, notFound, problemResponses } from '../problem.js';
import { listOrders } from '../queries/order-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, EpochMsSchema, IdSchema, LimitSchema } from '../schemas.js';
import { checkOrderGate } from './order-gate.js';

const StepSchema = Type.Object(
  {
    price: Type.Number({ description: 'currency per kWh, within the market price cap' }),
    quantity: Type.Number({ minimum: 0, maximum: 1e9, description: 'kW averaged over the slot' }),
  },
  { additionalProperties: false },
);

const orderFields = {
  marketId: IdSchema,
  slotStartMs: EpochMsSchema,
  participantId: IdSchema,
  side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
  steps: Type.Array(StepSchema, { minItems: 1, maxItems: MAX_STEPS_PER_ORDER }),
  green: Type.Optional(Type.Boolean()),
};

const OrderBodySchema = Type.Object(
  { ...orderFields, clientOrderId: IdSchema },
  { additionalProperties: false },
);
const ReplaceBodySchema = Type.Object(
  { ...orderFields, clientOrderId: Type.Optional(IdSchema) },
  { additionalProperties: false },
);

const StoredOrderSchema = Type.Object(
  {
    ...orderFields,
    clientOrderId: IdSchema,
    green: Type.Boolean(),
    sequence: Type.Integer(),
    status: Type.Union([Type.Literal('live'), Type.Literal('cancelled')]),
    revision: Type.Integer(),
    updatedMs: Type.Integer(),
  },
  { additionalProperties: false },
);

const OrderWriteSchema = Type.Object(
  {
    outcome: Type.Union(
      ['accepted', 'already-accepted', 'replaced', 'unchanged', 'cancelled', 'already-cancelled'].map((o) =>
        Type.Literal(o),
      ),
    ),
    order: StoredOrderSchema,
  },
  { additionalProperties: false },
);

const OrderKeyQuery = Type.Object(
  { marketId: IdSchema, slotStartMs: EpochMsSchema, participantId: IdSchema },
  { additionalProperties: false },
);

const HistoryEntrySchema = Type.Object(
  {
    revision: Type.Integer(),
    action: Type.String(),
    side: Type.String(),
    steps: Type.Array(StepSchema),
    green: Type.Boolean(),
    sequence: Type.Integer(),
    atMs: Type.Integer(),
  },
  { additionalProperties: false },
);

const ClientOrderParams = Type.Object({ clientOrderId: IdSchema }, { additionalProperties: false });

export function registerOrderRoutes(app: TypedApp, ctx: RouteContext): void {
  const writeOutcomes = { ...problemResponses(404, 409, 413, 415) };

  app.post(
    '/api/orders',
    {
      schema: {
        operationId: 'submitOrder',
        summary: 'Submit an order (idempotent by client order id)',
        tags: ['orders'],
        security: BEARER,
        body: OrderBodySchema,
        response: { 200: OrderWriteSchema, 201: OrderWriteSchema, ...writeOutcomes },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      await requireParticipantAccess(ctx.db, caller, 'orders:write', body.participantId);
      await checkOrderGate(ctx, body);
      const written = await settled(
        submitOrder(ctx.db, body, ctx.clock.nowMs(), audited(ctx, caller, 'order-submitted')),
      );
      announce(ctx, written);
      return reply.code(written.outcome === 'accepted' ? 201 : 200).send(asResponse(written));
    },
  );

  app.put(
    '/api/orders/:clientOrderId',
    {
      schema: {
        operationId: 'replaceOrder',
        summary: 'Replace a live order’s steps',
        tags: ['orders'],
        security: BEARER,
        params: ClientOrderParams,
        body: ReplaceBodySchema,
        response: { 200: OrderWriteSchema, ...writeOutcomes },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { clientOrderId } = request.params;
      const body = request.body;
      if (body.clientOrderId !== undefined && body.clientOrderId !== clientOrderId) {
        throw coded(
          'TE_ERR_VALIDATION',
          'the body names another client order id than the path',
          'clientOrderId',
        );
      }
      await requireParticipantAccess(ctx.db, caller, 'orders:write', body.participantId);
      await checkOrderGate(ctx, body);
      const written = await settled(
        replaceOrder(
          ctx.db,
          { ...body, clientOrderId },
          ctx.clock.nowMs(),
          audited(ctx, caller, 'order-replaced'),
        ),
      );
      announce(ctx, written);
      return asResponse(written);
    },
  );

  app.delete(
    '/api/orders/:clientOrderId',
    {
      schema: {
        operationId: 'cancelOrder',
        summary: 'Cancel a live order',
        tags: ['orders'],
        security: BEARER,
        params: ClientOrderParams,
        querystring: OrderKeyQuery,
        response: { 200: OrderWriteSchema, ...writeOutcomes },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const key = { ...request.query, clientOrderId: request.params.clientOrderId };
      await requireParticipantAccess(ctx.db, caller, 'orders:write', key.participantId);
      await checkOrderGate(ctx, key);
      const written = await settled(
        cancelOrder(ctx.db, key, ctx.clock.nowMs(), audited(ctx, caller, 'order-cancelled')),
      );
      announce(ctx, written);
      return asResponse(written);
    },
  );

  app.get(
    '/api/orders',
    {
      schema: {
        operationId: 'listOrders',
        summary: 'Orders the caller may see (live and cancelled), by slot and sequence',
        tags: ['orders'],
        security: BEARER,
        querystring: Type.Object(
          {
            marketId: IdSchema,
            slotStartMs: Type.Optional(EpochMsSchema),
            participantId: Type.Optional(IdSchema),
            limit: Type.Optional(LimitSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(StoredOrderSchema), ...problemResponses() },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { marketId, slotStartMs, participantId, limit = 1000 } = request.query;
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'orders:read'));
      if (participantId !== undefined && allowed !== 'all' && !allowed.has(participantId)) {
        throw forbidden(`role '${caller.role}' may not read the orders of participant '${participantId}'`);
      }
      const participantIds =
        participantId !== undefined ? [participantId] : allowed === 'all' ? undefined : [...allowed];
      return asResponse(
        await listOrders(ctx.db, {
          marketId,
          ...(slotStartMs === undefined ? {} : { slotStartMs }),
          ...(participantIds === undefined ? {} : { participantIds }),
          limit,
        }),
      );
    },
  );

  app.get(
    '/api/orders/:clientOrderId/history',
    {
      schema: {
        operationId: 'getOrderHistory',
        summary: 'Every submit, replace and cancel of one order, oldest first',
        tags: ['orders'],
        security: BEARER,
        params: ClientOrderParams,
        querystring: OrderKeyQuery,
        response: { 200: Type.Array(HistoryEntrySchema), ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const key = { ...request.query, clientOrderId: request.params.clientOrderId };
      await requireParticipantAccess(ctx.db, caller, 'orders:read', key.participantId);
      const history = await listOrderHistory(ctx.db, key);
      if (history.length === 0)
        throw notFound(`no order '${key.clientOrderId}' for that slot and participant`);
      return asResponse(history);
    },
  );
}

export type OrderBody = Static<typeof OrderBodySchema>;

async function settled(pending: Promise<Result<OrderWrite, TeError>>): Promise<OrderWrite> {
  const result = await pending;
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Changes (not idempotent repeats) are audited in the write's own transaction: one commit per order, and
 * no acknowledged change without its record.
 */
function audited(ctx: RouteContext, caller: Caller, action: string): OrderWriteOptions {
  return {
    audit: ({ order, outcome }) =>
      auditRecordOf(
        ctx,
        caller,
        action,
        `order:${order.marketId}/${order.slotStartMs}/${order.participantId}/${order.clientOrderId}`,
        {
          outcome,
          revision: order.revision,
          side: order.side,
          steps: order.steps,
          sequence: order.sequence,
        },
      ),
  };
}

const CHANGED = new Set(['accepted', 'replaced', 'cancelled']);

/** Changes are announced on the event bus once committed. */
function announce(ctx: RouteContext, written: OrderWrite): void {
  if (!CHANGED.has(written.outcome)) return;
  const { order } = written;
  ctx.events.publish(
    {
      type: 'order-accepted',
      marketId: order.marketId,
      slotStartMs: order.slotStartMs,
      participantId: order.participantId,
      clientOrderId: order.clientOrderId,
      outcome: written.outcome,
    },
    ctx.clock.nowMs(),
  );
}
