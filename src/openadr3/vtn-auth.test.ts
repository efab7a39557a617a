/**
 * Token discovery and issue, the notifier list, and the scope table (the code's and the documentation's
 * agree). Each request and response is checked against the published 3.1.1 document.
 */
import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnStores } from '../server/api-test.fixture.js';
import { ROLES } from '../server/auth/roles.js';
import { setApiClientDisabled } from '../store/api-client-repository.js';
import { OPENADR_SCOPES, OPENADR_SCOPES_BY_ROLE } from './scopes.js';
import { vtnHarness, type VtnHarness } from './vtn-test.fixture.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const VEN_SCOPES = 'read_targets read_ven_objects write_reports write_subscriptions write_vens';
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${encodeURIComponent(secret)}`).toString('base64')}`;

describeOnStores('OpenADR tokens and notifiers', (kind) => {
  let v: VtnHarness;
  let secret: string;
  beforeAll(async () => {
    v = await vtnHarness(kind);
    secret = v.api.secrets.prosumer;
  });
  afterAll(async () => {
    await v.dispose();
  });
  const token = (payload: string, headers: Record<string, string> = FORM, invalid = false) =>
    v.call(undefined, { method: 'POST', url: '/auth/token', payload, headers, invalid });

  it('tells where the token endpoint is, and it issues tokens there', async () => {
    const info = await v.json<{ tokenURL: string }>(undefined, { method: 'GET', url: '/auth/server' }, 200);
    expect(info.tokenURL).toBe('http://localhost:80/openadr3/auth/token');
    const form = `grant_type=client_credentials&client_id=client-prosumer&client_secret=${encodeURIComponent(secret)}`;
    const issued = await token(form);
    expect(issued.statusCode).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(issued.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: VEN_SCOPES });
    expect(decodeJwt(issued.json().access_token)).toMatchObject({ sub: 'client-prosumer', role: 'prosumer' });
  });

  it('takes credentials by HTTP Basic or in a JSON body, ignores unknown parameters, and grants the role its scopes', async () => {
    const byBasic = await token(
      'grant_type=client_credentials&scope=read_all&colour=blue',
      {
        ...FORM,
        authorization: basic('client-market-operator', v.api.secrets['market-operator']),
      },
      // The document wants the credentials in the body; RFC 6749 2.3.1 also allows HTTP Basic.
      true,
    );
    expect(byBasic.json().scope).toBe(
      'read_all read_bl write_programs write_events write_subscriptions write_vens',
    );
    // JSON is taken too, though the document declares only the form.
    const json = await v.call(undefined, {
      method: 'POST',
      url: '/auth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: 'client-regulator',
        client_secret: v.api.secrets.regulator,
      },
      invalid: true,
    });
    expect([json.statusCode, json.json().scope]).toEqual([200, '']);
    // The same token works on the rest of the API, and the API's tokens on the VTN.
    const onApi = await v.api.app.inject({
      method: 'GET',
      url: '/api/markets',
      headers: { authorization: `Bearer ${byBasic.json().access_token}` },
    });
    expect(onApi.statusCode).toBe(200);
    await v.json(
      'ven1',
      { method: 'GET', url: '/programs', headers: { authorization: `Bearer ${v.api.tokens.prosumer}` } },
      200,
    );
  });

  it('answers OAuth errors as problems with the error member', async () => {
    const grant = await token('grant_type=password&client_id=client-prosumer&client_secret=x', FORM, true);
    expect([grant.statusCode, grant.json().error, grant.json().code]).toEqual([
      400,
      'unsupported_grant_type',
      'TE_ERR_UNSUPPORTED_GRANT',
    ]);
    const wrong = await token('grant_type=client_credentials&client_id=client-prosumer&client_secret=guess');
    expect([wrong.statusCode, wrong.json().error]).toEqual([401, 'invalid_client']);
    expect(wrong.body).not.toContain('guess');
    const both = await token(
      `grant_type=client_credentials&client_id=client-prosumer&client_secret=${secret}`,
      {
        ...FORM,
        authorization: basic('client-prosumer', secret),
      },
    );
    expect([both.statusCode, both.json().error]).toEqual([400, 'invalid_request']);
    const repeated = await token('grant_type=client_credentials&client_id=a&client_id=b&client_secret=x');
    expect([repeated.statusCode, repeated.json().error, repeated.json().path]).toEqual([
      400,
      'invalid_request',
      'client_id',
    ]);
    const none = await token('grant_type=client_credentials&client_id=&client_secret=', FORM, true);
    expect([none.statusCode, none.json().error]).toEqual([401, 'invalid_client']);
    const badBasic = await token(
      'grant_type=client_credentials',
      { ...FORM, authorization: 'Basic !!!' },
      true,
    );
    expect([badBasic.statusCode, badBasic.headers['www-authenticate']]).toEqual([401, 'Basic realm="tenet"']);
    await setApiClientDisabled(v.api.store.store.db, 'ven-two', true);
    const disabled = await token(
      'grant_type=client_credentials&client_id=ven-two&client_secret=ven-two-secret',
    );
    expect(disabled.statusCode).toBe(401);
  });

  it('refuses expired tokens with a hint to the VTN token endpoint', async () => {
    v.api.clock.advance(3600_000);
    const expired = await v.json<{ hint: string }>('ven1', { method: 'GET', url: '/programs' }, 401);
    expect(expired.hint).toContain('/openadr3/auth/token');
  });
});

describeOnStores('OpenADR notifiers', (kind) => {
  let v: VtnHarness;
  beforeAll(async () => {
    v = await vtnHarness(kind);
  });
  afterAll(async () => {
    await v.dispose();
  });

  it('lists webhooks to VENs and business logic, and the MQTT topics as not found yet', async () => {
    for (const who of ['ven1', 'bl', 'dso'] as const) {
      expect(await v.json(who, { method: 'GET', url: '/notifiers' }, 200)).toEqual({ WEBHOOK: true });
    }
    await v.json('regulator', { method: 'GET', url: '/notifiers' }, 403);
    const topics = await v.json<{ code: string }>(
      'bl',
      { method: 'GET', url: '/notifiers/mqtt/topics/programs' },
      404,
    );
    expect(topics.code).toBe('TE_ERR_NOT_FOUND');
  });
});

describe('OpenADR scopes by role', () => {
  it('are documented in docs/protocols/openadr3.md, row for row', () => {
    const doc = readFileSync(new URL('../../docs/protocols/openadr3.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \|$/gm)].map((m) => [
        m[1],
        m[2]!.trim() === 'none' ? [] : [...m[2]!.matchAll(/`([a-z_]+)`/g)].map((s) => s[1]),
      ]),
    );
    for (const role of ROLES) expect(rows.get(role), role).toEqual([...OPENADR_SCOPES_BY_ROLE[role]]);
    expect(rows.size).toBe(ROLES.length);
  });

  it('grant only scopes the document defines, and reports only to VENs', () => {
    const defined = new Set<string>(OPENADR_SCOPES);
    for (const role of ROLES)
      for (const scope of OPENADR_SCOPES_BY_ROLE[role]) expect(defined.has(scope)).toBe(true);
    for (const role of ROLES) {
      const scopes = OPENADR_SCOPES_BY_ROLE[role];
      if (scopes.includes('write_reports')) expect(scopes.includes('read_all'), role).toBe(false);
      if (scopes.includes('write_programs')) expect(scopes.includes('read_all'), role).toBe(true);
    }
  });
});
