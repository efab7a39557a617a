/**
 * The programs the 2030.5 bench's devices hear, shaped like what the platform serves: each device has a
 * market program of its own (its cleared dispatch for the next 12 five-minute slots, one DERControl per
 * slot setting opModTargetW and an export limit) and hears its feeder's DSO program (an operating
 * envelope: import and export limits over the next three hours, one control per hour, and a default
 * control). The controls are built once at start-up, as a platform would keep the current snapshot.
 */
import type { DERControl, DefaultDERControl } from '../src/ieee2030-5/der-control.js';
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

export class SnapshotProgramSource implements SepProgramSource {
  readonly #byDevice: (readonly SepProgram[])[];

  constructor(devices: number, nowS: number) {
    const dso = Array.from({ length: FEEDERS }, (_, feeder) => dsoProgram(feeder, nowS));
    this.#byDevice = Array.from({ length: devices }, (_, i) => [
      dso[i % FEEDERS] as SepProgram,
      marketProgram(i, nowS),
    ]);
  }

  programs(device: SepDevice): readonly SepProgram[] {
    return this.#byDevice[deviceIndexOf(device)] ?? [];
  }
}

/** The DERControlList paths a device polls, in the order it alternates them. */
export function pollPaths(base: string, deviceIndex: number): readonly string[] {
  return [
    `${base}/derp/mkt-${deviceIndex}/dc?l=20`,
    `${base}/derp/dso-feeder-${deviceIndex % FEEDERS}/dc?l=20`,
  ];
}
