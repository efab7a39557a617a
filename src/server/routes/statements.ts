/** A participant's statement for a period, as JSON or as CSV (RFC 4180), built from the ledger. */
import { Type } from '@sinclair/typebox';
import { USD } from '../../core/money.js';
import { participantStatement } from '../../ledger/participant-statement.js';
import { statementCsv } from '../../ledger/statement-csv.js';
import { requireParticipantAccess } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { coded, notFound, problemResponses } from '../problem.js';
import { ledgerEntriesForParticipant } from '../queries/ledger-queries.js';
import { findParticipant } from '../queries/registry-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

const LineSchema = Type.Object(
  {
    entryId: Type.String(),
    sequence: Type.Integer(),
    timeMs: Type.Integer(),
    slotStartMs: Type.Integer(),
    slotEndMs: Type.Integer(),
    kind: Type.String(),
    account: Type.String(),
    amountMinor: Type.Integer(),
    balanceMinor: Type.Integer(),
    tradeIds: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

const StatementSchema = Type.Object(
  {
    participantId: Type.String(),
    currency: Type.Object(
      { code: Type.String(), minorUnitsPerMajor: Type.Integer() },
      { additionalProperties: false },
    ),
    period: Type.Object({ fromMs: Type.Integer(), toMs: Type.Integer() }, { additionalProperties: false }),
    openingBalanceMinor: Type.Integer(),
    lines: Type.Array(LineSchema),
    closingBalanceMinor: Type.Integer(),
    totalsByKindMinor: Type.Record(Type.String(), Type.Integer()),
  },
  { additionalProperties: false, description: 'positive amounts were paid to the participant' },
);

const MAX_PERIOD_MS = 366 * 86_400_000;

export function registerStatementRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/participants/:participantId/statement',
    {
      schema: {
        operationId: 'getStatement',
        summary:
          'A participant’s statement for [fromMs, toMs): JSON, or CSV with Accept: text/csv or format=csv',
        tags: ['statements'],
        security: BEARER,
        params: Type.Object({ participantId: IdSchema }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            fromMs: EpochMsSchema,
            toMs: EpochMsSchema,
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          },
          { additionalProperties: false },
        ),
        produces: ['application/json', 'text/csv'],
        response: {
          200: {
            description: 'the statement',
            content: {
              'application/json': { schema: StatementSchema },
              'text/csv': { schema: Type.String({ description: 'RFC 4180, CRLF line ends' }) },
            },
          },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params;
      const { fromMs, toMs, format } = request.query;
      await requireParticipantAccess(ctx.db, callerOf(request), 'statements:read', participantId);
      if (toMs <= fromMs || toMs - fromMs > MAX_PERIOD_MS) {
        throw coded(
          'TE_ERR_VALIDATION',
          'the period must have fromMs < toMs and last at most 366 days',
          'query.toMs',
        );
      }
      if ((await findParticipant(ctx.db, participantId)) === undefined) {
        throw notFound(`no participant '${participantId}'`, 'params.participantId');
      }
      const entries = await ledgerEntriesForParticipant(ctx.db, participantId, toMs);
      const statement = participantStatement(entries, participantId, { fromMs, toMs }, USD);
      const wantsCsv = format === 'csv' || (format === undefined && prefersCsv(request.headers.accept));
      if (!wantsCsv) return reply.type('application/json; charset=utf-8').send(asResponse(statement));
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="statement-${participantId}-${fromMs}-${toMs}.csv"`,
        )
        .send(statementCsv(statement));
    },
  );
}

/** CSV when text/csv comes before application/json in the Accept header (ignoring q-values). */
function prefersCsv(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}
