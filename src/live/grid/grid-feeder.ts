/**
 * The feeder a live market sits on, with each participant's premises meter on a bus phase: checked once
 * at start (a connection to a bus the feeder lacks is a configuration error, not a silent zero), drawn for
 * the API, and turned into the simulator's FeederFlow for the monitor to solve.
 */
import { TeError } from '../../core/errors.js';
import type { Network } from '../../grid/network.js';
import { prepareNetwork } from '../../grid/network-preparation.js';
import type { FeederFlow } from '../../sim/feeder/feeder-flow.js';
import type { FeederOptions } from '../../sim/feeder/feeder-network.js';
import { feederFlowFor } from '../../sim/feeder/feeder-run.js';
import type { GridConnection, GridFeederView } from './grid-state.js';

export interface GridFeederOptions {
  /** The market whose settled slots are solved. */
  readonly marketId: string;
  readonly network: Network;
  readonly connections: readonly GridConnection[];
  /** The substation's capacity the state compares its load with, kW. */
  readonly substationCapacityKw: number;
  /** As the scenario's feeder section: background share of the published loads, regulator control. */
  readonly feederOptions?: Partial<FeederOptions>;
}

export class GridFeeder {
  readonly marketId: string;
  readonly network: Network;
  readonly connections: readonly GridConnection[];
  readonly capacityKw: number;
  readonly feederOptions: FeederOptions;
  readonly view: GridFeederView;

  constructor(options: GridFeederOptions) {
    if (!Number.isFinite(options.substationCapacityKw) || options.substationCapacityKw <= 0) {
      throw new TeError('TE_ERR_CONFIG', 'the substation capacity must be a positive number of kW', {
        path: 'grid.substationCapacityKw',
      });
    }
    const problem = connectionProblem(options.network, options.connections);
    if (problem !== undefined) {
      throw new TeError('TE_ERR_CONFIG', problem.message, { path: `grid.connections[${problem.index}]` });
    }
    this.marketId = options.marketId;
    this.network = options.network;
    this.connections = options.connections;
    this.capacityKw = options.substationCapacityKw;
    this.feederOptions = {
      backgroundLoadFactor: options.feederOptions?.backgroundLoadFactor ?? 0,
      regulators: options.feederOptions?.regulators ?? 'automatic',
    };
    this.view = feederView(options.marketId, options.network, options.connections, this.capacityKw);
  }

  /** A fresh power flow of this feeder with the connections' injections (one per monitor: it is stateful). */
  createFlow(): FeederFlow {
    return feederFlowFor(this.network, this.feederOptions, this.connections);
  }
}

/** The first connection that names an unknown bus or phase or repeats a participant, if any. */
export function connectionProblem(
  network: Network,
  connections: readonly GridConnection[],
): { readonly index: number; readonly message: string } | undefined {
  const phases = new Map(network.buses.map((bus) => [bus.name, new Set(bus.phases)]));
  const seen = new Set<string>();
  for (const [index, c] of connections.entries()) {
    const busPhases = phases.get(c.bus);
    if (busPhases === undefined) {
      return {
        index,
        message: `participant '${c.participantId}' is connected to bus '${c.bus}', which the feeder does not have`,
      };
    }
    if (!busPhases.has(c.phase)) {
      return { index, message: `bus '${c.bus}' has no phase ${c.phase} (participant '${c.participantId}')` };
    }
    if (c.bus === network.source.bus) {
      return {
        index,
        message: `participant '${c.participantId}' is connected to the source bus '${c.bus}', whose voltage the solver holds`,
      };
    }
    if (seen.has(c.participantId)) {
      return { index, message: `participant '${c.participantId}' is connected twice` };
    }
    seen.add(c.participantId);
  }
  return undefined;
}

function feederView(
  marketId: string,
  network: Network,
  connections: readonly GridConnection[],
  capacityKw: number,
): GridFeederView {
  const nominal = prepareNetwork(network).nominalKvLL;
  const branch =
    (kind: 'line' | 'transformer' | 'regulator' | 'switch') =>
    (e: { name: string; from: string; to: string; ratingA?: number }) => ({
      id: e.name,
      fromBus: e.from,
      toBus: e.to,
      kind,
      ...(e.ratingA === undefined ? {} : { ratingA: e.ratingA }),
    });
  return {
    feederId: network.name,
    marketId,
    buses: network.buses.map((bus) => ({
      id: bus.name,
      xM: bus.x ?? null,
      yM: bus.y ?? null,
      kvLL: nominal.get(bus.name) ?? bus.nominalKvLL ?? network.source.kvLL,
    })),
    lines: [
      ...network.lines.map(branch('line')),
      ...network.transformers.map(branch('transformer')),
      ...network.regulators.map(branch('regulator')),
      ...network.switches.filter((s) => s.closed).map(branch('switch')),
    ],
    substation: { bus: network.source.bus, capacityKw },
    connections: connections.map((c) => ({ participantId: c.participantId, bus: c.bus, phase: c.phase })),
  };
}
