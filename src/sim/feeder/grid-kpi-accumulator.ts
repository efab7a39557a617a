/** Folds each slot's feeder state into the feeder KPIs and series of one run. */
import type { GridKpiSet, GridRunSeries } from '../results.js';
import type { FeederSlotState } from './feeder-flow.js';

export class GridKpiAccumulator {
  private readonly minVoltagePu: Float64Array;
  private readonly maxVoltagePu: Float64Array;
  private readonly lossesKw: Float64Array;
  private peakSlotBusMinVPu = new Float64Array(0);
  private peakSlotBusMaxVPu = new Float64Array(0);
  private peakSlotStartMs = Number.NaN;
  private peakLoadKw = Number.NEGATIVE_INFINITY;
  private slot = 0;
  private voltageViolations = 0;
  private voltageViolationBusMinutes = 0;
  private lossesKwh = 0;
  private peakTransformerLoadingPct = 0;
  private peakLineLoadingPct = Number.NaN;
  private powerFlowFailures = 0;

  constructor(slotCount: number) {
    this.minVoltagePu = new Float64Array(slotCount).fill(Number.NaN);
    this.maxVoltagePu = new Float64Array(slotCount).fill(Number.NaN);
    this.lossesKw = new Float64Array(slotCount).fill(Number.NaN);
  }

  record(state: FeederSlotState, slotStartMs: number, slotMinutes: number, substationLoadKw: number): void {
    const s = this.slot++;
    if (!state.converged) {
      this.powerFlowFailures++;
      return;
    }
    this.minVoltagePu[s] = state.minVPu;
    this.maxVoltagePu[s] = state.maxVPu;
    this.lossesKw[s] = state.lossesKw;
    this.voltageViolations += state.violatingNodes;
    this.voltageViolationBusMinutes += state.violatingBuses * slotMinutes;
    this.lossesKwh += (state.lossesKw * slotMinutes) / 60;
    this.peakTransformerLoadingPct = Math.max(this.peakTransformerLoadingPct, state.transformerLoadingPct);
    if (!Number.isNaN(state.lineLoadingPct)) {
      this.peakLineLoadingPct = Number.isNaN(this.peakLineLoadingPct)
        ? state.lineLoadingPct
        : Math.max(this.peakLineLoadingPct, state.lineLoadingPct);
    }
    if (substationLoadKw > this.peakLoadKw) {
      this.peakLoadKw = substationLoadKw;
      this.peakSlotStartMs = slotStartMs;
      this.peakSlotBusMinVPu = state.busMinVPu.slice();
      this.peakSlotBusMaxVPu = state.busMaxVPu.slice();
    }
  }

  finish(inverterLoopFailures: number): { kpis: GridKpiSet; series: GridRunSeries } {
    let minVoltagePu = Number.POSITIVE_INFINITY;
    let maxVoltagePu = Number.NEGATIVE_INFINITY;
    let peakLossesKw = 0;
    for (let s = 0; s < this.minVoltagePu.length; s++) {
      const low = this.minVoltagePu[s] ?? Number.NaN;
      const high = this.maxVoltagePu[s] ?? Number.NaN;
      if (low < minVoltagePu) minVoltagePu = low;
      if (high > maxVoltagePu) maxVoltagePu = high;
      peakLossesKw = Math.max(peakLossesKw, this.lossesKw[s] ?? 0);
    }
    return {
      kpis: {
        voltageViolations: this.voltageViolations,
        voltageViolationBusMinutes: this.voltageViolationBusMinutes,
        minVoltagePu: Number.isFinite(minVoltagePu) ? minVoltagePu : Number.NaN,
        maxVoltagePu: Number.isFinite(maxVoltagePu) ? maxVoltagePu : Number.NaN,
        lossesKwh: this.lossesKwh,
        peakLossesKw,
        peakTransformerLoadingPct: this.peakTransformerLoadingPct,
        peakLineLoadingPct: this.peakLineLoadingPct,
        powerFlowFailures: this.powerFlowFailures,
        inverterLoopFailures,
      },
      series: {
        minVoltagePu: this.minVoltagePu,
        maxVoltagePu: this.maxVoltagePu,
        lossesKw: this.lossesKw,
        peakSlotBusMinVPu: this.peakSlotBusMinVPu,
        peakSlotBusMaxVPu: this.peakSlotBusMaxVPu,
        peakSlotStartMs: this.peakSlotStartMs,
      },
    };
  }
}
