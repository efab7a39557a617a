/**
 * The dashboard served by the API server: the app for any page path, hashed assets cached for good,
 * gzip, revalidation, its own CSP, no token needed, and the API's 404 problems left alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from './api-test.fixture.js';
import { DASHBOARD_CSP, loadDashboardAssets } from './dashboard-assets.js';

const INDEX =
  '<!doctype html><html><body><div id="app"></div><script src="/assets/index-abc.js"></script></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

let dir: string;
let h: ApiHarness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tenet-dashboard-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc.js'), SCRIPT);
  h = await apiHarness('sqlite', { dashboardDir: dir });
});
afterAll(async () => {
  await h.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard at /', () => {
  it('answers the app for the root and for any page path, without a token, under its own CSP', async () => {
    for (const url of ['/', '/market', '/fleet/home-7?x=1']) {
      const response = await h.call(undefined, { method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy'], url).toBe(DASHBOARD_CSP);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable, gzipped when asked, and 304 on a matching etag', async () => {
    const plain = await h.call(undefined, { method: 'GET', url: '/assets/index-abc.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.body).toBe(SCRIPT);
    const gzipped = await h.call(undefined, {
      method: 'GET',
      url: '/assets/index-abc.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
    expect(gzipped.rawPayload.length).toBeLessThan(SCRIPT.length / 10);
    const again = await h.call(undefined, {
      method: 'GET',
      url: '/assets/index-abc.js',
      headers: { 'if-none-match': String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers a missing asset and unknown API paths with 404 problems, not the app', async () => {
    for (const url of ['/assets/gone-123.js', '/api/nowhere', '/openadr3/nowhere', '/oauth/nowhere']) {
      const response = await h.call(undefined, { method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ code: 'TE_ERR_NOT_FOUND' });
    }
    const post = await h.call(undefined, { method: 'POST', url: '/market', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('refuses a path that tries to leave the build directory', async () => {
    const response = await h.call(undefined, { method: 'GET', url: '/assets/..%2F..%2Fpackage.json' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('"name"');
  });

  it('says how to build the dashboard when there is no build', async () => {
    expect(loadDashboardAssets(join(dir, 'missing'))).toBeUndefined();
    const bare = await apiHarness('sqlite', { dashboardDir: false });
    try {
      const response = await bare.call(undefined, { method: 'GET', url: '/' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        code: 'TE_ERR_NOT_FOUND',
        hint: expect.stringContaining('npm run build'),
      });
    } finally {
      await bare.dispose();
    }
  });
});
