/**
 * The OCPP 2.0.1 Charging Station Management System: charging stations connect by WebSocket to
 * `/ocpp/{stationId}` on the API server's own port. ocpp-rpc does the framing (CALL / CALLRESULT /
 * CALLERROR) and, in strict mode, validates every incoming and outgoing payload against the official
 * OCPP 2.0.1 JSON schemas it ships; this module authenticates stations (security profile 1: HTTP Basic
 * with a per-station password; profile 2 is the same over the server's TLS) and answers their calls.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Kysely } from 'kysely';
import { RPCServer } from 'ocpp-rpc';
import { TeError } from '../core/errors.js';
import type { Clock } from '../live/clock.js';
import type { StoreSchema } from '../store/schema.js';
import { stationHandlers } from './handlers.js';
import { authenticateStation } from './station-repository.js';
import { ocpp201Validator } from './validator.js';
import type { CsmsAction, CsmsRequest, CsmsResponse } from './station-calls.js';
import { StationStates, type ConnectorState, type ProfileReport } from './station-state.js';

export const OCPP_PATH_PREFIX = '/ocpp/';
export const OCPP_SUBPROTOCOL = 'ocpp2.0.1';

export interface CsmsOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** The Heartbeat interval a BootNotification is accepted with. */
  readonly heartbeatIntervalS?: number;
  /** How long a CSMS-initiated call waits for the station's answer. */
  readonly callTimeoutMs?: number;
  /** Larger WebSocket frames close the connection (1009): no station message needs more. */
  readonly maxMessageBytes?: number;
}

export interface Csms {
  /** For the HTTP server's `upgrade` event; answers 404 to paths outside `/ocpp/`. */
  readonly handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Station ids with an open connection. */
  connectedStations(): string[];
  /** A CSMS-initiated call; the station's CALLERROR or no answer in time is a coded error. */
  callStation<A extends CsmsAction>(
    stationId: string,
    action: A,
    payload: CsmsRequest[A],
    timeoutMs?: number,
  ): Promise<CsmsResponse[A]>;
  /** Closes the station's connection (it was removed); false when it had none. */
  disconnect(stationId: string): Promise<boolean>;
  /** Connector states from StatusNotification since this CSMS started (memory only). */
  connectorStates(stationId: string): ConnectorState[];
  /** The transaction running on the EVSE, from TransactionEvent (memory only). */
  activeTransaction(stationId: string, evseId: number): string | undefined;
  /** The latest ReportChargingProfiles (memory only). */
  profileReport(stationId: string): ProfileReport | undefined;
  /** Called after a NotifyEVChargingNeeds is stored; returns the unsubscribe function. */
  onChargingNeed(listener: (stationId: string, evseId: number) => void): () => void;
  /** Forgets a removed station's memory (connectors, transactions, reports). */
  forgetStation(stationId: string): void;
  close(): Promise<void>;
}

/** What the ocpp-rpc server client exposes that this module uses (its own typings are loose). */
interface StationConnection {
  readonly identity: string;
  readonly session: Record<string, unknown>;
  call(method: string, params: unknown, options: { callTimeoutMs: number }): Promise<unknown>;
  handle(method: string, handler: (call: { params: unknown }) => Promise<Record<string, unknown>>): void;
  close(options: { code: number; reason: string; force?: boolean }): Promise<unknown>;
  once(event: 'close', listener: () => void): void;
}

export function createCsms(options: CsmsOptions): Csms {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const server = new RPCServer({
    protocols: [OCPP_SUBPROTOCOL],
    strictMode: true,
    strictModeValidators: [ocpp201Validator() as never],
    callTimeoutMs,
    wssOptions: { maxPayload: options.maxMessageBytes ?? 64 * 1024 },
  });
  const connections = new Map<string, StationConnection>();
  const states = new StationStates();
  const needListeners = new Set<(stationId: string, evseId: number) => void>();
  const announceNeed = (stationId: string, evseId: number) => {
    for (const listener of needListeners) {
      try {
        listener(stationId, evseId);
      } catch (error) {
        options.log(`OCPP: a charging-need listener failed: ${String(error)}`);
      }
    }
  };

  server.auth((accept, reject, handshake) => {
    void (async () => {
      if (handshake.endpoint !== '/ocpp' || handshake.identity === '') return reject(404, 'Not found');
      // OCPP 2.0.1 part 4, 3.1.2: the CSMS refuses a connection without a subprotocol it supports.
      if (!handshake.protocols.has(OCPP_SUBPROTOCOL)) return reject(400, 'Subprotocol ocpp2.0.1 required');
      const password = handshake.password?.toString('utf8');
      const station =
        password === undefined
          ? undefined
          : await authenticateStation(options.db, handshake.identity, password);
      if (station === undefined) return reject(401, 'Unauthorized');
      accept({ station }, OCPP_SUBPROTOCOL);
    })().catch((error: unknown) => {
      options.log(`OCPP: authenticating ${handshake.identity} failed: ${String(error)}`);
      reject(503, 'Service Unavailable');
    });
  });

  server.on('client', (client: StationConnection) => {
    const stationId = client.identity;
    // A station that reconnects replaces its old connection (the old socket may not have noticed yet).
    const previous = connections.get(stationId);
    connections.set(stationId, client);
    if (previous !== undefined) void previous.close({ code: 1000, reason: 'replaced', force: true });
    client.once('close', () => {
      if (connections.get(stationId) === client) connections.delete(stationId);
    });
    const handlers = stationHandlers({
      db: options.db,
      clock: options.clock,
      stationId,
      heartbeatIntervalS: options.heartbeatIntervalS ?? 300,
      states,
      onChargingNeed: announceNeed,
    });
    for (const [action, handler] of Object.entries(handlers)) {
      client.handle(action, ({ params }) => handler(params));
    }
  });
  server.on('error', (error: unknown) => options.log(`OCPP: ${String(error)}`));

  return {
    handleUpgrade: (request, socket, head) => {
      if (!(request.url ?? '').startsWith(OCPP_PATH_PREFIX)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      void server.handleUpgrade(request, socket as never, head);
    },
    connectedStations: () => [...connections.keys()],
    async callStation(stationId, action, payload, timeoutMs = callTimeoutMs) {
      const connection = connections.get(stationId);
      if (connection === undefined) {
        throw new TeError('TE_ERR_OCPP_STATION_OFFLINE', `charging station '${stationId}' is not connected`, {
          path: 'stationId',
          hint: 'the station must connect to /ocpp/{stationId} before the CSMS can call it',
        });
      }
      try {
        return (await connection.call(action, payload, {
          callTimeoutMs: timeoutMs,
        })) as CsmsResponse[typeof action];
      } catch (caught) {
        const error = caught as { rpcErrorCode?: string; message?: string; name?: string };
        throw new TeError(
          'TE_ERR_OCPP_CALL_FAILED',
          `${action} to station '${stationId}' failed: ${error.rpcErrorCode ?? error.name ?? 'Error'} ${error.message ?? ''}`.trim(),
          { path: action, hint: 'check the station is online and supports the request; retry later' },
        );
      }
    },
    async disconnect(stationId) {
      const connection = connections.get(stationId);
      if (connection === undefined) return false;
      connections.delete(stationId);
      await connection.close({ code: 1000, reason: 'station removed', force: true });
      return true;
    },
    connectorStates: (stationId) => states.connectors(stationId),
    activeTransaction: (stationId, evseId) => states.activeTransaction(stationId, evseId),
    profileReport: (stationId) => states.report(stationId),
    onChargingNeed(listener) {
      needListeners.add(listener);
      return () => needListeners.delete(listener);
    },
    forgetStation: (stationId) => states.forget(stationId),
    close: () => server.close({ code: 1001, reason: 'server stopping', force: true }),
  };
}
