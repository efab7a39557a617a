/** Aggregates anyone may read (KPIs) and the audit log (regulator, market operator). */
import { Type } from '@sinclair/typebox';
import { getMarket } from '../../store/market-repository.js';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { coded, notFound, problemResponses } from '../problem.js';
import { listAuditSince } from '../queries/audit-queries.js';
import { marketKpis } from '../queries/kpi-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER, EpochMsSchema, IdSchema, LimitSchema } from '../schemas.js';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const KpisSchema = Type.Object(
  {
    marketId: Type.String(),
    fromMs: Type.Integer(),
    toMs: Type.Integer(),
    slots: Type.Integer(),
    slotsCleared: Type.Integer(),
    slotsSettled: Type.Integer(),
    tradedEnergyWh: Type.Integer(),
    volumeWeightedPricePerKwh: NullableNumber,
    minPricePerKwh: NullableNumber,
    maxPricePerKwh: NullableNumber,
    participants: Type.Integer({ description: 'participants with at least one order in these slots' }),
    peakCommunityImportWh: NullableNumber,
    peakSlotStartMs: NullableNumber,
    ledgerEntries: Type.Integer(),
  },
  { additionalProperties: false },
);

const AuditRecordSchema = Type.Object(
  {
    id: Type.Integer(),
    timeMs: Type.Integer(),
    actor: Type.String(),
    action: Type.String(),
    target: Type.String(),
    details: Type.Unknown(),
  },
  { additionalProperties: false },
);

const MAX_KPI_PERIOD_MS = 366 * 86_400_000;

export function registerKpiAndAuditRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/kpis',
    {
      schema: {
        operationId: 'getKpis',
        summary: 'Market KPIs over slots starting in [fromMs, toMs) (aggregates only)',
        tags: ['kpis'],
        security: BEARER,
        querystring: Type.Object(
          { marketId: IdSchema, fromMs: EpochMsSchema, toMs: EpochMsSchema },
          { additionalProperties: false },
        ),
        response: { 200: KpisSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'kpis:read');
      const { marketId, fromMs, toMs } = request.query;
      if (toMs <= fromMs || toMs - fromMs > MAX_KPI_PERIOD_MS) {
        throw coded(
          'TE_ERR_VALIDATION',
          'the period must have fromMs < toMs and last at most 366 days',
          'query.toMs',
        );
      }
      if ((await getMarket(ctx.db, marketId)) === undefined)
        throw notFound(`no market '${marketId}'`, 'query.marketId');
      return marketKpis(ctx.db, marketId, fromMs, toMs);
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        operationId: 'listAudit',
        summary: 'Audit records from fromMs on, in write order (page with afterId)',
        tags: ['audit'],
        security: BEARER,
        querystring: Type.Object(
          {
            fromMs: Type.Optional(EpochMsSchema),
            afterId: Type.Optional(
              // A row id: PostgreSQL's bigint would overflow on 1e308 and answer 500.
              Type.Integer({
                minimum: 0,
                maximum: Number.MAX_SAFE_INTEGER,
                description: 'last audit id seen',
              }),
            ),
            limit: Type.Optional(LimitSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(AuditRecordSchema), ...problemResponses() },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'audit:read');
      const { fromMs = 0, afterId, limit = 1000 } = request.query;
      return listAuditSince(ctx.db, { fromMs, limit, ...(afterId === undefined ? {} : { afterId }) });
    },
  );
}
