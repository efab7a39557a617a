/**
 * How good the load and PV forecasts were (MAE, RMSE, MAPE / nMAE per hour ahead, for every model, the
 * configured one first) and, when the strategies bid on them, what their error cost: the market run
 * again with perfect forecasts.
 */
import type { ForecastModelName } from './forecast-models.js';
import type { ModelScores } from './forecast-scoring.js';

export type ForecastUser = 'day-ahead-positions' | 'battery' | 'ev';

/** One market run's outcome as the forecasts touch it. */
export interface ForecastRunOutcome {
  /** Σ of the homes' bills, currency (KpiSet.totalCost). */
  readonly totalCost: number;
  /**
   * Energy the homes' day-ahead positions missed, settled in real time: Σ over homes and hours of
   * |metered net energy − position|, kWh. NaN without day-ahead positions.
   */
  readonly imbalanceKwh: number;
  readonly peakSubstationDemandKw: number;
}

export interface ForecastErrorCost {
  readonly withModel: ForecastRunOutcome;
  readonly withPerfectForecasts: ForecastRunOutcome;
  /** withModel.totalCost − withPerfectForecasts.totalCost: what the forecast error cost the homes. */
  readonly extraCost: number;
}

export interface ForecastEvaluation {
  /** The model the strategies bid on. */
  readonly model: ForecastModelName;
  readonly usedBy: readonly ForecastUser[];
  /** Hours of pre-period meter data the models learned from before the horizon. */
  readonly historyHours: number;
  /** Horizon hours scored (each scored once per hour ahead). */
  readonly scoredHours: number;
  readonly homes: number;
  /** The configured model first, then the others; 'perfect' is the scoring's check (0 error). */
  readonly models: readonly ModelScores[];
  /** null when not asked for, or when nothing bids on the forecasts (`costOfErrorNote` says which). */
  readonly costOfError: ForecastErrorCost | null;
  readonly costOfErrorNote: string;
  /** What the forecasts are of, and what the perfect weather forecast flatters. */
  readonly notes: readonly string[];
}
