import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_PATH, readStandardsInventory } from '../../standards/load-inventory.js';
import { SEGMENT_IDS, type StandardsInventory } from '../../standards/standards-schema.js';
import { scopeOf } from '../access/access-matrix.js';
import { apiHarness, type ApiHarness } from '../api-test.fixture.js';
import { ROLES } from '../auth/roles.js';
import { cachedInventory } from './standards.js';

interface Answer {
  title: string;
  segments: { id: string; label: string; description: string }[];
  standards: { id: string; segments: string[]; status: string; modules?: string[]; tests?: string[] }[];
}

describe('standards API', () => {
  let h: ApiHarness;
  let shipped: StandardsInventory;
  beforeAll(async () => {
    const read = await readStandardsInventory();
    if (!read.ok) throw new Error(read.error.map((e) => e.toLine()).join('\n'));
    shipped = read.value;
    h = await apiHarness('sqlite');
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('serves the whole inventory to every role, as the access matrix says', async () => {
    for (const role of ROLES) {
      expect(scopeOf(role, 'standards:read'), role).toBe('all');
      const response = await h.call(role, { method: 'GET', url: '/api/standards' });
      expect(response.statusCode, role).toBe(200);
      const answer = response.json() as Answer;
      expect(answer.title).toBe(shipped.title);
      expect(answer.segments.map((s) => s.id)).toEqual([...SEGMENT_IDS]);
      expect(answer.standards.map((s) => s.id)).toEqual(shipped.standards.map((s) => s.id));
    }
  });

  it('keeps an implemented standard’s modules and tests', async () => {
    const answer = (await h.call('prosumer', { method: 'GET', url: '/api/standards' })).json() as Answer;
    const openapi = answer.standards.find((s) => s.id === 'openapi');
    expect(openapi).toMatchObject({
      status: 'implemented',
      modules: ['src/server/openapi.ts', 'tools/api-types.ts'],
    });
    expect(openapi?.tests).toContain('test/dashboard/api-types.test.ts');
  });

  it('filters by segment', async () => {
    const response = await h.call('regulator', {
      method: 'GET',
      url: '/api/standards?segment=service-provider',
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json() as Answer;
    expect(answer.segments).toEqual([
      {
        id: 'service-provider',
        label: 'Service provider',
        description: 'APIs, identity and access for the services built on the platform',
      },
    ]);
    const expected = shipped.standards
      .filter((s) => s.segments.includes('service-provider'))
      .map((s) => s.id);
    expect(answer.standards.map((s) => s.id)).toEqual(expected);
    expect(expected).toContain('oauth-2-client-credentials');
    expect(expected).not.toContain('ieee-1547-2018');
  });

  it('refuses an unknown segment or query key as a problem, and a caller without a token', async () => {
    const unknown = await h.call('utility', { method: 'GET', url: '/api/standards?segment=wholesale' });
    expect([unknown.statusCode, unknown.json().code]).toEqual([400, 'TE_ERR_VALIDATION']);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    const extra = await h.call('utility', { method: 'GET', url: '/api/standards?status=implemented' });
    expect([extra.statusCode, extra.json().code]).toEqual([400, 'TE_ERR_UNKNOWN_KEY']);
    const anonymous = await h.call(undefined, { method: 'GET', url: '/api/standards' });
    expect([anonymous.statusCode, anonymous.json().code]).toEqual([401, 'TE_ERR_UNAUTHORIZED']);
  });
});

describe('the server’s copy of the inventory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-standards-route-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read once and kept, and a broken file is an internal error until it is fixed', async () => {
    const file = join(dir, 'inventory.yaml');
    writeFileSync(file, 'title: broken\nstandards: [');
    const inventory = cachedInventory(file);
    const failure = await inventory().then(
      () => undefined,
      (error: unknown) => error as { code: string; message: string },
    );
    expect(failure?.code).toBe('TE_ERR_INTERNAL');
    expect(failure?.message).toMatch(
      /^the server's standards inventory does not load: TE_ERR_INVALID_YAML at /,
    );
    copyFileSync(INVENTORY_PATH, file);
    const first = await inventory();
    writeFileSync(file, 'title: changed later\nstandards: []');
    expect(await inventory()).toBe(first);
    expect(first.standards.length).toBeGreaterThanOrEqual(30);
  });
});
