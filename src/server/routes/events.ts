/**
 * Server-Sent Events: the market's events as they happen (`event: <type>`, `id`, `data` JSON), a
 * heartbeat comment to keep proxies from closing an idle stream, filtered by what the caller may see.
 * EventSource cannot set headers, so the token may come as `?access_token=` here (docs/api.md says why
 * that is a trade-off and how the server keeps it out of logs).
 */
import { Type } from '@sinclair/typebox';
import type { MarketEvent } from '../../live/market-events.js';
import { covers, participantsInScope, requireScope } from '../access/participant-scope.js';
import { scopeOf, type Scope } from '../access/access-matrix.js';
import { callerOf } from '../auth/authenticate.js';
import { problemResponses } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER } from '../schemas.js';

/** A client that reads slower than this is dropped (it reconnects) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function registerEventRoutes(app: TypedApp, ctx: RouteContext): void {
  let lastEventId = 0;

  app.get(
    '/api/events',
    {
      schema: {
        operationId: 'streamEvents',
        summary: 'Market events as Server-Sent Events',
        tags: ['events'],
        security: BEARER,
        querystring: Type.Object(
          {
            access_token: Type.Optional(
              Type.String({ maxLength: 4096, description: 'for EventSource, which cannot send headers' }),
            ),
          },
          { additionalProperties: false },
        ),
        produces: ['text/event-stream'],
        response: {
          200: {
            description: 'an endless text/event-stream',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...problemResponses(),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const scope = requireScope(caller, 'events:read');
      // Fixed when the stream opens: a participant newly represented shows after a reconnect.
      const allowed = await participantsInScope(ctx.db, caller, scope);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      raw.write('retry: 5000\n\n');
      const write = (text: string) => {
        if (raw.writableEnded || raw.destroyed) return;
        if (raw.writableLength > MAX_BUFFERED_BYTES) {
          end();
          return;
        }
        raw.write(text);
      };
      const unsubscribe = ctx.events.subscribe((event, timeMs) => {
        if (!visible(event, scope, allowed)) return;
        // A slider is the household's business: the grid operators see orders, not preferences.
        if (event.type === 'preferences-changed' && scopeOf(caller.role, 'preferences:read') === 'none')
          return;
        lastEventId += 1;
        write(`event: ${event.type}\nid: ${lastEventId}\ndata: ${JSON.stringify({ ...event, timeMs })}\n\n`);
      });
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), ctx.sseHeartbeatMs);
      heartbeat.unref();
      function end() {
        clearInterval(heartbeat);
        unsubscribe();
        ctx.eventStreams.delete(end);
        if (!raw.writableEnded) raw.end();
      }
      ctx.eventStreams.add(end);
      request.raw.on('close', end);
    },
  );
}

function visible(event: MarketEvent, scope: Scope, allowed: 'all' | ReadonlySet<string>): boolean {
  if (event.type !== 'order-accepted' && event.type !== 'preferences-changed') return true;
  if (scope === 'aggregate' || scope === 'anonymised') return false;
  return covers(allowed, event.participantId);
}
