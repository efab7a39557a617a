/**
 * The first market-operator client. A fresh platform has no client that could create others, and no
 * default secret may exist; so on start, when no enabled market-operator client exists, one is made with
 * a random secret and its credentials are written to a 0600 file in the data directory. Callers print the
 * file's path, never the secret.
 */
import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import {
  createApiClient,
  getApiClient,
  listEnabledClientsWithRole,
} from '../../store/api-client-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import { hashClientSecret, newClientSecret } from './client-secrets.js';
import { writeSecretFile } from './key-files.js';

export const OPERATOR_CREDENTIALS_FILE = 'operator-credentials.json';
export const OPERATOR_CLIENT_ID = 'operator';
export const DEFAULT_TOKEN_URL = 'http://127.0.0.1:8825/oauth/token';

/**
 * Returns the path of the credentials file it wrote, or undefined when an enabled market-operator client
 * already existed (nothing is written then).
 */
export async function ensureOperatorClient(
  db: Kysely<StoreSchema>,
  dataDir: string,
  nowMs: number,
  tokenUrl: string = DEFAULT_TOKEN_URL,
): Promise<string | undefined> {
  if ((await listEnabledClientsWithRole(db, 'market-operator')).length > 0) return undefined;
  // A disabled `operator` was disabled on purpose: leave it and make a differently named one.
  const taken = (await getApiClient(db, OPERATOR_CLIENT_ID)) !== undefined;
  const clientId = taken ? `${OPERATOR_CLIENT_ID}-${randomBytes(4).toString('hex')}` : OPERATOR_CLIENT_ID;
  const secret = newClientSecret();
  const created = await createApiClient(db, {
    clientId,
    secretHash: await hashClientSecret(secret),
    role: 'market-operator',
    participantId: undefined,
    createdMs: nowMs,
  });
  // Another instance on the same database made it between our look and our insert: its file is the one.
  if (!created.ok) return undefined;
  const body = { client_id: clientId, client_secret: secret, token_url: tokenUrl };
  return writeSecretFile(dataDir, OPERATOR_CREDENTIALS_FILE, `${JSON.stringify(body, null, 2)}\n`);
}
