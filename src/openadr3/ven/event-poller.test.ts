import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnStores } from '../../server/api-test.fixture.js';
import { eventBody, programBody } from '../vtn-test.fixture.js';
import { EventPoller, type EventChange } from './event-poller.js';
import { liveVtn, type LiveVtn } from './ven-test.fixture.js';

describeOnStores('a VEN polling the VTN for events', (kind) => {
  let vtn: LiveVtn;
  beforeAll(async () => {
    vtn = await liveVtn(kind);
  });
  afterAll(async () => {
    await vtn?.dispose();
  });

  it('reports new, changed and gone events of its program, over more than one page', async () => {
    const programID = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('polled'))).id;
    const otherID = (await vtn.bl<{ id: string }>('POST', '/programs', programBody('not-polled'))).id;
    const seen: [string, EventChange][] = [];
    const gone: string[] = [];
    const poller = new EventPoller({
      client: vtn.venClient('prosumer'),
      query: { programID },
      intervalMs: 1000,
      onEvent: (event, change) => seen.push([event.eventName ?? '', change]),
      onGone: (id) => gone.push(id),
    });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(
        (await vtn.bl<{ id: string }>('POST', '/events', eventBody(programID, { eventName: `e${i}` }))).id,
      );
    await vtn.bl('POST', '/events', eventBody(otherID, { eventName: 'elsewhere' }));

    expect(await poller.pollOnce()).toEqual({ new: 60, changed: 0, gone: 0 });
    expect(seen.every(([, change]) => change === 'new')).toBe(true);
    expect(seen.map(([name]) => name)).not.toContain('elsewhere');
    expect(await poller.pollOnce()).toEqual({ new: 0, changed: 0, gone: 0 });

    seen.length = 0;
    vtn.api.clock.advance(1000); // the VTN's clock stands still otherwise: no new modificationDateTime
    await vtn.bl('PUT', `/events/${ids[3]}`, eventBody(programID, { eventName: 'e3', priority: 2 }));
    await vtn.bl('DELETE', `/events/${ids[7]}`);
    await vtn.bl('POST', '/events', eventBody(programID, { eventName: 'e60' }));
    expect(await poller.pollOnce()).toEqual({ new: 1, changed: 1, gone: 1 });
    expect(seen).toEqual(
      expect.arrayContaining([
        ['e3', 'changed'],
        ['e60', 'new'],
      ]),
    );
    expect(gone).toEqual([ids[7]]);
    expect(poller.polls).toBe(3);
  });

  it('keeps polling on its interval until stopped', async () => {
    const stop = new AbortController();
    const poller = new EventPoller({
      client: vtn.venClient('prosumer'),
      intervalMs: 10,
      onEvent: () => {},
    });
    const running = poller.run(stop.signal);
    while (poller.polls < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    await running;
    expect(poller.polls).toBeGreaterThanOrEqual(3);
  });
});
