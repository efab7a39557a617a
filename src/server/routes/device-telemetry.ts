/**
 * Device telemetry: idempotent batches of samples (power, state, state of charge, temperatures, the
 * device's bid and the prices it saw) from the devices' owners, their aggregators or the market operator;
 * each device's newest sample for the fleet view; one device's history for its chart. A stored batch is
 * announced on the event stream as `telemetry-received` (a count, no ids). History is bounded: after a
 * batch, at most once per prune interval of clock time, samples older than the retention are deleted.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import {
  devicesById,
  insertDeviceTelemetry,
  latestDeviceTelemetry,
  pruneDeviceTelemetry,
  readDeviceTelemetry,
} from '../../store/device-telemetry-repository.js';
import { covers, participantsInScope, requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { forbidden, instanceOf, notFound, problemOf, problemResponses, sendProblem } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

export const MAX_SAMPLES_PER_REQUEST = 10_000;
/** 10,000 samples with every field and long ids are about 5 MB of JSON. */
export const TELEMETRY_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_TELEMETRY_RETENTION_MS = 7 * 24 * 3_600_000;
const MAX_PRUNE_INTERVAL_MS = 3_600_000;
const DEFAULT_LATEST_LIMIT = 1_000;
const MAX_LATEST_LIMIT = 5_000;
const MAX_HISTORY_LIMIT = 10_000;
/** Problems listed for one refused batch; the rest are alike. */
const MAX_SAMPLE_PROBLEMS = 20;

const powerKw = (description: string) => Type.Number({ minimum: -100_000, maximum: 100_000, description });
const tempF = (description: string) =>
  Type.Optional(Type.Number({ minimum: -100, maximum: 250, description }));
const pricePerKwh = (description: string) =>
  Type.Optional(Type.Number({ minimum: -1_000_000, maximum: 1_000_000, description }));

export const DeviceTelemetrySampleSchema = Type.Object(
  {
    deviceId: IdSchema,
    timeMs: EpochMsSchema,
    powerKw: powerKw('average power over the interval starting at timeMs; load reference (import positive)'),
    state: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 32,
        pattern: '^[a-z][a-z-]*$',
        description: 'a short word: on, off, charging, discharging, idle, heating, cooling',
      }),
    ),
    socPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'state of charge, %' })),
    indoorTempF: tempF('indoor air temperature'),
    setpointF: tempF('the thermostat setpoint in force'),
    comfortLowF: tempF("the occupant's comfort band, lower edge"),
    comfortHighF: tempF("the occupant's comfort band, upper edge"),
    tankTempF: tempF('water heater tank temperature'),
    bidPricePerKwh: pricePerKwh("the device's bid price for the slot"),
    bidQuantityKw: Type.Optional(powerKw('the bid quantity; positive to buy, negative to sell')),
    expectedPricePerKwh: pricePerKwh('the price the device bid against (mean of recent clearing prices)'),
    clearingPricePerKwh: pricePerKwh("the slot's clearing price"),
  },
  { additionalProperties: false },
);
type Sample = Static<typeof DeviceTelemetrySampleSchema>;

const DeviceTelemetrySchema = Type.Object(
  {
    deviceId: IdSchema,
    participantId: IdSchema,
    kind: Type.String(),
    samples: Type.Array(DeviceTelemetrySampleSchema),
  },
  { additionalProperties: false },
);

export interface DeviceTelemetryRouteOptions {
  /** Samples older than this (clock time) are deleted (default 7 days). */
  readonly retentionMs?: number;
}

export function registerDeviceTelemetryRoutes(
  app: TypedApp,
  ctx: RouteContext,
  options: DeviceTelemetryRouteOptions = {},
): void {
  const retentionMs = options.retentionMs ?? DEFAULT_TELEMETRY_RETENTION_MS;
  const pruneIntervalMs = Math.min(MAX_PRUNE_INTERVAL_MS, Math.max(1, Math.floor(retentionMs / 10)));
  // This server's last prune (clock time); instances sharing a store each prune, which is harmless.
  let prunedMs = Number.NEGATIVE_INFINITY;

  app.post(
    '/api/device-telemetry',
    {
      bodyLimit: Math.max(ctx.readingsBodyLimitBytes, TELEMETRY_BODY_LIMIT_BYTES),
      schema: {
        operationId: 'ingestDeviceTelemetry',
        summary: `Ingest up to ${MAX_SAMPLES_PER_REQUEST} device samples (idempotent by device and time)`,
        tags: ['device telemetry'],
        security: BEARER,
        body: Type.Object(
          {
            samples: Type.Array(DeviceTelemetrySampleSchema, {
              minItems: 1,
              maxItems: MAX_SAMPLES_PER_REQUEST,
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            { received: Type.Integer(), inserted: Type.Integer(), duplicates: Type.Integer() },
            { additionalProperties: false },
          ),
          ...problemResponses(404, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { samples } = request.body;
      const allowed = await participantsInScope(
        ctx.db,
        caller,
        requireScope(caller, 'device-telemetry:write'),
      );
      const devices = await devicesById(
        ctx.db,
        samples.map((s) => s.deviceId),
      );
      const unknown: TeError[] = [];
      const refused: TeError[] = [];
      for (const [k, s] of samples.entries()) {
        const device = devices.get(s.deviceId);
        if (device === undefined) {
          if (unknown.length < MAX_SAMPLE_PROBLEMS)
            unknown.push(notFound(`no device '${s.deviceId}'`, `samples[${k}].deviceId`));
        } else if (!covers(allowed, device.participantId) && refused.length < MAX_SAMPLE_PROBLEMS) {
          refused.push(
            new TeError(
              'TE_ERR_FORBIDDEN',
              `role '${caller.role}' may not send telemetry of device '${s.deviceId}'`,
              {
                path: `samples[${k}].deviceId`,
                hint: 'send samples of your own devices (or of participants you represent) only',
              },
            ),
          );
        }
      }
      // Unknown devices first: the batch is wrong whoever sends it. Nothing of a refused batch is stored.
      const [first, ...rest] = [...unknown, ...refused];
      if (first !== undefined)
        return sendProblem(reply, problemOf([first, ...rest], instanceOf(request.url)));
      const nowMs = ctx.clock.nowMs();
      const inserted = await insertDeviceTelemetry(ctx.db, samples, nowMs);
      let latestSampleMs = 0;
      for (const s of samples) latestSampleMs = Math.max(latestSampleMs, s.timeMs);
      if (inserted > 0) {
        ctx.events.publish({ type: 'telemetry-received', count: samples.length, latestSampleMs }, nowMs);
      }
      if (nowMs - prunedMs >= pruneIntervalMs) {
        prunedMs = nowMs;
        // The batch is stored: a failed prune is retried with a later batch, not reported to this client.
        await pruneDeviceTelemetry(ctx.db, nowMs - retentionMs).catch((error: unknown) =>
          request.log.warn({ err: error }, 'device telemetry prune failed'),
        );
      }
      return { received: samples.length, inserted, duplicates: samples.length - inserted };
    },
  );

  app.get(
    '/api/device-telemetry/latest',
    {
      schema: {
        operationId: 'latestDeviceTelemetry',
        summary:
          'Each device’s newest sample, devices in scope in id order (devices that never reported are left out)',
        tags: ['device telemetry'],
        security: BEARER,
        querystring: Type.Object(
          {
            participantId: Type.Optional(IdSchema),
            kind: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LATEST_LIMIT })),
            afterId: Type.Optional(IdSchema),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              devices: Type.Array(
                Type.Object(
                  {
                    deviceId: IdSchema,
                    participantId: IdSchema,
                    kind: Type.String(),
                    sample: DeviceTelemetrySampleSchema,
                  },
                  { additionalProperties: false },
                ),
              ),
              nextAfterId: Type.Optional(
                Type.String({ description: 'pass as afterId for the next page; absent on the last page' }),
              ),
            },
            { additionalProperties: false },
          ),
          ...problemResponses(),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { participantId, kind, afterId, limit = DEFAULT_LATEST_LIMIT } = request.query;
      const allowed = await participantsInScope(
        ctx.db,
        caller,
        requireScope(caller, 'device-telemetry:read'),
      );
      if (participantId !== undefined && !covers(allowed, participantId)) {
        throw forbidden(
          `role '${caller.role}' may not read device telemetry of participant '${participantId}'`,
        );
      }
      const participants =
        participantId !== undefined ? [participantId] : allowed === 'all' ? 'all' : [...allowed];
      const rows = await latestDeviceTelemetry(ctx.db, { participants, kind, afterId, limit: limit + 1 });
      const devices = rows.slice(0, limit).map((row) => ({ ...row, sample: row.sample as Sample }));
      const last = devices.at(-1);
      return {
        devices,
        ...(rows.length > limit && last !== undefined ? { nextAfterId: last.deviceId } : {}),
      };
    },
  );

  app.get(
    '/api/devices/:deviceId/telemetry',
    {
      schema: {
        operationId: 'readDeviceTelemetry',
        summary: 'One device’s samples in [fromMs, toMs), in time order',
        tags: ['device telemetry'],
        security: BEARER,
        params: Type.Object({ deviceId: IdSchema }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            fromMs: EpochMsSchema,
            toMs: EpochMsSchema,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HISTORY_LIMIT })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DeviceTelemetrySchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { deviceId } = request.params;
      const { fromMs, toMs, limit = MAX_HISTORY_LIMIT } = request.query;
      const allowed = await participantsInScope(
        ctx.db,
        caller,
        requireScope(caller, 'device-telemetry:read'),
      );
      const device = (await devicesById(ctx.db, [deviceId])).get(deviceId);
      if (device === undefined) throw notFound(`no device '${deviceId}'`, 'params.deviceId');
      if (!covers(allowed, device.participantId)) {
        throw forbidden(`role '${caller.role}' may not read telemetry of device '${deviceId}'`);
      }
      const samples = await readDeviceTelemetry(ctx.db, deviceId, { fromMs, toMs, limit });
      return {
        deviceId,
        participantId: device.participantId,
        kind: device.kind,
        samples: samples as Sample[],
      };
    },
  );
}
