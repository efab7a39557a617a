import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiHarness, describeOnStores, type ApiHarness } from './api-test.fixture.js';

describeOnStores('NUL characters', (kind) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(kind);
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('refuses U+0000 in a query, a path or a body with a 400 problem that says where', async () => {
    const cases = [
      { method: 'GET' as const, url: '/openadr3/subscriptions?targets=%00', where: 'query.targets' },
      { method: 'GET' as const, url: '/api/participants/a%00b', where: 'params.participantId' },
      {
        method: 'POST' as const,
        url: '/api/participants',
        payload: { id: 'home-nul', role: 'prosumer', name: 'a\u0000b' },
        where: 'body.name',
      },
    ];
    for (const { where, ...request } of cases) {
      const response = await h.call('market-operator', request);
      expect(response.statusCode, request.url).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'TE_ERR_VALIDATION', path: where });
    }
    const stored = await h.call('market-operator', { method: 'GET', url: '/api/participants/home-nul' });
    expect(stored.statusCode).toBe(404);
  });
});
