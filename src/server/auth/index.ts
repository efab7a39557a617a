/** What the composition root needs to set up authentication: keys, the first operator client, roles. */
export { ensureOperatorClient, OPERATOR_CREDENTIALS_FILE, OPERATOR_CLIENT_ID } from './operator-client.js';
export {
  ephemeralSigningKey,
  loadOrCreateSigningKey,
  SIGNING_KEY_FILE,
  type SigningKey,
} from './signing-key.js';
export { hashClientSecret, newClientSecret, verifyClientSecret } from './client-secrets.js';
export { ROLES, isRole, type Role } from './roles.js';
export type { Caller } from './tokens.js';
