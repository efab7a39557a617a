/**
 * Follows the platform's Server-Sent Events (GET /api/events) and hands each market event to a
 * listener, reconnecting with backoff when the stream drops (sending Last-Event-ID when the server
 * numbers its events). Consumers must not depend on it alone: events sent while it was down are lost,
 * so whoever waits for one also polls.
 */
import type { SeededRandom } from '../core/random.js';
import type { MarketEvent } from '../live/market-events.js';
import type { ApiTransport, ClientCredentials } from '../http-client/api-transport.js';
import { pause } from '../http-client/pause.js';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../http-client/retry-policy.js';

export interface EventStreamOptions {
  readonly transport: ApiTransport;
  readonly as: ClientCredentials;
  readonly onEvent: (event: MarketEvent) => void;
  /** Told when the stream connects (null) or drops (the reason). */
  readonly onStatus?: (problem: string | null) => void;
  readonly random: SeededRandom;
  readonly signal: AbortSignal;
}

export interface EventStream {
  readonly connected: boolean;
  /** Resolves once the stream has stopped for good (after the signal aborted). */
  readonly done: Promise<void>;
}

export function followMarketEvents(options: EventStreamOptions): EventStream {
  const state = { connected: false };
  const done = (async () => {
    let lastEventId: string | undefined;
    let failures = 0;
    while (!options.signal.aborted) {
      try {
        const token = await options.transport.token(options.as, options.signal);
        const response = await fetch(`${options.transport.baseUrl}/api/events`, {
          headers: {
            accept: 'text/event-stream',
            authorization: `Bearer ${token}`,
            ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
          },
          signal: options.signal,
        });
        if (response.status === 401) options.transport.forgetToken(options.as.clientId);
        if (!response.ok || response.body === null) throw new Error(`event stream: HTTP ${response.status}`);
        state.connected = true;
        failures = 0;
        options.onStatus?.(null);
        for await (const message of serverSentEvents(response.body)) {
          if (message.id !== undefined) lastEventId = message.id;
          const event = parseMarketEvent(message);
          if (event !== null) options.onEvent(event);
        }
        throw new Error('event stream ended');
      } catch (caught) {
        state.connected = false;
        if (options.signal.aborted) break;
        options.onStatus?.(caught instanceof Error ? caught.message : String(caught));
        await pause(
          backoffDelayMs(DEFAULT_RETRY_POLICY, Math.min(failures++, 6), options.random),
          options.signal,
        );
      }
    }
    state.connected = false;
  })();
  return {
    get connected() {
      return state.connected;
    },
    done,
  };
}

export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/** The SSE wire format (WHATWG HTML "server-sent events"): fields per line, a blank line ends a message. */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0)
          yield {
            event: event === '' ? 'message' : event,
            data: data.join('\n'),
            ...(id === undefined ? {} : { id }),
          };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  }
}

const EVENT_TYPES = new Set([
  'slot-opened',
  'slot-closed',
  'slot-cleared',
  'slot-settled',
  'order-accepted',
  'preferences-changed',
]);

function parseMarketEvent(message: ServerSentEvent): MarketEvent | null {
  let payload: unknown;
  try {
    payload = JSON.parse(message.data) as unknown;
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const record = payload as Record<string, unknown>;
  // The type is in the SSE event name; the data may repeat it.
  const type = typeof record.type === 'string' ? record.type : message.event;
  if (!EVENT_TYPES.has(type)) return null;
  return { ...record, type } as MarketEvent;
}
