import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTeError } from '../../core/errors.js';
import type { SepProgram } from '../server/registry.js';
import { hasOpenssl, makeTestPki, type TestPki } from '../server/test-pki.fixture.js';
import { walkSepTree } from './discovery.js';
import { controlAt, DEVICE_PIN, startLoopbackSep, type LoopbackSep } from './sep-client-test.fixture.js';

const NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_S = NOW_MS / 1000;

const program = (n: number, controls: number, primacy = n): SepProgram => ({
  id: `p${n}`,
  mRID: `00000000000000000000000000000D0${n}`,
  primacy,
  controls: Array.from({ length: controls }, (_, i) =>
    controlAt(NOW_S - 60 - i, 3600, { opModMaxLimW: 100 * (i + 1) }),
  ),
  defaultControl: {
    mRID: `0000000000000000000000000000DD0${n}`,
    DERControlBase: { opModMaxLimWInject: { value: 5000, multiplier: 0 } },
  },
});

describe.skipIf(!hasOpenssl())('walkSepTree against the server core', () => {
  let pki: TestPki;
  let sep: LoopbackSep;

  beforeAll(async () => {
    pki = makeTestPki();
    sep = await startLoopbackSep(pki, () => NOW_MS, 5);
  });
  afterAll(async () => sep?.server.close());

  it('walks dcap → tm → edev → rg → fsa → derp → controls and defaults, every list page by page', async () => {
    sep.programs.current = [program(1, 7), program(2, 0), program(3, 3)];
    const client = sep.client();
    try {
      const tree = await walkSepTree(client, { pin: DEVICE_PIN, nowMs: () => NOW_MS, pageSize: 2 });
      expect(tree.endDevice.lFDI).toBe(sep.device.lfdi);
      expect(tree.registration.pIN).toBe(DEVICE_PIN);
      expect(Math.abs(tree.clockOffsetMs)).toBeLessThan(1000);
      expect(tree.programs.map((p) => [p.program.mRID.slice(-3), p.controls.length])).toEqual([
        ['D01', 7],
        ['D02', 0],
        ['D03', 3],
      ]);
      expect(new Set(tree.programs[0]?.controls.map((c) => c.mRID)).size).toBe(7);
      expect(tree.programs.every((p) => p.defaultControl !== undefined)).toBe(true);
      // Pages of two: six devices take three pages, seven controls four.
      expect(client.requests).toBeGreaterThan(15);
    } finally {
      client.close();
    }
  });

  it('stops with TE_ERR_SEP_CLIENT_REGISTRATION when the server holds another PIN', async () => {
    sep.programs.current = [program(1, 2)];
    const client = sep.client();
    try {
      const error = await walkSepTree(client, { pin: 222220, nowMs: () => NOW_MS }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTeError(error) && error.code).toBe('TE_ERR_SEP_CLIENT_REGISTRATION');
      expect(String((error as Error).message)).toContain('111115');
      // dcap, tm, edev, rg: nothing of the programs was read.
      expect(client.requests).toBe(4);
    } finally {
      client.close();
    }
  });

  it('refuses a list longer than maxListItems instead of paging forever', async () => {
    sep.programs.current = [program(1, 12)];
    const client = sep.client();
    try {
      const error = await walkSepTree(client, {
        pin: DEVICE_PIN,
        nowMs: () => NOW_MS,
        pageSize: 5,
        maxListItems: 10,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTeError(error) && error.toLine()).toMatch(/^TE_ERR_SEP_CLIENT_RESOURCE/);
    } finally {
      client.close();
    }
  });
});
