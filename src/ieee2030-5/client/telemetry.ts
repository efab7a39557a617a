/**
 * Telemetry through the metering mirror: the client POSTs one MirrorUsagePoint (the site meter) to the
 * list DeviceCapability links, keeps the Location the server answers with, and POSTs each interval's
 * energy there as two MirrorMeterReadings: import (flowDirection 1, forward) and export (19, reverse), in
 * Wh as delta data. mRIDs are derived from the device's LFDI, so a restarted client posts the same
 * MirrorUsagePoint again and the server can answer with the one it already has.
 */
import { TeError } from '../../core/errors.js';
import {
  encodeMirrorMeterReadingList,
  encodeMirrorUsagePoint,
  type MirrorMeterReading,
  type ReadingType,
} from '../metering-mirror.js';
import type { SepClient } from './sep-client.js';

/** sep.xsd enumerations the readings use. */
const UOM_WH = 72;
const KIND_ENERGY = 12;
const ACCUMULATION_DELTA = 4;
const COMMODITY_ELECTRICITY_SECONDARY = 1;
export const FLOW_FORWARD = 1;
export const FLOW_REVERSE = 19;
/** RoleFlagsType bits 0 (isMirror) and 1 (isPremisesAggregationPoint): the site meter's mirror. */
const ROLE_SITE_MIRROR = '0003';

export interface IntervalEnergy {
  readonly startS: number;
  readonly durationS: number;
  /** Energy drawn from the grid over the interval, Wh ≥ 0. */
  readonly importWh: number;
  /** Energy sent to the grid over the interval, Wh ≥ 0. */
  readonly exportWh: number;
}

const readingType = (flowDirection: number, intervalS: number): ReadingType => ({
  accumulationBehaviour: ACCUMULATION_DELTA,
  commodity: COMMODITY_ELECTRICITY_SECONDARY,
  flowDirection,
  intervalLength: intervalS,
  kind: KIND_ENERGY,
  powerOfTenMultiplier: 0,
  uom: UOM_WH,
});

export class SepTelemetry {
  /** Where the server put the MirrorUsagePoint, once created. */
  #location: string | undefined;
  readonly #mupMRID: string;

  constructor(
    private readonly client: SepClient,
    private readonly intervalS: number,
  ) {
    // mRIDs are 128 bits: the LFDI's first 30 hex digits and a 2-digit role keep them unique per device.
    this.#mupMRID = `${client.identity.lfdi.slice(0, 30)}00`;
  }

  get location(): string | undefined {
    return this.#location;
  }

  #readingMRID(flowDirection: number): string {
    return `${this.client.identity.lfdi.slice(0, 30)}${flowDirection.toString(16).padStart(2, '0').toUpperCase()}`;
  }

  #meterReading(flowDirection: number, interval?: IntervalEnergy): MirrorMeterReading {
    const energy =
      interval === undefined
        ? undefined
        : flowDirection === FLOW_FORWARD
          ? interval.importWh
          : interval.exportWh;
    return {
      mRID: this.#readingMRID(flowDirection),
      description: flowDirection === FLOW_FORWARD ? 'site import Wh' : 'site export Wh',
      ...(interval === undefined || energy === undefined
        ? {}
        : {
            lastUpdateTime: interval.startS + interval.durationS,
            Reading: {
              timePeriod: { start: interval.startS, duration: interval.durationS },
              value: Math.round(energy),
            },
          }),
      ReadingType: readingType(flowDirection, this.intervalS),
    };
  }

  /** POSTs the MirrorUsagePoint (once per client) to the list's href; returns its Location. */
  async ensureUsagePoint(listHref: string): Promise<string> {
    if (this.#location !== undefined) return this.#location;
    const body = encodeMirrorUsagePoint({
      mRID: this.#mupMRID,
      description: 'tenet site meter',
      roleFlags: ROLE_SITE_MIRROR,
      serviceCategoryKind: 0,
      status: 1,
      deviceLFDI: this.client.identity.lfdi,
      MirrorMeterReading: [this.#meterReading(FLOW_FORWARD), this.#meterReading(FLOW_REVERSE)],
      postRate: this.intervalS,
    });
    const result = await this.client.post(listHref, body);
    if (result.location === undefined) {
      throw new TeError(
        'TE_ERR_SEP_CLIENT_RESOURCE',
        `POST ${listHref} created a MirrorUsagePoint without a Location`,
        {
          path: listHref,
          hint: 'a 2030.5 server answers a new MirrorUsagePoint with 201 and its Location',
        },
      );
    }
    this.#location = result.location;
    return result.location;
  }

  /** POSTs one interval's import and export readings to the MirrorUsagePoint, as one list. */
  async postInterval(interval: IntervalEnergy): Promise<void> {
    const location = this.#location;
    if (location === undefined) throw new TeError('TE_ERR_INTERNAL', 'postInterval before ensureUsagePoint');
    const readings = [this.#meterReading(FLOW_FORWARD, interval), this.#meterReading(FLOW_REVERSE, interval)];
    await this.client.post(
      location,
      encodeMirrorMeterReadingList({
        all: readings.length,
        results: readings.length,
        MirrorMeterReading: readings,
      }),
    );
  }
}
