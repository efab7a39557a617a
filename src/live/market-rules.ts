/**
 * A live market's rules: how it clears, when its gate closes, its price range and what settlement
 * charges. One TypeBox schema validates the server configuration, the API's `PUT .../rules` body and
 * the OpenAPI document, so the three cannot drift apart.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MECHANISMS } from '../market/mechanism/mechanism-registry.js';

export const MECHANISM_NAMES = MECHANISMS.map((m) => m.name);

export const SupplierOfferSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9._:-]+$',
      description: "the supplier account (e.g. the substation's wholesale supplier)",
    }),
    capacityKw: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1e7,
      description: 'what it offers each slot, kW',
    }),
    pricePerKwh: Type.Number({
      minimum: -10,
      maximum: 100,
      description: 'its offer price, currency per kWh',
    }),
    hourlyPricePerKwh: Type.Optional(
      Type.Array(Type.Number({ minimum: -10, maximum: 100 }), {
        minItems: 24,
        maxItems: 24,
        description: 'offer price by hour of day (UTC), replacing pricePerKwh when given',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MarketRulesSchema = Type.Object(
  {
    mechanism: Type.Union(
      MECHANISM_NAMES.map((name) => Type.Literal(name)),
      { description: `clearing mechanism: ${MECHANISM_NAMES.join(', ')}` },
    ),
    slotDurationMs: Type.Integer({
      minimum: 60_000,
      maximum: 86_400_000,
      multipleOf: 1000,
      description: 'market period, ms (a whole number of seconds, 1 min to 1 day)',
    }),
    gateClosureLeadMs: Type.Integer({
      minimum: 0,
      maximum: 86_400_000,
      description: 'orders for a slot close this long before it starts, ms',
    }),
    orderHorizonSlots: Type.Integer({
      minimum: 1,
      maximum: 288,
      description: 'how many slots ahead are open for orders',
    }),
    priceCapPerKwh: Type.Number({
      exclusiveMinimum: 0,
      maximum: 100,
      description: 'largest price magnitude',
    }),
    bidOffsetPerKwh: Type.Number({ minimum: 0, maximum: 1, description: "GridLAB-D's nudge between curves" }),
    currency: Type.Literal('USD', { description: 'settlement currency (ISO 4217)' }),
    supplier: Type.Optional(SupplierOfferSchema),
    gridFeePerKwh: Type.Number({
      minimum: 0,
      maximum: 10,
      description: 'distribution grid fee buyers pay on traded energy',
    }),
    distributionChargePerKwh: Type.Number({
      minimum: 0,
      maximum: 10,
      description: 'charge on metered energy',
    }),
    distributionUtility: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }),
    aggregatorMarginPerKwh: Type.Number({
      minimum: 0,
      maximum: 10,
      description: "an aggregator's margin on its members' traded energy",
    }),
    settlementDelayMs: Type.Integer({
      minimum: 0,
      maximum: 86_400_000,
      description: 'how long after a slot ends meter readings may still arrive before it is settled, ms',
    }),
  },
  { additionalProperties: false },
);

export type MarketRules = Static<typeof MarketRulesSchema>;

/** Five-minute double auction, GridLAB-D style, with a wholesale supplier at the substation. */
export const DEFAULT_MARKET_RULES: MarketRules = {
  mechanism: 'uniform-price-double-auction',
  slotDurationMs: 300_000,
  gateClosureLeadMs: 0,
  orderHorizonSlots: 2,
  priceCapPerKwh: 1,
  bidOffsetPerKwh: 0.0001,
  currency: 'USD',
  supplier: { id: 'substation', capacityKw: 5000, pricePerKwh: 0.08 },
  gridFeePerKwh: 0.02,
  distributionChargePerKwh: 0.03,
  distributionUtility: 'utility',
  aggregatorMarginPerKwh: 0.005,
  settlementDelayMs: 60_000,
};

/** The supplier's offer price for a slot starting at `slotStartMs`. */
export function supplierPriceAt(supplier: NonNullable<MarketRules['supplier']>, slotStartMs: number): number {
  const hours = supplier.hourlyPricePerKwh;
  if (hours === undefined) return supplier.pricePerKwh;
  const hour = Math.floor((((slotStartMs % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
  return hours[hour] ?? supplier.pricePerKwh;
}
