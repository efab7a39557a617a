import { scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getApiClient, setApiClientDisabled } from '../../store/api-client-repository.js';
import { listAuditRecords } from '../../store/audit-repository.js';
import { sqliteTestStore } from '../../store/test-databases.fixture.js';
import { apiHarness, describeOnStores, START_MS, type ApiHarness } from '../api-test.fixture.js';
import { hashClientSecret, verifyClientSecret } from './client-secrets.js';
import { ensureOperatorClient, OPERATOR_CREDENTIALS_FILE } from './operator-client.js';
import { ephemeralSigningKey, loadOrCreateSigningKey, SIGNING_KEY_FILE } from './signing-key.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describeOnStores('OAuth token endpoint and clients', (kind) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(kind);
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('issues a signed token for form-encoded credentials by HTTP Basic, verifiable with the JWKS', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...FORM, authorization: basic('client-aggregator', h.secrets.aggregator) },
      payload: form({ grant_type: 'client_credentials' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'aggregator' });
    const jwks = (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
      issuer: 'tenet',
      currentDate: new Date(START_MS),
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({
      sub: 'client-aggregator',
      role: 'aggregator',
      participant: 'agg1',
      iss: 'tenet',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(typeof payload.jti).toBe('string');
    expect(decodeJwt(h.tokens['market-operator'])).not.toHaveProperty('participant');
  });

  it('speaks OAuth errors: unsupported grant, invalid client, two credential methods, unknown fields', async () => {
    const grant = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: FORM,
      payload: form({
        grant_type: 'password',
        client_id: 'client-prosumer',
        client_secret: h.secrets.prosumer,
      }),
    });
    expect(grant.statusCode).toBe(400);
    expect(grant.json()).toMatchObject({ code: 'TE_ERR_UNSUPPORTED_GRANT', error: 'unsupported_grant_type' });
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { grant_type: 'client_credentials', client_id: 'client-prosumer', client_secret: 'guess' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'TE_ERR_INVALID_CLIENT', error: 'invalid_client' });
    expect(wrong.body).not.toContain('guess');
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic('nobody', 'x') },
      payload: { grant_type: 'client_credentials' },
    });
    expect([unknown.statusCode, unknown.headers['www-authenticate']]).toEqual([401, 'Basic realm="tenet"']);
    const both = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic('client-prosumer', h.secrets.prosumer) },
      payload: {
        grant_type: 'client_credentials',
        client_id: 'client-prosumer',
        client_secret: h.secrets.prosumer,
      },
    });
    expect(both.json()).toMatchObject({ status: 400, error: 'invalid_request' });
    const extra = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: FORM,
      payload: form({ grant_type: 'client_credentials', colour: 'blue' }),
    });
    expect(extra.json()).toMatchObject({
      code: 'TE_ERR_UNKNOWN_KEY',
      path: 'colour',
      error: 'invalid_request',
    });
    const text = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'text/plain' },
      payload: 'grant_type=client_credentials',
    });
    expect(text.statusCode).toBe(415);
  });

  it('refuses expired tokens, tokens signed by another key, and disabled clients', async () => {
    const other = await ephemeralSigningKey();
    const forged = await apiHarness(kind, { signingKey: other });
    const foreign = await h.call(undefined, {
      method: 'GET',
      url: '/api/markets',
      headers: { authorization: `Bearer ${forged.tokens['market-operator']}` },
    });
    await forged.dispose();
    expect(foreign.statusCode).toBe(401);
    expect(foreign.headers['www-authenticate']).toContain('invalid_token');
    await setApiClientDisabled(h.store.store.db, 'client-dso', true);
    const disabled = await h.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { grant_type: 'client_credentials', client_id: 'client-dso', client_secret: h.secrets.dso },
    });
    expect(disabled.statusCode).toBe(401);
    h.clock.advance(3600_000);
    const expired = await h.call('prosumer', { method: 'GET', url: '/api/markets' });
    expect([expired.statusCode, expired.json().code]).toEqual([401, 'TE_ERR_UNAUTHORIZED']);
  });

  it('lets the market operator create clients, shows the secret once, and audits token issues', async () => {
    const fresh = await apiHarness(kind);
    try {
      const created = await fresh.call('market-operator', {
        method: 'POST',
        url: '/api/clients',
        payload: { clientId: 'home-42', role: 'prosumer', participantId: 'p9' },
      });
      expect(created.statusCode).toBe(201);
      const { clientSecret } = created.json();
      expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = await getApiClient(fresh.store.store.db, 'home-42');
      expect(stored?.secretHash).toMatch(/^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      expect(stored?.secretHash).not.toContain(clientSecret);
      const token = await fresh.app.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: 'home-42', client_secret: clientSecret },
      });
      expect(decodeJwt(token.json().access_token)).toMatchObject({ role: 'prosumer', participant: 'p9' });
      const again = await fresh.call('market-operator', {
        method: 'POST',
        url: '/api/clients',
        payload: { clientId: 'home-42', role: 'prosumer' },
      });
      expect([again.statusCode, again.json().path]).toEqual([400, 'clientId']);
      const ghost = await fresh.call('market-operator', {
        method: 'POST',
        url: '/api/clients',
        payload: { clientId: 'ghost', role: 'prosumer', participantId: 'ghost' },
      });
      expect(ghost.json().code).toBe('TE_ERR_UNKNOWN_PARTICIPANT');
      const badRole = await fresh.call('market-operator', {
        method: 'POST',
        url: '/api/clients',
        payload: { clientId: 'x', role: 'king' },
      });
      expect(badRole.json()).toMatchObject({ code: 'TE_ERR_VALIDATION', path: 'role' });
      const byProsumer = await fresh.call('prosumer', {
        method: 'POST',
        url: '/api/clients',
        payload: { clientId: 'mine', role: 'market-operator' },
      });
      expect(byProsumer.statusCode).toBe(403);
      const audit = await listAuditRecords(fresh.store.store.db);
      expect(audit.filter((a) => a.action === 'token-issued').length).toBeGreaterThanOrEqual(10);
      expect(audit.find((a) => a.action === 'client-created')?.actor).toBe(
        'client-market-operator (market-operator)',
      );
      expect(JSON.stringify(audit)).not.toContain(clientSecret);
    } finally {
      await fresh.dispose();
    }
  });
});

describe('keys and the first operator client', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tenet-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the signing key once, mode 0600, and reads the same key afterwards', async () => {
    const first = await loadOrCreateSigningKey(dir);
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateSigningKey(dir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(first.publicJwk).not.toHaveProperty('d');
    const together = await Promise.all([1, 2, 3].map(() => loadOrCreateSigningKey(join(dir, 'race'))));
    expect(new Set(together.map((k) => k.kid)).size).toBe(1);
  });

  it('creates the operator client with a random secret in a 0600 file, once', async () => {
    const store = await sqliteTestStore();
    try {
      const path = await ensureOperatorClient(store.store.db, dir, START_MS);
      expect(path).toBe(join(dir, OPERATOR_CREDENTIALS_FILE));
      expect(statSync(path!).mode & 0o777).toBe(0o600);
      const credentials = JSON.parse(readFileSync(path!, 'utf8'));
      expect(credentials).toMatchObject({
        client_id: 'operator',
        token_url: expect.stringMatching(/\/oauth\/token$/),
      });
      const client = await getApiClient(store.store.db, 'operator');
      expect(client?.role).toBe('market-operator');
      expect(await verifyClientSecret(credentials.client_secret, client!.secretHash)).toBe(true);
      expect(await ensureOperatorClient(store.store.db, dir, START_MS)).toBeUndefined();
      await setApiClientDisabled(store.store.db, 'operator', true);
      const replacement = await ensureOperatorClient(store.store.db, dir, START_MS);
      expect(JSON.parse(readFileSync(replacement!, 'utf8')).client_id).toMatch(/^operator-[0-9a-f]{8}$/);
    } finally {
      await store.dispose();
    }
  });

  it('hashes secrets with a random salt and compares them in constant time', async () => {
    const a = await hashClientSecret('s3cret');
    const b = await hashClientSecret('s3cret');
    expect(a).not.toBe(b);
    expect(await verifyClientSecret('s3cret', a)).toBe(true);
    expect(await verifyClientSecret('s3creT', a)).toBe(false);
    expect(await verifyClientSecret('s3cret', 'plain')).toBe(false);
    expect(await verifyClientSecret('s3cret', a.replace(/^sha256/, 'md5'))).toBe(false);
  });

  it('still verifies secrets hashed with scrypt by earlier versions', async () => {
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const key = scryptSync('s3cret', salt, 32, { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const legacy = `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
    expect(await verifyClientSecret('s3cret', legacy)).toBe(true);
    expect(await verifyClientSecret('s3creT', legacy)).toBe(false);
  });
});
