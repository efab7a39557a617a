/**
 * The embedded MQTT 3.1.1 broker (aedes) the VTN publishes its notifications on when no external broker
 * is configured. Only the VTN publishes: its own connection logs in with a secret made at start, and
 * every other client's PUBLISH is refused. With `authorize`, clients log in with an OpenADR bearer token
 * as the password (the spec's OAUTH2_BEARER_TOKEN method) and may subscribe only to the topics
 * `authorize` allows them; without it, any client may connect and subscribe (ANONYMOUS), which is for
 * loopback and tests. A token login lasts as long as the token: the connection is closed when it
 * expires, and the VEN logs in again with a fresh one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { decodeJwt } from 'jose';
import type { Caller } from '../../server/auth/tokens.js';

export interface BrokerAuthorization {
  /** The caller a bearer token stands for; rejects or returns undefined when it is not valid. */
  verifyToken(token: string): Promise<Caller | undefined>;
  /** Whether the caller may receive what is published on the topic filter. */
  maySubscribe(caller: Caller, topicFilter: string): Promise<boolean>;
  /** The clock token expiry is read on (the token issuer's); without it a login does not expire. */
  readonly tokenClock?: { nowMs(): number };
}

export interface EmbeddedBrokerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly authorize?: BrokerAuthorization;
}

export interface EmbeddedBroker {
  /** e.g. `mqtt://127.0.0.1:1884` */
  readonly url: string;
  readonly port: number;
  /** The login the VTN's publishing connection uses. */
  readonly publisher: { readonly username: string; readonly password: string };
  close(): Promise<void>;
}

const PUBLISHER = 'tenet-vtn';
/** setTimeout's largest delay; a later expiry is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;
const BAD_LOGIN = 4;

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const secret = randomBytes(32).toString('hex');
  const callers = new WeakMap<Client, Caller>();
  const publishers = new WeakSet<Client>();
  const expiryTimers = new Map<Client, NodeJS.Timeout>();
  const closeAtExpiry = (client: Client, token: string, clock: { nowMs(): number }) => {
    const expiresAtS = decodeJwt(token).exp;
    if (expiresAtS === undefined) return;
    const arm = () => {
      const leftMs = expiresAtS * 1000 - clock.nowMs();
      if (leftMs <= 0) {
        expiryTimers.delete(client);
        client.close();
        return;
      }
      const timer = setTimeout(arm, Math.min(leftMs, MAX_TIMER_MS));
      timer.unref();
      expiryTimers.set(client, timer);
    };
    arm();
  };
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const given = password?.toString('utf8') ?? '';
      if (username === PUBLISHER) {
        const ok = sameSecret(given, secret);
        if (ok) publishers.add(client);
        done(ok ? null : loginError('bad publisher login'), ok);
        return;
      }
      const authorize = options.authorize;
      if (authorize === undefined) {
        done(null, true);
        return;
      }
      authorize.verifyToken(given).then(
        (caller) => {
          if (caller === undefined)
            return done(loginError('the password is not a valid bearer token'), false);
          callers.set(client, caller);
          if (authorize.tokenClock !== undefined) closeAtExpiry(client, given, authorize.tokenClock);
          done(null, true);
        },
        () => done(loginError('the password is not a valid bearer token'), false),
      );
    },
    authorizePublish(client, _packet, callback) {
      callback(client === null || publishers.has(client) ? null : new Error('only the VTN publishes'));
    },
    authorizeSubscribe(client, subscription, callback) {
      const authorize = options.authorize;
      if (authorize === undefined || publishers.has(client)) return callback(null, subscription);
      const caller = callers.get(client);
      if (caller === undefined) return callback(new Error('not logged in'));
      // A null subscription refuses this filter alone (SUBACK 128); an error would drop the connection.
      authorize.maySubscribe(caller, subscription.topic).then(
        (allowed) => callback(null, allowed ? subscription : null),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  broker.on('clientDisconnect', (client) => {
    clearTimeout(expiryTimers.get(client));
    expiryTimers.delete(client);
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    publisher: { username: PUBLISHER, password: secret },
    async close() {
      for (const timer of expiryTimers.values()) clearTimeout(timer);
      expiryTimers.clear();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function loginError(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: BAD_LOGIN }) as AuthenticateError;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
