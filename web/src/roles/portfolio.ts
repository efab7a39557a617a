/**
 * An aggregator's portfolio: the participants it represents (those naming it as aggregator), their
 * devices' latest telemetry summed by kind, its members' bids for a slot, and its margin.
 */
export interface ParticipantLike {
  readonly id: string;
  readonly name: string;
  readonly aggregatorId: string | null;
}

/** The participants an aggregator represents: not itself, only those that name it. */
export function representedMembers<T extends ParticipantLike>(
  participants: readonly T[],
  aggregatorId: string | undefined,
): T[] {
  if (aggregatorId === undefined) return [];
  return participants.filter((p) => p.id !== aggregatorId && p.aggregatorId === aggregatorId);
}

export interface TelemetryLike {
  readonly kind: string;
  readonly participantId: string;
  readonly sample: { readonly powerKw: number; readonly socPct?: number; readonly timeMs: number };
}

export interface KindSummary {
  readonly kind: string;
  readonly devices: number;
  /** Sum of the latest samples' power, load reference (negative: generating or discharging). */
  readonly powerKw: number;
  /** Mean state of charge of the devices that report one. */
  readonly meanSocPct: number | undefined;
  readonly latestMs: number;
}

export function telemetryByKind(devices: readonly TelemetryLike[]): KindSummary[] {
  const kinds = new Map<
    string,
    { devices: number; powerKw: number; soc: number; socs: number; latestMs: number }
  >();
  for (const device of devices) {
    let entry = kinds.get(device.kind);
    if (entry === undefined) {
      entry = { devices: 0, powerKw: 0, soc: 0, socs: 0, latestMs: 0 };
      kinds.set(device.kind, entry);
    }
    entry.devices += 1;
    entry.powerKw += device.sample.powerKw;
    if (device.sample.socPct !== undefined) {
      entry.soc += device.sample.socPct;
      entry.socs += 1;
    }
    entry.latestMs = Math.max(entry.latestMs, device.sample.timeMs);
  }
  return [...kinds.entries()]
    .map(([kind, e]) => ({
      kind,
      devices: e.devices,
      powerKw: e.powerKw,
      meanSocPct: e.socs === 0 ? undefined : e.soc / e.socs,
      latestMs: e.latestMs,
    }))
    .sort((a, b) => (a.kind < b.kind ? -1 : 1));
}

export interface OrderLike {
  readonly participantId: string;
  readonly side: 'buy' | 'sell';
  readonly status: string;
  readonly steps: readonly { readonly price: number; readonly quantity: number }[];
}

export interface BidSummary {
  readonly orders: number;
  readonly participants: number;
  /** Sum of the live buy orders' step quantities, kW. */
  readonly buyKw: number;
  readonly sellKw: number;
  /** Buy steps priced below the cap, kW: flexible load (must-run load bids at the cap). */
  readonly flexibleBuyKw: number;
}

/** Live orders of a slot summed; a buy step at `capPerKwh` or above is must-run load, not flexibility. */
export function bidSummary(orders: readonly OrderLike[], capPerKwh: number): BidSummary {
  const live = orders.filter((o) => o.status === 'live');
  let buyKw = 0;
  let sellKw = 0;
  let flexibleBuyKw = 0;
  for (const order of live) {
    for (const step of order.steps) {
      if (order.side === 'buy') {
        buyKw += step.quantity;
        if (step.price < capPerKwh) flexibleBuyKw += step.quantity;
      } else sellKw += step.quantity;
    }
  }
  return {
    orders: live.length,
    participants: new Set(live.map((o) => o.participantId)).size,
    buyKw,
    sellKw,
    flexibleBuyKw,
  };
}

export interface FillRowLike {
  readonly participantId?: string;
  readonly filledKw: number;
}

/**
 * The aggregator's margin over some cleared slots: the market's aggregatorMarginPerKwh on every kWh its
 * members bought or sold (the ledger books it on both sides of a member's trade).
 */
export function marginOf(
  slots: readonly { readonly durationMs: number; readonly rows: readonly FillRowLike[] }[],
  members: ReadonlySet<string>,
  marginPerKwh: number,
): { tradedKwh: number; margin: number } {
  let tradedKwh = 0;
  for (const slot of slots) {
    const hours = slot.durationMs / 3_600_000;
    for (const row of slot.rows) {
      if (row.participantId !== undefined && members.has(row.participantId)) {
        tradedKwh += Math.abs(row.filledKw) * hours;
      }
    }
  }
  return { tradedKwh, margin: tradedKwh * marginPerKwh };
}
