import { describe, expect, it } from 'vitest';
import { SerialWork } from './serial-work.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('SerialWork', () => {
  it('runs jobs one at a time in queue order', async () => {
    const log: string[] = [];
    const work = new SerialWork(() => undefined);
    let running = 0;
    for (const name of ['a', 'b', 'c']) {
      work.enqueue(async () => {
        running += 1;
        expect(running).toBe(1);
        await tick();
        log.push(name);
        running -= 1;
      });
    }
    await work.idle();
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('reports a failed job and goes on with the next', async () => {
    const errors: unknown[] = [];
    const work = new SerialWork((error) => errors.push(error));
    let ran = false;
    work.enqueue(() => Promise.reject(new Error('boom')));
    work.enqueue(async () => {
      ran = true;
    });
    await work.idle();
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('idle waits for jobs queued by jobs', async () => {
    const work = new SerialWork(() => undefined);
    let inner = false;
    work.enqueue(async () => {
      await tick();
      work.enqueue(async () => {
        await tick();
        inner = true;
      });
    });
    await work.idle();
    expect(inner).toBe(true);
  });
});
