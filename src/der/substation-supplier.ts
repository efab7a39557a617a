/**
 * The wholesale side of the retail market, as in TESP's substation auction: a supplier at the feeder head
 * that offers up to the feeder's capacity limit at the wholesale price of the slot. The price follows an
 * hourly profile (local standard time), in currency per kWh.
 */
import type { TeError } from '../core/errors.js';
import type { TimeSlot } from '../core/time.js';
import { localHourOfDay, ParameterChecker } from './parameter-checks.js';
import type { DerBid } from './types.js';

export interface SubstationSupplierParams {
  readonly feederCapacityKw: number;
  /** Wholesale price for each local hour 0..23, currency per kWh. */
  readonly wholesalePricePerKwhByHour: readonly number[];
  readonly utcOffsetHours: number;
}

/**
 * A summer day-ahead price shape of a southwestern US market, in $/kWh: cheap overnight, a solar-hours
 * trough, the evening ramp peak at 17–20 h.
 */
export const DEFAULT_WHOLESALE_PRICE_PER_KWH_BY_HOUR: readonly number[] = [
  0.03, 0.028, 0.027, 0.026, 0.027, 0.03, 0.034, 0.036, 0.033, 0.03, 0.028, 0.027, 0.028, 0.031, 0.036, 0.045,
  0.06, 0.085, 0.1, 0.09, 0.065, 0.048, 0.04, 0.034,
];

export const DEFAULT_SUBSTATION_SUPPLIER_PARAMS: SubstationSupplierParams = {
  feederCapacityKw: 20000,
  wholesalePricePerKwhByHour: DEFAULT_WHOLESALE_PRICE_PER_KWH_BY_HOUR,
  utcOffsetHours: 0,
};

export function validateSubstationSupplierParams(p: SubstationSupplierParams): readonly TeError[] {
  const c = new ParameterChecker('substation-supplier');
  c.range('feederCapacityKw', p.feederCapacityKw, 0, 1e7, 'kW').range(
    'utcOffsetHours',
    p.utcOffsetHours,
    -14,
    14,
    'h',
  );
  c.require(
    'wholesalePricePerKwhByHour',
    p.wholesalePricePerKwhByHour.length === 24,
    `has ${p.wholesalePricePerKwhByHour.length} entries, needs 24 (one per hour)`,
    'give one price per local hour 0..23',
  );
  p.wholesalePricePerKwhByHour.forEach((price, hour) =>
    c.range(`wholesalePricePerKwhByHour[${hour}]`, price, -10, 100, 'per kWh'),
  );
  return c.errors;
}

export interface SubstationSupplier {
  readonly params: SubstationSupplierParams;
  /** Wholesale price of the hour containing the slot's start. */
  priceForSlot(slot: TimeSlot): number;
  /** The sell offer for the slot: the feeder capacity at the wholesale price. */
  offerForSlot(slot: TimeSlot): DerBid;
}

export function createSubstationSupplier(params: SubstationSupplierParams): SubstationSupplier {
  const first = validateSubstationSupplierParams(params)[0];
  if (first !== undefined) throw first;
  const priceForSlot = (slot: TimeSlot): number =>
    params.wholesalePricePerKwhByHour[Math.floor(localHourOfDay(slot.startMs, params.utcOffsetHours))] ??
    Number.NaN;
  return {
    params,
    priceForSlot,
    offerForSlot: (slot) => ({
      side: 'sell',
      pricePerKwh: priceForSlot(slot),
      powerKw: params.feederCapacityKw,
    }),
  };
}
