/**
 * The live feeder (docs/api.md, `/api/grid/*`): its drawing, one slot's solved state and the history
 * of states, typed by the server's own schema (nullable where a bus has no coordinates or a power flow
 * did not converge).
 */
import { dataOf, type AnswerOf, type ApiClient } from '../api/client';

export type Feeder = AnswerOf<'/api/grid/feeder'>;
export type FeederBus = Feeder['buses'][number];
export type FeederLine = Feeder['lines'][number];
export type GridState = AnswerOf<'/api/grid/state'>;
export type GridViolation = GridState['violations'][number];
export type ViolationKind = GridViolation['kind'];
export type GridEnvelope = GridState['envelopes'][number];
export type GridStateSummary = AnswerOf<'/api/grid/states'>['states'][number];

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
): Promise<AnswerOf<'/api/grid/states'>> =>
  dataOf(
    api.GET('/api/grid/states', {
      params: {
        query: { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) },
      },
    }),
  );
