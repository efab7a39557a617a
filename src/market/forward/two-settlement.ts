/**
 * Two-settlement accounting for one real-time slot inside a forward interval. The forward position was
 * bought or sold day-ahead at the forward price and is paid then; in real time only the deviation settles:
 *
 *   slot settlement = forward energy × forward price            (the slot's share, already paid day-ahead)
 *                   + (real-time energy − forward energy) × real-time price
 *
 * where forward energy = position kW × slot hours and real-time energy is metered (or traded in real
 * time), load reference: consumed positive, exported negative. Each part is rounded once per party to
 * integer minor units, half to even (core/money.ts). Positive amounts are paid by the party.
 *
 * What buyers pay equals what sellers receive plus the operator's residual, by construction; the
 * residual is explained by its parts: the forward spread (0 for a uniform-price forward market), the
 * net deviation of the parties priced at the real-time price (energy the operator buys or sells upstream),
 * and the rounding of each party's amounts.
 */
import { TeError } from '../../core/errors.js';
import { toMinorUnits, USD, type Currency, type MinorUnits } from '../../core/money.js';
import { err, ok, type Result } from '../../core/result.js';
import { slotDurationHours, type TimeSlot } from '../../core/time.js';
import { covers, directionFor } from './position.js';
import { MARKET_PARTY, type Transaction } from './tender.js';

export interface RealTimeSlot {
  readonly slot: TimeSlot;
  readonly pricePerKwh: number;
  /** Energy each party consumed (+) or exported (−) in the slot, metered or traded in real time. */
  readonly realTimeKwhByParty: ReadonlyMap<string, number>;
}

export interface SettlementLine {
  readonly party: string;
  readonly forwardPositionKw: number;
  /** The slot's share of the position: position kW × slot hours. */
  readonly forwardEnergyKwh: number;
  /** Slot share of the day-ahead payment (+ paid, − received), informational: it was settled then. */
  readonly forwardMinor: MinorUnits;
  readonly realTimeKwh: number;
  readonly deviationKwh: number;
  /** Deviation × real-time price: + the party pays, − the party is paid. */
  readonly realTimeMinor: MinorUnits;
  readonly totalMinor: MinorUnits;
}

export interface TwoSettlement {
  readonly slot: TimeSlot;
  readonly realTimePricePerKwh: number;
  readonly currency: Currency;
  /** One line per party, by name; the market counterparty has none: its take is the residual. */
  readonly lines: readonly SettlementLine[];
  /** Σ of the positive totals. */
  readonly buyersPayMinor: MinorUnits;
  /** Σ of the negative totals, as a positive amount. */
  readonly sellersReceiveMinor: MinorUnits;
  /** buyersPay − sellersReceive: what the market operator keeps (+) or must cover (−). */
  readonly operatorResidualMinor: MinorUnits;
  readonly forwardResidualMinor: MinorUnits;
  readonly realTimeResidualMinor: MinorUnits;
  /** Σ of the parties' deviations: energy the operator bought (+) or sold (−) upstream in real time. */
  readonly netDeviationKwh: number;
}

export function settleTwoSettlement(
  transactions: readonly Transaction[],
  realTime: RealTimeSlot,
  currency: Currency = USD,
): Result<TwoSettlement, TeError> {
  const invalid = validateRealTime(transactions, realTime);
  if (invalid !== undefined) return err(invalid);
  const { slot, pricePerKwh: realTimePrice } = realTime;
  const hours = slotDurationHours(slot);
  const inSlot = transactions.filter((t) => covers(t, slot));
  const parties = new Set<string>(realTime.realTimeKwhByParty.keys());
  for (const t of inSlot) parties.add(t.buyer).add(t.seller);
  parties.delete(MARKET_PARTY);
  const lines: SettlementLine[] = [...parties].sort().map((party) => {
    let forwardPositionKw = 0;
    let forwardValue = 0;
    for (const t of inSlot) {
      const direction = directionFor(t, party);
      forwardPositionKw += direction * t.powerKw;
      forwardValue += direction * t.powerKw * hours * t.pricePerKwh;
    }
    const forwardEnergyKwh = forwardPositionKw * hours;
    const realTimeKwh = realTime.realTimeKwhByParty.get(party) ?? 0;
    const deviationKwh = realTimeKwh - forwardEnergyKwh;
    const forwardMinor = toMinorUnits(forwardValue, currency);
    const realTimeMinor = toMinorUnits(deviationKwh * realTimePrice, currency);
    return {
      party,
      forwardPositionKw,
      forwardEnergyKwh,
      forwardMinor,
      realTimeKwh,
      deviationKwh,
      realTimeMinor,
      totalMinor: forwardMinor + realTimeMinor,
    };
  });
  const sum = (pick: (line: SettlementLine) => number) => lines.reduce((total, l) => total + pick(l), 0);
  const buyersPayMinor = sum((l) => Math.max(0, l.totalMinor));
  const sellersReceiveMinor = sum((l) => Math.max(0, -l.totalMinor));
  return ok({
    slot,
    realTimePricePerKwh: realTimePrice,
    currency,
    lines,
    buyersPayMinor,
    sellersReceiveMinor,
    operatorResidualMinor: buyersPayMinor - sellersReceiveMinor,
    forwardResidualMinor: sum((l) => l.forwardMinor),
    realTimeResidualMinor: sum((l) => l.realTimeMinor),
    netDeviationKwh: sum((l) => l.deviationKwh),
  });
}

function validateRealTime(transactions: readonly Transaction[], realTime: RealTimeSlot): TeError | undefined {
  const { slot } = realTime;
  if (!(slot.endMs > slot.startMs)) {
    return new TeError('TE_ERR_VALIDATION', `the slot [${slot.startMs}, ${slot.endMs}) is empty`, {
      path: 'realTime.slot',
    });
  }
  if (!Number.isFinite(realTime.pricePerKwh)) {
    return new TeError('TE_ERR_NOT_FINITE', `the real-time price is ${String(realTime.pricePerKwh)}`, {
      path: 'realTime.pricePerKwh',
      hint: 'give the real-time price of the slot per kWh',
    });
  }
  for (const [party, kwh] of realTime.realTimeKwhByParty) {
    if (!Number.isFinite(kwh)) {
      return new TeError('TE_ERR_NOT_FINITE', `the real-time energy of ${party} is ${String(kwh)}`, {
        path: `realTime.realTimeKwhByParty.${party}`,
        hint: 'give the metered kWh of the slot (consumed positive, exported negative)',
      });
    }
  }
  // A slot settles against one forward interval: one that straddles an interval boundary cannot.
  const straddled = transactions.find(
    (t) => t.interval.startMs < slot.endMs && slot.startMs < t.interval.endMs && !covers(t, slot),
  );
  if (straddled !== undefined) {
    return new TeError(
      'TE_ERR_SLOT_MISALIGNED',
      `the slot [${slot.startMs}, ${slot.endMs}) crosses the interval of transaction ${straddled.transactionId}`,
      { path: 'realTime.slot', hint: 'settle real-time slots that lie inside one forward interval' },
    );
  }
  return undefined;
}
