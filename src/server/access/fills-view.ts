/**
 * A clearing result's fills as a caller may see them. Own-scoped callers see their own rows and the
 * trades they are party to, with the counterparty's identity removed; aggregate callers see every row
 * without participant ids or client order ids; `all` sees everything. Supplier rows are market parties,
 * not people, and keep their ids.
 */
import type { StoredBilateralTrade, StoredFill, StoredFills } from '../../live/clearing-fills.js';
import type { Scope } from './access-matrix.js';

export interface FillView extends Omit<StoredFill, 'participantId' | 'clientOrderId'> {
  readonly participantId?: string;
  readonly clientOrderId?: string;
}

export interface TradeView {
  readonly buyerId?: string;
  readonly sellerId?: string;
  readonly buyClientOrderId?: string;
  readonly sellClientOrderId?: string;
  readonly quantityKw: number;
  readonly pricePerKwh: number;
  readonly feePerKwh: number;
}

export interface FillsView {
  readonly rows: readonly FillView[];
  readonly trades: readonly TradeView[];
}

export function fillsView(fills: unknown, scope: Scope, allowed: 'all' | ReadonlySet<string>): FillsView {
  const stored = asStoredFills(fills);
  if (scope === 'all') return stored;
  if (scope === 'aggregate' || scope === 'anonymised') {
    return {
      rows: stored.rows.map((row) => (row.partyKind === 'supplier' ? row : withoutIds(row))),
      trades: stored.trades.map((t) => ({
        quantityKw: t.quantityKw,
        pricePerKwh: t.pricePerKwh,
        feePerKwh: t.feePerKwh,
      })),
    };
  }
  const mine = (id: string) => allowed === 'all' || allowed.has(id);
  return {
    rows: stored.rows.filter((row) => row.partyKind === 'participant' && mine(row.participantId)),
    trades: stored.trades.filter((t) => mine(t.buyerId) || mine(t.sellerId)).map((t) => ownSideOf(t, mine)),
  };
}

function withoutIds(row: StoredFill): FillView {
  const { participantId: _p, clientOrderId: _c, ...rest } = row;
  return rest;
}

function ownSideOf(trade: StoredBilateralTrade, mine: (id: string) => boolean): TradeView {
  return {
    ...(mine(trade.buyerId) ? { buyerId: trade.buyerId, buyClientOrderId: trade.buyClientOrderId } : {}),
    ...(mine(trade.sellerId) ? { sellerId: trade.sellerId, sellClientOrderId: trade.sellClientOrderId } : {}),
    quantityKw: trade.quantityKw,
    pricePerKwh: trade.pricePerKwh,
    feePerKwh: trade.feePerKwh,
  };
}

/** Stored fills written before the shape settled (or by hand) read as empty rather than failing. */
function asStoredFills(fills: unknown): StoredFills {
  if (typeof fills !== 'object' || fills === null) return { rows: [], trades: [] };
  const { rows, trades } = fills as Partial<StoredFills>;
  return { rows: Array.isArray(rows) ? rows : [], trades: Array.isArray(trades) ? trades : [] };
}
