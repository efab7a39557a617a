/**
 * The market view's slot arithmetic: the chart's time range, its series from the slots and their
 * results, the previous and next slot for the keyboard, the slot in the URL, and the supplier's price
 * for a slot (the market's rules, as the server computes it in live/market-rules.ts).
 */
export type RangeKey = '6h' | '24h' | 'all';

export const RANGES: readonly { key: RangeKey; label: string; spanMs: number | undefined }[] = [
  { key: '6h', label: 'Last 6 h', spanMs: 6 * 3_600_000 },
  { key: '24h', label: 'Last 24 h', spanMs: 24 * 3_600_000 },
  { key: 'all', label: 'All', spanMs: undefined },
];

export interface SlotLike {
  readonly startMs: number;
  readonly endMs: number;
  readonly status: string;
}

export interface SlotOutcome {
  readonly pricePerKwh: number;
  readonly tradedEnergyWh: number;
  readonly mechanism: string;
}

/** The first slot start the range shows, or undefined for everything. */
export function rangeStartMs(range: RangeKey, nowMs: number): number | undefined {
  const span = RANGES.find((r) => r.key === range)?.spanMs;
  return span === undefined ? undefined : nowMs - span;
}

/** Clearing price (null while not cleared) and traded kWh per slot, in time order. */
export function slotSeries(
  slots: readonly SlotLike[],
  outcomes: ReadonlyMap<number, SlotOutcome>,
): { timesMs: number[]; pricePerKwh: (number | null)[]; tradedKwh: (number | null)[] } {
  const ordered = [...slots].sort((a, b) => a.startMs - b.startMs);
  return {
    timesMs: ordered.map((s) => s.startMs),
    pricePerKwh: ordered.map((s) => outcomes.get(s.startMs)?.pricePerKwh ?? null),
    tradedKwh: ordered.map((s) => {
      const outcome = outcomes.get(s.startMs);
      return outcome === undefined ? null : outcome.tradedEnergyWh / 1000;
    }),
  };
}

/** The slot `step` places after (1) or before (-1) the selected one among `slots`, if any. */
export function neighbourSlot(
  slots: readonly SlotLike[],
  selectedMs: number | undefined,
  step: 1 | -1,
): SlotLike | undefined {
  const ordered = [...slots].sort((a, b) => a.startMs - b.startMs);
  if (selectedMs === undefined) return step === -1 ? ordered.at(-1) : ordered[0];
  const index = ordered.findIndex((s) => s.startMs === selectedMs);
  if (index === -1) return nearestSlot(ordered, selectedMs);
  return ordered[index + step];
}

/** The slot whose span holds `timeMs`, else the one starting nearest it. */
export function nearestSlot(slots: readonly SlotLike[], timeMs: number): SlotLike | undefined {
  let best: SlotLike | undefined;
  let bestDistance = Infinity;
  for (const slot of slots) {
    if (timeMs >= slot.startMs && timeMs < slot.endMs) return slot;
    const distance = Math.abs(slot.startMs - timeMs);
    if (distance < bestDistance) {
      best = slot;
      bestDistance = distance;
    }
  }
  return best;
}

/** `?slot=<ms>` as a slot start, or undefined when absent or not an epoch-ms integer. */
export function slotFromQuery(query: URLSearchParams): number | undefined {
  const raw = query.get('slot');
  if (raw === null || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** The newest cleared slot: the market's latest decision (slots clear in time order, at their gates). */
export function lastClearedSlot<T extends SlotLike>(slots: readonly T[]): T | undefined {
  let newest: T | undefined;
  for (const slot of slots)
    if (slot.status === 'cleared' && (newest === undefined || slot.startMs > newest.startMs)) newest = slot;
  return newest;
}

export interface SupplierRules {
  readonly pricePerKwh: number;
  readonly hourlyPricePerKwh?: readonly number[];
}

/** The supplier's offer price for a slot: its hourly price by UTC hour when it has one. */
export function supplierPriceAt(supplier: SupplierRules, slotStartMs: number): number {
  const hours = supplier.hourlyPricePerKwh;
  if (hours === undefined) return supplier.pricePerKwh;
  const hour = Math.floor((((slotStartMs % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
  return hours[hour] ?? supplier.pricePerKwh;
}
