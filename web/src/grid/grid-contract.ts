/**
 * Contract B of issue 8 (docs/api.md, `/api/grid/*`): the feeder's drawing, one slot's solved state and
 * the history of states, as the dashboard reads them. Nullable where the server says a value may be
 * missing (a bus without coordinates, a power flow that did not converge). The typed client checks
 * the server's generated schema against these shapes.
 */
import { dataOf, type ApiClient } from '../api/client';

export interface FeederBus {
  readonly id: string;
  readonly xM: number | null;
  readonly yM: number | null;
  readonly kvLL: number;
}

export interface FeederLine {
  readonly id: string;
  readonly fromBus: string;
  readonly toBus: string;
  /** line, transformer, regulator or switch (added by the server to the contract). */
  readonly kind?: string;
  readonly ratingA?: number;
}

export interface Feeder {
  readonly feederId: string;
  readonly buses: readonly FeederBus[];
  readonly lines: readonly FeederLine[];
  readonly substation: { readonly bus: string; readonly capacityKw: number };
  readonly connections: readonly { readonly participantId: string; readonly bus: string }[];
}

export type ViolationKind = 'undervoltage' | 'overvoltage' | 'overload' | 'substation';

export interface GridViolation {
  readonly kind: ViolationKind;
  readonly elementId: string;
  readonly value: number;
  readonly limit: number;
}

export interface GridEnvelope {
  readonly participantId: string;
  readonly importLimitKw: number | null;
  readonly exportLimitKw: number | null;
}

export interface GridState {
  readonly slotStartMs: number;
  readonly solvedMs: number;
  readonly converged: boolean;
  readonly reason?: string;
  readonly substationKw: number | null;
  readonly capacityKw: number;
  readonly lossesKw: number | null;
  readonly vMinPu: number | null;
  readonly vMaxPu: number | null;
  readonly maxLoadingPct?: number | null;
  readonly buses: readonly {
    readonly id: string;
    readonly vMinPu: number | null;
    readonly vMaxPu: number | null;
  }[];
  readonly lines: readonly {
    readonly id: string;
    readonly powerKw: number | null;
    readonly loadingPct: number | null;
  }[];
  readonly violations: readonly GridViolation[];
  readonly envelopes: readonly GridEnvelope[];
}

export interface GridStateSummary {
  readonly slotStartMs: number;
  readonly substationKw: number | null;
  readonly capacityKw: number;
  readonly vMinPu: number | null;
  readonly vMaxPu: number | null;
  readonly maxLoadingPct: number | null;
  readonly violationCount: number;
}

export const getFeeder = (api: ApiClient): Promise<Feeder> => dataOf(api.GET('/api/grid/feeder'));

/** The latest solved state, or the given slot's. */
export const getGridState = (api: ApiClient, slotStartMs?: number): Promise<GridState> =>
  dataOf(
    api.GET('/api/grid/state', {
      params: { query: slotStartMs === undefined ? {} : { slotStartMs } },
    }),
  );

/** The day before the platform's clock when no range is given. */
export const getGridStates = (
  api: ApiClient,
  fromMs?: number,
  toMs?: number,
): Promise<{ states: readonly GridStateSummary[] }> =>
  dataOf(
    api.GET('/api/grid/states', {
      params: {
        query: { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) },
      },
    }),
  );
