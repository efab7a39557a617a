/**
 * API clients: who may ask the token endpoint for a token, with which role, acting for which
 * participant. Only a salted hash of the secret is stored (`scrypt$<salt hex>$<hash hex>`); hashing and
 * checking are the server's (src/server/auth/client-secrets.ts), so this module never sees a secret.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { ApiClientTable, StoreSchema } from './schema.js';
import { isUniqueViolation } from './store-errors.js';

type Db = Kysely<StoreSchema>;

export interface ApiClient {
  readonly clientId: string;
  readonly secretHash: string;
  readonly role: string;
  readonly participantId: string | undefined;
  readonly createdMs: number;
  readonly disabled: boolean;
}

export type NewApiClient = Omit<ApiClient, 'disabled'>;

/** Creates a client; an id already in use or an unknown participant is a coded error and nothing is written. */
export async function createApiClient(db: Db, client: NewApiClient): Promise<Result<ApiClient>> {
  if (client.participantId !== undefined) {
    const participant = await db
      .selectFrom('participants')
      .select('id')
      .where('id', '=', client.participantId)
      .executeTakeFirst();
    if (participant === undefined) {
      return err(
        new TeError('TE_ERR_UNKNOWN_PARTICIPANT', `participant '${client.participantId}' is not registered`, {
          path: 'participantId',
          hint: 'register the participant before giving it a client',
        }),
      );
    }
  }
  const row: ApiClientTable = {
    client_id: client.clientId,
    secret_hash: client.secretHash,
    role: client.role,
    participant_id: client.participantId ?? null,
    created_ms: client.createdMs,
    disabled: 0,
  };
  try {
    await db.insertInto('api_clients').values(row).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return err(
      new TeError('TE_ERR_VALIDATION', `client id '${client.clientId}' is already in use`, {
        path: 'clientId',
        hint: 'choose another client id; a secret is shown once and cannot be read back',
      }),
    );
  }
  return ok(toApiClient(row));
}

export async function getApiClient(db: Db, clientId: string): Promise<ApiClient | undefined> {
  const row = await db
    .selectFrom('api_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row === undefined ? undefined : toApiClient(row);
}

/** Enabled clients holding `role`, oldest first. */
export async function listEnabledClientsWithRole(db: Db, role: string): Promise<ApiClient[]> {
  const rows = await db
    .selectFrom('api_clients')
    .selectAll()
    .where('role', '=', role)
    .where('disabled', '=', 0)
    .orderBy('created_ms')
    .orderBy('client_id')
    .execute();
  return rows.map(toApiClient);
}

/** Disables (or re-enables) a client; tokens it already holds stay valid until they expire. */
export async function setApiClientDisabled(db: Db, clientId: string, disabled: boolean): Promise<boolean> {
  const result = await db
    .updateTable('api_clients')
    .set({ disabled: disabled ? 1 : 0 })
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function toApiClient(row: ApiClientTable): ApiClient {
  return {
    clientId: row.client_id,
    secretHash: row.secret_hash,
    role: row.role,
    participantId: row.participant_id ?? undefined,
    createdMs: row.created_ms,
    disabled: row.disabled !== 0,
  };
}
