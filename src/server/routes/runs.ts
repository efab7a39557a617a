/**
 * Simulation and comparison runs from the server's runs directory (runs/run-directory.ts): the list, and
 * one run's KPI document with its time series thinned to at most MAX_SERIES_POINTS rows. Without a runs
 * directory (or with one that does not exist) the list is empty.
 */
import { Type } from '@sinclair/typebox';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { problemResponses } from '../problem.js';
import type { TypedApp } from '../route-context.js';
import { listRuns, readRun, RUN_ID_PATTERN } from '../runs/run-directory.js';
import { asResponse, BEARER } from '../schemas.js';

const RunSummarySchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('simulation'), Type.Literal('comparison')]),
    name: Type.String(),
    createdMs: Type.Integer({ description: 'when its kpis.json or comparison.json was written' }),
    scenario: Type.String(),
    designs: Type.Array(Type.String(), {
      description: 'mechanism (simulation) or design labels (comparison)',
    }),
    problem: Type.Optional(Type.String({ description: 'error code when the run cannot be read' })),
  },
  { additionalProperties: false },
);

const SeriesSchema = Type.Record(
  Type.String(),
  Type.Array(Type.Union([Type.Number(), Type.String(), Type.Null()])),
  { description: 'timeMs and every timeseries.csv column by its header name; blank cells are null' },
);

const RunSchema = Type.Object(
  {
    ...RunSummarySchema.properties,
    kpis: Type.Optional(Type.Unknown({ description: 'kpis.json as `tenet simulate` wrote it' })),
    comparison: Type.Optional(Type.Unknown({ description: 'comparison.json as `tenet compare` wrote it' })),
    series: SeriesSchema,
    seriesRows: Type.Integer({ description: 'rows in timeseries.csv' }),
    seriesStride: Type.Integer({ description: 'every seriesStride-th row is in series (1: all)' }),
  },
  { additionalProperties: false },
);

export function registerRunRoutes(app: TypedApp, runsDir: string | undefined): void {
  app.get(
    '/api/runs',
    {
      schema: {
        operationId: 'listRuns',
        summary: 'Simulation and comparison runs in the server’s runs directory, newest first',
        tags: ['runs'],
        security: BEARER,
        response: { 200: Type.Object({ runs: Type.Array(RunSummarySchema) }), ...problemResponses() },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'runs:read');
      return asResponse({ runs: runsDir === undefined ? [] : await listRuns(runsDir) });
    },
  );

  app.get(
    '/api/runs/:runId',
    {
      schema: {
        operationId: 'getRun',
        summary: 'One run: its KPI or comparison document and its time series',
        tags: ['runs'],
        security: BEARER,
        params: Type.Object(
          { runId: Type.String({ minLength: 1, maxLength: 128, pattern: RUN_ID_PATTERN }) },
          { additionalProperties: false },
        ),
        response: { 200: RunSchema, ...problemResponses(404, 413, 422) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'runs:read');
      const run = await readRun(runsDir ?? '', request.params.runId);
      if (!run.ok) throw run.error;
      return asResponse(run.value);
    },
  );
}
