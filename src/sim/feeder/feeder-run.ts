/**
 * One run's view of the feeder: solves the power flow after every slot's meters (with the PV inverters'
 * IEEE 1547 reactive power found by a damped outer loop with the power flow), accumulates the feeder
 * KPIs, and refreshes the operating envelopes the market reads at the next gate closure.
 */
import type { Network } from '../../grid/network.js';
import { prepareNetwork } from '../../grid/network-preparation.js';
import { solveInverterOuterLoop, type InverterCommand } from '../../der/inverter/index.js';
import type { PvAgent } from '../../der/pv.js';
import type { Premises } from '../../engine/ports.js';
import type { SlotReport } from '../../engine/transactive-cycle.js';
import type { FeederSpec } from '../scenario/scenario-schema.js';
import { envelopeDeliveryFor, type CsipAusEnvelopeDelivery } from './envelope-delivery.js';
import { FeederFlow } from './feeder-flow.js';
import { feederWithHomes, type FeederOptions } from './feeder-network.js';
import { GridKpiAccumulator } from './grid-kpi-accumulator.js';
import type { HomeConnection } from './home-placement.js';

/**
 * The feeder with the homes on it, ready to solve slot after slot: the simulator's runs and the live
 * platform's grid monitor build it the same way.
 */
export function feederFlowFor(
  feeder: Network,
  options: FeederOptions,
  connections: readonly HomeConnection[],
): FeederFlow {
  const nominal = prepareNetwork(feeder).nominalKvLL;
  const network = feederWithHomes(
    feeder,
    connections,
    options,
    (bus) => nominal.get(bus) ?? feeder.source.kvLL,
  );
  return new FeederFlow(network, connections);
}

export class FeederRun {
  readonly flow: FeederFlow;
  readonly kpis: GridKpiAccumulator;
  /** Envelopes per premises, updated after every slot; null when the scenario does not use them. */
  readonly envelopes: { importKw: Float64Array; exportKw: Float64Array } | null;
  /** Set when the envelopes travel as CSIP-AUS controls (envelopeDelivery); null: the market reads them as computed. */
  readonly envelopeDelivery: CsipAusEnvelopeDelivery | null;
  /** PV systems with inverter functions, and the premises each belongs to. */
  private readonly inverters: readonly { readonly pv: PvAgent; readonly premises: number }[];
  private readonly inverterKvar: Float64Array;
  /** Slots whose inverter outer loop did not converge (the last iterate was used). */
  inverterLoopFailures = 0;

  constructor(
    feeder: Network,
    spec: FeederSpec,
    premises: readonly Premises[],
    connections: readonly HomeConnection[],
    slotCount: number,
    withEnvelopes: boolean,
  ) {
    this.flow = feederFlowFor(
      feeder,
      { backgroundLoadFactor: spec.backgroundLoadFactor, regulators: spec.regulators },
      connections,
    );
    this.inverters = premises.flatMap((p, index) =>
      p.devices
        .filter(
          (d): d is PvAgent => d.kind === 'pv' && (d as Partial<PvAgent>).params?.inverter !== undefined,
        )
        .map((pv) => ({ pv, premises: index })),
    );
    this.inverterKvar = new Float64Array(premises.length);
    this.kpis = new GridKpiAccumulator(slotCount);
    this.envelopes = withEnvelopes
      ? {
          importKw: new Float64Array(connections.length).fill(Number.POSITIVE_INFINITY),
          exportKw: new Float64Array(connections.length).fill(Number.POSITIVE_INFINITY),
        }
      : null;
    this.envelopeDelivery = withEnvelopes
      ? envelopeDeliveryFor(spec.envelopeDelivery, connections.length)
      : null;
  }

  afterSlot(report: SlotReport): void {
    const state =
      this.inverters.length === 0 ? this.flow.solve(report.premisesLoadKw) : this.solveWithInverters(report);
    const minutes = (report.slot.endMs - report.slot.startMs) / 60_000;
    this.kpis.record(state, report.slot.startMs, minutes, report.substationLoadKw);
    if (this.envelopes !== null) {
      const computed = this.envelopeDelivery?.computed ?? this.envelopes;
      this.flow.envelopes(report.premisesLoadKw, computed.importKw, computed.exportKw);
      // Computed at the end of this slot, for the next one.
      const { startMs, endMs } = report.slot;
      this.envelopeDelivery?.deliver(this.envelopes, endMs, endMs - startMs, endMs);
    }
  }

  /**
   * The inverters' reactive power depends on the voltage it changes: iterate power flow and volt-var
   * responses with damping until they agree. Commands carry kvar per kVA of each inverter (qPu).
   */
  private solveWithInverters(report: SlotReport) {
    const { inverters, inverterKvar, flow } = this;
    const setKvar = (commands: readonly InverterCommand[]) => {
      inverterKvar.fill(0);
      commands.forEach((command, k) => {
        const inverter = inverters[k];
        if (inverter === undefined) return;
        inverterKvar[inverter.premises] =
          (inverterKvar[inverter.premises] ?? 0) + command.qPu * inverter.pv.params.inverterKva;
      });
    };
    const loop = solveInverterOuterLoop(
      (commands) => {
        setKvar(commands);
        // The iterations read only voltages; the full state is solved once, with the final commands.
        const converged = flow.solveVoltagesOnly(report.premisesLoadKw, inverterKvar);
        return inverters.map(({ premises }) => (converged ? flow.premisesVoltagePu(premises) : Number.NaN));
      },
      inverters.map(({ pv }) => (vPu: number) => ({
        pPu: 0,
        qPu: pv.gridSupport(vPu).qKvar / pv.params.inverterKva,
      })),
      inverters.map(() => ({ pPu: 0, qPu: 0 })),
      { dampingFactor: 0.5, tolerancePu: 1e-4, maxIterations: 40 },
    );
    if (!loop.converged) this.inverterLoopFailures++;
    setKvar(loop.commands);
    return flow.solve(report.premisesLoadKw, inverterKvar);
  }
}
