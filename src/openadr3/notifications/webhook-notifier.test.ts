import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeOnStores } from '../../server/api-test.fixture.js';
import { eventBody, programBody, vtnHarness, type ClientName, type VtnHarness } from '../vtn-test.fixture.js';
import { WebhookNotifier, type WebhookOptions } from './webhook-notifier.js';
import { webhookReceiver, type WebhookReceiver } from './webhook-receiver.fixture.js';

/** The receiver is plain HTTP on loopback, which the default policy refuses (callback-policy.test.ts). */
const FAST: WebhookOptions = {
  backoffMs: 20,
  timeoutMs: 2_000,
  callbacks: { allowHttp: true, allowPrivateNetworks: true },
};

describeOnStores('OpenADR webhooks', (kind) => {
  let v: VtnHarness;
  let receiver: WebhookReceiver;
  let notifier: WebhookNotifier | undefined;
  const errors: unknown[] = [];

  beforeAll(async () => {
    v = await vtnHarness(kind);
    // Grants ven1 the target g1 through a VEN object business logic makes for it.
    await create('bl', '/vens', {
      objectType: 'BL_VEN_REQUEST',
      clientID: 'client-prosumer',
      venName: 'webhook-home',
      targets: ['g1'],
    });
  });
  afterAll(async () => {
    await v.dispose();
  });
  afterEach(async () => {
    notifier?.close();
    notifier = undefined;
    await receiver.close();
  });

  async function create(who: ClientName, url: string, payload: unknown): Promise<string> {
    return (await v.json<{ id: string }>(who, { method: 'POST', url, payload }, 201)).id;
  }

  async function start(options: WebhookOptions = FAST): Promise<WebhookNotifier> {
    receiver = await webhookReceiver();
    const db = v.api.store.store.db;
    notifier = new WebhookNotifier(db, v.api.app.openadr3Changes, {
      ...options,
      onError: (e) => errors.push(e),
    });
    return notifier;
  }

  function subscription(objects: string[], operations: string[], extra: Record<string, unknown> = {}) {
    return {
      clientName: 'hooks',
      objectOperations: [{ objects, operations, callbackUrl: receiver.url, ...extra }],
    };
  }

  it('POSTs the spec notification with the bearer token for a matching object and operation', async () => {
    const n = await start();
    const subId = await create(
      'bl',
      '/subscriptions',
      subscription(['PROGRAM'], ['CREATE'], { bearerToken: 'hook-secret' }),
    );
    const programId = await create('bl', '/programs', programBody('hooked'));
    const [post] = await receiver.waitFor(1);
    expect(post?.headers.authorization).toBe('Bearer hook-secret');
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.body).toMatchObject({
      objectType: 'PROGRAM',
      operation: 'CREATE',
      object: { id: programId, programName: 'hooked' },
    });
    expect(v.contract.schemaErrors('#/components/schemas/notification', post?.body)).toEqual([]);
    // An update is not subscribed to: nothing more arrives.
    await v.json(
      'bl',
      { method: 'PUT', url: `/programs/${programId}`, payload: programBody('hooked-2') },
      200,
    );
    await n.idle();
    expect(receiver.received).toHaveLength(1);
    expect(n.stats).toMatchObject({ delivered: 1, failed: 0, dropped: 0 });
    await v.json('bl', { method: 'DELETE', url: `/subscriptions/${subId}` }, 200);
    await v.json('bl', { method: 'DELETE', url: `/programs/${programId}` }, 200);
  });

  it('tells a VEN only of the objects it may read, with the targets it was granted', async () => {
    const n = await start();
    const programId = await create('bl', '/programs', programBody('for-ven-hooks'));
    const subId = await create('ven1', '/subscriptions', subscription(['EVENT', 'REPORT'], ['CREATE']));
    const toG2 = await create('bl', '/events', eventBody(programId, { targets: ['g2'] }));
    const toG1 = await create('bl', '/events', eventBody(programId, { targets: ['g1', 'bl-only'] }));
    const open = await create('bl', '/events', eventBody(programId));
    await n.idle();
    const ids = receiver.received.map((p) => (p.body['object'] as { id: string }).id);
    expect(ids.sort()).toEqual([toG1, open].sort());
    expect(ids).not.toContain(toG2);
    const g1 = receiver.received.find((p) => (p.body['object'] as { id: string }).id === toG1);
    expect((g1?.body['object'] as { targets: string[] }).targets).toEqual(['g1']);
    await v.json('ven1', { method: 'DELETE', url: `/subscriptions/${subId}` }, 200);
    await v.json('bl', { method: 'DELETE', url: `/programs/${programId}` }, 200);
  });

  it('retries a failed POST with backoff until it is delivered', async () => {
    const n = await start();
    receiver.script.push(500, 503);
    const subId = await create('bl', '/subscriptions', subscription(['PROGRAM'], ['CREATE']));
    const programId = await create('bl', '/programs', programBody('retried'));
    await receiver.waitFor(3);
    await n.idle();
    expect(n.stats).toMatchObject({ delivered: 1, retried: 2, failed: 0 });
    await v.json('bl', { method: 'DELETE', url: `/subscriptions/${subId}` }, 200);
    await v.json('bl', { method: 'DELETE', url: `/programs/${programId}` }, 200);
  });

  it('never holds up the API, and bounds what waits for a dead receiver', async () => {
    const n = await start({ ...FAST, concurrency: 1, maxQueued: 3, attempts: 1, timeoutMs: 60_000 });
    for (let i = 0; i < 10; i++) receiver.script.push('hang');
    const subId = await create('bl', '/subscriptions', subscription(['PROGRAM'], ['CREATE']));
    const started = performance.now();
    const programs: string[] = [];
    for (let i = 0; i < 8; i++) programs.push(await create('bl', '/programs', programBody(`dead-${i}`)));
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(2_000);
    await receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(n.pending).toBeLessThanOrEqual(3);
    expect(n.stats.dropped).toBe(5);
    n.close();
    for (const id of programs) await v.json('bl', { method: 'DELETE', url: `/programs/${id}` }, 200);
    await v.json('bl', { method: 'DELETE', url: `/subscriptions/${subId}` }, 200);
  });

  it('gives up after the last attempt and reports it', async () => {
    const n = await start({ ...FAST, attempts: 2 });
    receiver.script.push(500, 500);
    const subId = await create('bl', '/subscriptions', subscription(['PROGRAM'], ['CREATE']));
    const programId = await create('bl', '/programs', programBody('given-up'));
    await receiver.waitFor(2);
    await n.idle();
    expect(n.stats).toMatchObject({ delivered: 0, failed: 1, retried: 1 });
    expect(String(errors.at(-1))).toMatch(/failed after 2 attempts: status 500/);
    await v.json('bl', { method: 'DELETE', url: `/subscriptions/${subId}` }, 200);
    await v.json('bl', { method: 'DELETE', url: `/programs/${programId}` }, 200);
  });
});
