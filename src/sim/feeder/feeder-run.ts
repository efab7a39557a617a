/**
 * One run's view of the feeder: solves the power flow after every slot's meters, accumulates the feeder
 * KPIs, and refreshes the operating envelopes the market reads at the next gate closure.
 */
import type { Network } from '../../grid/network.js';
import { prepareNetwork } from '../../grid/network-preparation.js';
import type { SlotReport } from '../../engine/transactive-cycle.js';
import type { FeederSpec } from '../scenario/scenario-schema.js';
import { FeederFlow } from './feeder-flow.js';
import { feederWithHomes } from './feeder-network.js';
import { GridKpiAccumulator } from './grid-kpi-accumulator.js';
import type { HomeConnection } from './home-placement.js';

export class FeederRun {
  readonly flow: FeederFlow;
  readonly kpis: GridKpiAccumulator;
  /** Envelopes per premises, updated after every slot; null when the scenario does not use them. */
  readonly envelopes: { importKw: Float64Array; exportKw: Float64Array } | null;

  constructor(
    feeder: Network,
    spec: FeederSpec,
    connections: readonly HomeConnection[],
    slotCount: number,
    withEnvelopes: boolean,
  ) {
    const nominal = prepareNetwork(feeder).nominalKvLL;
    const network = feederWithHomes(
      feeder,
      connections,
      { backgroundLoadFactor: spec.backgroundLoadFactor, regulators: spec.regulators },
      (bus) => nominal.get(bus) ?? feeder.source.kvLL,
    );
    this.flow = new FeederFlow(network, connections);
    this.kpis = new GridKpiAccumulator(slotCount);
    this.envelopes = withEnvelopes
      ? {
          importKw: new Float64Array(connections.length).fill(Number.POSITIVE_INFINITY),
          exportKw: new Float64Array(connections.length).fill(Number.POSITIVE_INFINITY),
        }
      : null;
  }

  afterSlot(report: SlotReport): void {
    const state = this.flow.solve(report.premisesLoadKw);
    const minutes = (report.slot.endMs - report.slot.startMs) / 60_000;
    this.kpis.record(state, report.slot.startMs, minutes, report.substationLoadKw);
    if (this.envelopes !== null) {
      this.flow.envelopes(report.premisesLoadKw, this.envelopes.importKw, this.envelopes.exportKw);
    }
  }
}
