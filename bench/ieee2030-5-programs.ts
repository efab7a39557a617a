/**
 * The programs the 2030.5 bench's devices hear, two sets side by side (a device's program list holds
 * both; a poll names one program, so each set is measured on its own):
 *
 * - the bench's own, shaped like the platform's: a market program per device (its cleared dispatch for
 *   the next 12 five-minute slots, one DERControl per slot setting opModTargetW and an export limit) and
 *   its feeder's DSO program (import and export limits over the next three hours, one control per hour,
 *   and a default control); ids `mkt-{i}` and `dso-feeder-{k}`;
 * - the platform's `ProgramSnapshot` (src/ieee2030-5/platform/), built from 12 cleared slots and 3
 *   operating envelopes per participant, as `PlatformSepProgramSource` serves it; ids `market` and `dso`.
 *
 * Both are built once at start-up, as the platform keeps its current snapshot.
 */
import type { DERControl, DefaultDERControl } from '../src/ieee2030-5/der-control.js';
import {
  ProgramSnapshot,
  type DispatchInput,
  type EnvelopeInput,
} from '../src/ieee2030-5/platform/program-snapshot.js';
import type { SepDevice, SepProgram, SepProgramSource } from '../src/ieee2030-5/server/registry.js';

export const MARKET_CONTROLS = 12;
export const DSO_CONTROLS = 3;
export const FEEDERS = 100;
const SLOT_S = 300;

type Control = Omit<DERControl, 'href' | 'replyTo'>;

/** 32 hex digits from a kind, an owner and an index, so mRIDs are stable and unique. */
function mridOf(kind: number, owner: number, index: number): string {
  return [kind, owner, index].map((n) => n.toString(16).toUpperCase().padStart(8, '0')).join('') + '00000000';
}

function control(
  mRID: string,
  startS: number,
  durationS: number,
  nowS: number,
  description: string,
  base: Control['DERControlBase'],
): Control {
  return {
    mRID,
    description,
    version: 0,
    responseRequired: '03',
    creationTime: nowS - 60,
    EventStatus: {
      currentStatus: startS <= nowS && nowS < startS + durationS ? 1 : 0,
      dateTime: nowS - 60,
      potentiallySuperseded: false,
    },
    interval: { start: startS, duration: durationS },
    randomizeStart: 30,
    DERControlBase: base,
  };
}

function marketProgram(deviceIndex: number, nowS: number): SepProgram {
  const firstSlotS = Math.floor(nowS / SLOT_S) * SLOT_S;
  const controls = Array.from({ length: MARKET_CONTROLS }, (_, slot) =>
    control(mridOf(1, deviceIndex, slot), firstSlotS + slot * SLOT_S, SLOT_S, nowS, `market slot ${slot}`, {
      opModTargetW: { multiplier: 0, value: ((deviceIndex * 37 + slot * 211) % 6000) - 3000 },
      opModMaxLimWInject: { multiplier: 1, value: 500 },
      rampTms: 500,
    }),
  );
  return {
    id: `mkt-${deviceIndex}`,
    mRID: mridOf(2, deviceIndex, 0),
    description: 'market dispatch',
    primacy: 10,
    controls,
  };
}

function dsoProgram(feeder: number, nowS: number): SepProgram {
  const firstHourS = Math.floor(nowS / 3600) * 3600;
  const controls = Array.from({ length: DSO_CONTROLS }, (_, hour) =>
    control(mridOf(3, feeder, hour), firstHourS + hour * 3600, 3600, nowS, `envelope hour ${hour}`, {
      opModMaxLimWInject: { multiplier: 1, value: 300 + hour * 50 },
      opModMaxLimWAbsorb: { multiplier: 1, value: 700 },
    }),
  );
  const defaultControl: Omit<DefaultDERControl, 'href' | 'replyTo'> = {
    mRID: mridOf(4, feeder, 0),
    description: 'feeder default',
    DERControlBase: { opModMaxLimWInject: { multiplier: 1, value: 500 } },
    setGradW: 1000,
  };
  return {
    id: `dso-feeder-${feeder}`,
    mRID: mridOf(5, feeder, 0),
    description: `DSO envelope feeder ${feeder}`,
    primacy: 1,
    controls,
    defaultControl,
  };
}

/** Device ids are `dev-{index}`; the device's feeder is its index modulo FEEDERS. */
export function deviceIndexOf(device: SepDevice): number {
  return Number(device.id.slice('dev-'.length));
}

/** Participant ids are `home-{index}`, one device each. */
export const participantOf = (deviceIndex: number): string => `home-${deviceIndex}`;

/** The platform's snapshot for `devices` participants: 12 cleared five-minute slots and 3 envelopes each. */
function platformSnapshot(devices: number, nowMs: number): ProgramSnapshot {
  const firstSlotMs = Math.floor(nowMs / (SLOT_S * 1000)) * SLOT_S * 1000;
  const slot = (k: number) => ({
    marketId: 'bench-market',
    slotStartMs: firstSlotMs + k * SLOT_S * 1000,
    slotEndMs: firstSlotMs + (k + 1) * SLOT_S * 1000,
  });
  const dispatches: DispatchInput[] = [];
  const envelopes: EnvelopeInput[] = [];
  for (let i = 0; i < devices; i++) {
    const participantId = participantOf(i);
    for (let k = 0; k < MARKET_CONTROLS; k++) {
      const netImportKw = (((i * 37 + k * 211) % 6000) - 3000) / 1000;
      dispatches.push({ ...slot(k), participantId, netImportKw, clearedAtMs: nowMs - 60_000 });
    }
    for (let k = 0; k < DSO_CONTROLS; k++) {
      envelopes.push({
        ...slot(k),
        participantId,
        importLimitKw: 7,
        exportLimitKw: 3 + k,
        createdMs: nowMs - 60_000,
      });
    }
  }
  return new ProgramSnapshot({ nowMs, dispatches, envelopes, defaultControl: { exportLimitKw: 5 } });
}

export class BenchProgramSource implements SepProgramSource {
  readonly #byDevice: (readonly SepProgram[])[];
  readonly #platform: ProgramSnapshot;
  /** How long the platform's snapshot took to build, ms. */
  readonly platformBuildMs: number;

  constructor(devices: number, nowMs: number) {
    const nowS = Math.floor(nowMs / 1000);
    const dso = Array.from({ length: FEEDERS }, (_, feeder) => dsoProgram(feeder, nowS));
    this.#byDevice = Array.from({ length: devices }, (_, i) => [
      dso[i % FEEDERS] as SepProgram,
      marketProgram(i, nowS),
    ]);
    const started = performance.now();
    this.#platform = platformSnapshot(devices, nowMs);
    this.platformBuildMs = performance.now() - started;
  }

  programs(device: SepDevice): readonly SepProgram[] {
    const own = this.#byDevice[deviceIndexOf(device)] ?? [];
    const platform =
      device.participantId === undefined ? [] : this.#platform.programsOf(device.participantId);
    return [...platform, ...own];
  }
}

export type ProgramSet = 'bench' | 'platform';

/** The DERControlList paths a device polls (market, then DSO), for one program set. */
export function pollPaths(base: string, deviceIndex: number, set: ProgramSet): readonly string[] {
  return set === 'platform'
    ? [`${base}/derp/market/dc?l=20`, `${base}/derp/dso/dc?l=20`]
    : [`${base}/derp/mkt-${deviceIndex}/dc?l=20`, `${base}/derp/dso-feeder-${deviceIndex % FEEDERS}/dc?l=20`];
}
