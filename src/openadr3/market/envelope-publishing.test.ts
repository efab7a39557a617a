import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROLES } from '../../server/auth/roles.js';
import { scopeOf } from '../../server/access/access-matrix.js';
import { describeOnStores, MARKET_ID, SLOT_MS, SLOT_START_MS } from '../../server/api-test.fixture.js';
import { countOpenAdrObjects } from '../../store/openadr-object-repository.js';
import { vtnHarness, type VtnHarness } from '../vtn-test.fixture.js';
import { envelopeOfEvent, type EventLike } from './market-mapping.js';

const url = (slotStartMs = SLOT_START_MS, marketId = MARKET_ID) =>
  `/api/markets/${marketId}/slots/${slotStartMs}/envelopes`;

describeOnStores('operating envelopes on OpenADR', (kind) => {
  let h: VtnHarness;
  beforeEach(async () => {
    h = await vtnHarness(kind);
  });
  afterEach(() => h.dispose());

  const put = (role: Parameters<VtnHarness['api']['call']>[0], payload: unknown, at = url()) =>
    h.api.call(role, { method: 'PUT', url: at, payload: payload as Record<string, unknown> });

  it('lets grid operators and the market operator publish envelopes, and no one else', async () => {
    for (const role of ROLES) {
      const response = await put(role, { envelopes: [{ participantId: 'p1', importLimitKw: 5 }] });
      const allowed = scopeOf(role, 'envelopes:write') !== 'none';
      expect(response.statusCode, `${role}: ${response.body}`).toBe(allowed ? 200 : 403);
    }
    expect(scopeOf('dso', 'envelopes:write')).toBe('all');
  });

  it("targets each envelope to its participant's VEN only, and a resend replaces it", async () => {
    const first = await put('dso', {
      envelopes: [
        { participantId: 'p1', importLimitKw: 5, exportLimitKw: 3 },
        { participantId: 'p2', exportLimitKw: 0 },
      ],
    });
    expect(first.statusCode, first.body).toBe(200);
    const events = first.json<{ events: { participantId: string; eventId: string }[] }>().events;
    const p1Event = events.find((e) => e.participantId === 'p1')?.eventId;
    const seen = await h.json<EventLike[]>(
      'ven1',
      { method: 'GET', url: '/events?targets=participant%3Ap1' },
      200,
    );
    expect(seen.map((e) => envelopeOfEvent(e))).toEqual([
      {
        marketId: MARKET_ID,
        slotStartMs: SLOT_START_MS,
        slotEndMs: SLOT_START_MS + SLOT_MS,
        participantId: 'p1',
        importLimitKw: 5,
        exportLimitKw: 3,
      },
    ]);
    expect((await h.call('ven2', { method: 'GET', url: `/events/${p1Event}` })).statusCode).toBe(404);
    expect((await h.call('ven3', { method: 'GET', url: `/events/${p1Event}` })).statusCode).toBe(404);
    // agg1's VEN reads its member p2's envelope.
    const member = await h.json<EventLike[]>(
      'ven3',
      { method: 'GET', url: '/events?targets=participant%3Ap2' },
      200,
    );
    expect(member.map((e) => envelopeOfEvent(e)?.exportLimitKw)).toEqual([0]);

    const again = await put('dso', { envelopes: [{ participantId: 'p1', importLimitKw: 4 }] });
    expect(again.json<{ events: { eventId: string }[] }>().events[0]?.eventId).toBe(p1Event);
    const revised = await h.json<EventLike>('ven1', { method: 'GET', url: `/events/${p1Event}` }, 200);
    expect(envelopeOfEvent(revised)).toMatchObject({ importLimitKw: 4, exportLimitKw: null });
  });

  it('refuses bad input with a coded 400 or 404 and stores nothing', async () => {
    const before = await countOpenAdrObjects(h.api.store.store.db);
    const cases: [unknown, string, number][] = [
      [{ envelopes: [{ participantId: 'p1', importLimitKw: 5 }] }, url(SLOT_START_MS, 'nope'), 404],
      [{ envelopes: [{ participantId: 'p1', importLimitKw: 5 }] }, url(SLOT_START_MS + 1000), 400],
      [{ envelopes: [{ participantId: 'p1', importLimitKw: 5 }] }, url(SLOT_START_MS - 10 * SLOT_MS), 400],
      [{ envelopes: [{ participantId: 'p1' }] }, url(), 400],
      [{ envelopes: [{ participantId: 'ghost', importLimitKw: 1 }] }, url(), 400],
      [{ envelopes: [{ participantId: 'p1', importLimitKw: -1 }] }, url(), 400],
      [{ envelopes: [{ participantId: 'p1', importLimitKw: 'NaN' }] }, url(), 400],
      [{ envelopes: [] }, url(), 400],
      [
        {
          envelopes: [
            { participantId: 'p1', importLimitKw: 1 },
            { participantId: 'p1', importLimitKw: 2 },
          ],
        },
        url(),
        400,
      ],
    ];
    for (const [payload, at, status] of cases) {
      const response = await put('dso', payload, at);
      expect(response.statusCode, `${at} ${JSON.stringify(payload)}: ${response.body}`).toBe(status);
      expect(response.json<{ code: string }>().code).toMatch(/^TE_ERR_/);
    }
    expect(await countOpenAdrObjects(h.api.store.store.db)).toBe(before);
  });
});
