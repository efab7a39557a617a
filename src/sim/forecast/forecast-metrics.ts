/**
 * Error measures of hourly forecasts. MAPE divides each error by its actual value, so it explodes for
 * values near zero: it is reported only for the community's aggregate consumption, which never nears
 * zero. A single home's hourly consumption can be a few tens of Wh and PV is zero every night, so for
 * them the error is nMAE = MAE / mean actual (= Σ|error| / Σ|actual|), a share of the typical value.
 */

export interface ErrorScores {
  readonly maeKwh: number;
  readonly rmseKwh: number;
  /** Mean absolute percentage error (%); NaN where it is not meaningful (per home, PV). */
  readonly mapePercent: number;
  /** MAE over the mean absolute actual value (%). */
  readonly nmaePercent: number;
  /** Forecast-actual pairs scored. */
  readonly count: number;
}

/** Sums of one error measure, added to pair by pair. */
export class ErrorAccumulator {
  private absoluteSum = 0;
  private squareSum = 0;
  private actualAbsSum = 0;
  private percentSum = 0;
  private percentCount = 0;
  private n = 0;

  constructor(private readonly withMape: boolean) {}

  add(forecast: number, actual: number): void {
    const error = forecast - actual;
    this.absoluteSum += Math.abs(error);
    this.squareSum += error * error;
    this.actualAbsSum += Math.abs(actual);
    if (this.withMape && actual !== 0) {
      this.percentSum += Math.abs(error / actual);
      this.percentCount++;
    }
    this.n++;
  }

  scores(): ErrorScores {
    const { n } = this;
    return {
      maeKwh: n > 0 ? this.absoluteSum / n : Number.NaN,
      rmseKwh: n > 0 ? Math.sqrt(this.squareSum / n) : Number.NaN,
      mapePercent:
        this.withMape && this.percentCount > 0 ? (100 * this.percentSum) / this.percentCount : Number.NaN,
      nmaePercent: this.actualAbsSum > 0 ? (100 * this.absoluteSum) / this.actualAbsSum : Number.NaN,
      count: n,
    };
  }
}

/** The three scores of one horizon (or of the day-ahead forecasts). */
export interface ForecastScores {
  /** Σ over homes, hour by hour: MAE, RMSE, MAPE. */
  readonly aggregateLoad: ErrorScores;
  /** Each home's hourly consumption: MAE, RMSE, nMAE. */
  readonly homeLoad: ErrorScores;
  /** Each home's hourly PV generation (homes with PV only): MAE, RMSE, nMAE. */
  readonly homePv: ErrorScores;
}

export class ForecastScoreAccumulator {
  private readonly aggregateLoad = new ErrorAccumulator(true);
  private readonly homeLoad = new ErrorAccumulator(false);
  private readonly homePv = new ErrorAccumulator(false);

  /** One target hour: every home's forecast and actual consumption and PV; `hasPv` picks the PV homes. */
  addHour(
    forecastLoad: ArrayLike<number>,
    actualLoad: ArrayLike<number>,
    forecastPv: ArrayLike<number>,
    actualPv: ArrayLike<number>,
    hasPv: Uint8Array,
  ): void {
    let forecastSum = 0;
    let actualSum = 0;
    for (let p = 0; p < actualLoad.length; p++) {
      const forecast = forecastLoad[p] ?? 0;
      const actual = actualLoad[p] ?? 0;
      forecastSum += forecast;
      actualSum += actual;
      this.homeLoad.add(forecast, actual);
      if (hasPv[p] === 1) this.homePv.add(forecastPv[p] ?? 0, actualPv[p] ?? 0);
    }
    this.aggregateLoad.add(forecastSum, actualSum);
  }

  scores(): ForecastScores {
    return {
      aggregateLoad: this.aggregateLoad.scores(),
      homeLoad: this.homeLoad.scores(),
      homePv: this.homePv.scores(),
    };
  }
}
