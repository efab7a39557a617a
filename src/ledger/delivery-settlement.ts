/**
 * Metered delivery: each premises' deviation from its trades (metered − net traded energy, integer Wh)
 * settles with `market:imbalance` at the imbalance price, and its metered energy pays the distribution
 * charge to its utility. Export (negative energy) is credited at the same prices, as in slot-settlement.ts.
 */
import { TeError } from '../core/errors.js';
import { toMicroUnits } from '../core/money.js';
import { err, ok, type Result } from '../core/result.js';
import { accounts, type EntryDraft } from './journal-entry.js';
import { kwhToWh, roundPostings } from './posting-rounding.js';
import { settleTrades } from './slot-market-settlement.js';
import type { PremisesMeter, SlotOutcome } from './settlement-input.js';

function meterError(meter: PremisesMeter, index: number): TeError | undefined {
  const values = [meter.meteredKwh, meter.imbalancePricePerKwh, meter.distributionChargePerKwh];
  if (values.every(Number.isFinite)) return undefined;
  return new TeError(
    'TE_ERR_NOT_FINITE',
    `the meter reading or a price of ${meter.participantId} is not finite`,
    {
      path: `meters[${index}]`,
      hint: 'give metered kWh and prices per kWh as finite numbers',
    },
  );
}

function entry(
  outcome: SlotOutcome,
  kind: 'imbalance' | 'distribution',
  participantId: string,
  from: string,
  to: string,
  amountMicro: number,
  metadata: EntryDraft['metadata'],
): EntryDraft | undefined {
  // Nothing owed either way (a zero charge or price): no entry, rather than one of zeros every slot.
  if (amountMicro === 0) return undefined;
  const postings = roundPostings(
    [
      { account: from, amountMicro: -amountMicro },
      { account: to, amountMicro },
    ],
    outcome.currency,
  );
  return {
    id: `${outcome.marketId}/${outcome.slot.startMs}/${kind}/${participantId}`,
    slot: outcome.slot,
    timeMs: outcome.timeMs,
    kind,
    postings,
    metadata,
  };
}

/** Imbalance entries; `netTradedWh` is what settleTrades reports per participant (absent: 0). */
export function settleImbalance(
  outcome: SlotOutcome,
  netTradedWh: ReadonlyMap<string, number>,
): Result<EntryDraft[], TeError> {
  const drafts: EntryDraft[] = [];
  for (const [index, meter] of (outcome.meters ?? []).entries()) {
    const invalid = meterError(meter, index);
    if (invalid !== undefined) return err(invalid);
    const meteredWh = kwhToWh(meter.meteredKwh);
    const tradedWh = netTradedWh.get(meter.participantId) ?? 0;
    const deviationWh = meteredWh - tradedWh;
    if (deviationWh === 0) continue;
    // The market's imbalance account is the counterparty: it sells what the premises took beyond its
    // trades (or buys what it delivered beyond them), so the entry both buys and sells |deviation|.
    const made = entry(
      outcome,
      'imbalance',
      meter.participantId,
      accounts.participantEnergy(meter.participantId),
      accounts.marketImbalance,
      toMicroUnits((deviationWh / 1000) * meter.imbalancePricePerKwh),
      {
        participantId: meter.participantId,
        meteredWh,
        tradedWh,
        deviationWh,
        imbalancePricePerKwh: String(meter.imbalancePricePerKwh),
        boughtWh: Math.abs(deviationWh),
        soldWh: Math.abs(deviationWh),
      },
    );
    if (made !== undefined) drafts.push(made);
  }
  return ok(drafts);
}

export function settleDistribution(outcome: SlotOutcome): Result<EntryDraft[], TeError> {
  const drafts: EntryDraft[] = [];
  for (const [index, meter] of (outcome.meters ?? []).entries()) {
    const invalid = meterError(meter, index);
    if (invalid !== undefined) return err(invalid);
    const meteredWh = kwhToWh(meter.meteredKwh);
    const made = entry(
      outcome,
      'distribution',
      meter.participantId,
      accounts.participantDistribution(meter.participantId),
      accounts.distribution(meter.distributionUtility),
      toMicroUnits((meteredWh / 1000) * meter.distributionChargePerKwh),
      {
        participantId: meter.participantId,
        meteredWh,
        distributionChargePerKwh: String(meter.distributionChargePerKwh),
      },
    );
    if (made !== undefined) drafts.push(made);
  }
  return ok(drafts);
}

/** All of a slot's entries in booking order: trades, spread, imbalance, distribution. */
export function settleSlot(outcome: SlotOutcome): Result<EntryDraft[], TeError> {
  const trades = settleTrades(outcome);
  if (!trades.ok) return trades;
  const imbalance = settleImbalance(outcome, trades.value.netTradedWhByParticipant);
  if (!imbalance.ok) return imbalance;
  const distribution = settleDistribution(outcome);
  if (!distribution.ok) return distribution;
  return ok([...trades.value.drafts, ...imbalance.value, ...distribution.value]);
}
