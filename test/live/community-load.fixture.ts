/**
 * Participants and a load of orders and readings against a running `tenet serve`, remembering exactly
 * what the server acknowledged (a 2xx response received), for the reliability tests.
 */
import { apiCall, fetchToken } from './serve-process.fixture.js';

export interface AckedOrder {
  readonly participantId: string;
  readonly slotStartMs: number;
  readonly clientOrderId: string;
}

export interface AckedReading {
  readonly meterId: string;
  readonly timeMs: number;
  readonly energyWh: number;
}

export interface Participant {
  readonly id: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export const MARKET_ID = 'community';
const READINGS_EPOCH_MS = 1_700_000_000_000;

export async function registerParticipants(
  url: string,
  operatorToken: string,
  count: number,
): Promise<Participant[]> {
  const participants: Participant[] = [];
  for (let i = 0; i < count; i++) {
    const id = `home-${i}`;
    const created = await apiCall(url, operatorToken, 'POST', '/api/participants', {
      id,
      role: 'prosumer',
      name: `Home ${i}`,
    });
    if (created.status !== 201)
      throw new Error(`participant ${id}: ${created.status} ${JSON.stringify(created.body)}`);
    const client = await apiCall<{ clientId: string; clientSecret: string }>(
      url,
      operatorToken,
      'POST',
      '/api/clients',
      {
        clientId: `${id}-client`,
        role: 'prosumer',
        participantId: id,
      },
    );
    if (client.status !== 201)
      throw new Error(`client for ${id}: ${client.status} ${JSON.stringify(client.body)}`);
    participants.push({ id, clientId: client.body.clientId, clientSecret: client.body.clientSecret });
  }
  return participants;
}

export interface LoadResult {
  readonly orders: AckedOrder[];
  readonly readings: AckedReading[];
  /** Requests whose outcome is unknown (connection reset by the kill). */
  unknown: number;
  readonly refused: Map<string, number>;
}

/**
 * Workers submit orders to the latest open slot and post batches of readings until `signal` aborts or the
 * server goes away. Every id and reading time is unique per round, so each acknowledgement names one row.
 */
export async function runLoad(options: {
  url: string;
  participants: readonly Participant[];
  round: number;
  workers: number;
  signal: AbortSignal;
}): Promise<LoadResult> {
  const { url, participants, round } = options;
  const tokens = new Map<string, string>();
  for (const p of participants) tokens.set(p.id, await fetchToken(url, p.clientId, p.clientSecret));
  const result: LoadResult = { orders: [], readings: [], unknown: 0, refused: new Map() };
  const refuse = (code: string) => result.refused.set(code, (result.refused.get(code) ?? 0) + 1);
  const worker = async (w: number) => {
    for (let n = 0; !options.signal.aborted; n++) {
      const participant = participants[(w + n) % participants.length] as Participant;
      const token = tokens.get(participant.id) as string;
      try {
        const slots = await apiCall<{ startMs: number; gateClosureMs: number; status: string }[]>(
          url,
          token,
          'GET',
          `/api/markets/${MARKET_ID}/slots?limit=2000`,
        );
        const open = slots.body.filter((s) => s.status === 'open');
        const slot = open[open.length - 1];
        if (slot === undefined) continue;
        const clientOrderId = `r${round}-w${w}-n${n}`;
        const order = await apiCall<{ code?: string }>(url, token, 'POST', '/api/orders', {
          marketId: MARKET_ID,
          slotStartMs: slot.startMs,
          participantId: participant.id,
          clientOrderId,
          side: n % 3 === 0 ? 'sell' : 'buy',
          steps: [{ price: 0.05 + ((n * 7) % 15) / 100, quantity: 1 + (n % 4) }],
        });
        if (order.status === 200 || order.status === 201) {
          result.orders.push({ participantId: participant.id, slotStartMs: slot.startMs, clientOrderId });
        } else refuse(order.body.code ?? String(order.status));
        const readings = Array.from({ length: 20 }, (_, k) => ({
          meterId: participant.id,
          // A time of its own per round, worker, iteration and reading, so an acknowledgement names one row.
          timeMs: READINGS_EPOCH_MS + ((round * 64 + w) * 1_000_000 + n * 20 + k) * 1000,
          energyWh: ((n + k) % 9) - 2,
        }));
        const posted = await apiCall<{ code?: string }>(url, token, 'POST', '/api/meter-readings', {
          readings,
        });
        if (posted.status === 200 || posted.status === 201) result.readings.push(...readings);
        else refuse(posted.body.code ?? String(posted.status));
      } catch {
        // The connection died under us (the server was killed): the outcome is unknown, not acknowledged.
        result.unknown++;
        if (options.signal.aborted) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  return result;
}
