/**
 * A weather-regression customer baseline: per customer, ordinary least squares of hourly load on one
 * indicator per local hour of day (24 terms, no separate intercept) plus cooling and heating degrees of the
 * hour, CDD = max(0, T − 65 °F) and HDD = max(0, 65 °F − T), T the hour's mean outdoor temperature. Fitted
 * on the pre-period (non-event days by construction); it predicts an event hour from that hour's actual
 * temperature. Every customer shares the design matrix (one weather station), so the normal equations are
 * factored once (Cholesky) and solved per customer.
 * A degree term with no support in the training data (a heat wave has no heating degrees) is left out: its
 * coefficient cannot be estimated, and predicting with it would extrapolate. Too little data or a singular
 * system make the method unavailable with the reason, never NaN.
 */
export interface WeatherRegressionOptions {
  /** Base temperature of the degree terms, °F (65 °F, the customary US degree-day base). */
  readonly balancePointF: number;
  /** Fewest whole days of training data. */
  readonly minimumDays: number;
}

export const WEATHER_REGRESSION_DEFAULTS: WeatherRegressionOptions = { balancePointF: 65, minimumDays: 5 };

export interface WeatherRegressionTraining {
  readonly premises: number;
  readonly hours: number;
  /** Premises-major hourly load, kWh: premises p, hour h at [p · hours + h]. */
  readonly loadKwh: ArrayLike<number>;
  readonly tempF: ArrayLike<number>;
  /** Local hour of day (0..23) of each training hour. */
  readonly hourOfDay: ArrayLike<number>;
}

export type DegreeTerm = 'cdd' | 'hdd';

export type WeatherRegressionModel =
  | {
      readonly available: true;
      readonly balancePointF: number;
      readonly degreeTerms: readonly DegreeTerm[];
      /** Per customer: 24 hour-of-day terms then one per degree term (premises-major). */
      readonly coefficients: Float64Array;
      readonly parameters: number;
      readonly premises: number;
      readonly trainingHours: number;
      /** R² of the aggregate (sum of customers) fit on the training hours. */
      readonly aggregateRSquared: number;
    }
  | { readonly available: false; readonly reason: string };

function degree(term: DegreeTerm, tempF: number, balancePointF: number): number {
  return term === 'cdd' ? Math.max(0, tempF - balancePointF) : Math.max(0, balancePointF - tempF);
}

function designRow(
  hourOfDay: number,
  tempF: number,
  terms: readonly DegreeTerm[],
  balancePointF: number,
  row: Float64Array,
): void {
  row.fill(0);
  row[hourOfDay] = 1;
  terms.forEach((term, i) => (row[24 + i] = degree(term, tempF, balancePointF)));
}

/** Lower-triangular L with A = L·Lᵀ, or null when A is not (numerically) positive definite. */
function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] ?? 0) * (l[j * n + k] ?? 0);
      if (i === j) {
        if (!(sum > 1e-9 * Math.max(1, a[i * n + i] ?? 0))) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / (l[j * n + j] ?? 1);
      }
    }
  }
  return l;
}

function solveCholesky(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (l[i * n + k] ?? 0) * (y[k] ?? 0);
    y[i] = sum / (l[i * n + i] ?? 1);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (l[i * n + i] ?? 1);
  }
  return x;
}

export function fitWeatherRegression(
  training: WeatherRegressionTraining,
  options: Partial<WeatherRegressionOptions> = {},
): WeatherRegressionModel {
  const { balancePointF, minimumDays } = { ...WEATHER_REGRESSION_DEFAULTS, ...options };
  const usable: number[] = [];
  for (let h = 0; h < training.hours; h++) if (Number.isFinite(training.tempF[h])) usable.push(h);
  if (usable.length < minimumDays * 24) {
    return {
      available: false,
      reason: `${(usable.length / 24).toFixed(1)} days of pre-period meter data, at least ${minimumDays} needed: simulate a longer pre-period (evaluation.historyDays)`,
    };
  }
  const terms = (['cdd', 'hdd'] as const).filter((term) =>
    usable.some((h) => degree(term, training.tempF[h] ?? 0, balancePointF) > 0),
  );
  const n = 24 + terms.length;
  const gram = new Float64Array(n * n);
  const row = new Float64Array(n);
  const rows = usable.map((h) => {
    designRow(training.hourOfDay[h] ?? 0, training.tempF[h] ?? 0, terms, balancePointF, row);
    for (let i = 0; i < n; i++) {
      const ri = row[i] ?? 0;
      if (ri === 0) continue;
      for (let j = 0; j < n; j++) gram[i * n + j] = (gram[i * n + j] ?? 0) + ri * (row[j] ?? 0);
    }
    return Float64Array.from(row);
  });
  const factor = cholesky(gram, n);
  if (factor === null) {
    return {
      available: false,
      reason:
        'the regression is singular: some hour of day is missing from the pre-period or the degree terms are collinear with it',
    };
  }
  const coefficients = new Float64Array(training.premises * n);
  const aggregateLoad = new Float64Array(usable.length);
  const rhs = new Float64Array(n);
  for (let p = 0; p < training.premises; p++) {
    rhs.fill(0);
    usable.forEach((h, r) => {
      const y = training.loadKwh[p * training.hours + h] ?? 0;
      aggregateLoad[r] = (aggregateLoad[r] ?? 0) + y;
      const x = rows[r] as Float64Array;
      for (let i = 0; i < n; i++) rhs[i] = (rhs[i] ?? 0) + (x[i] ?? 0) * y;
    });
    coefficients.set(solveCholesky(factor, n, rhs), p * n);
  }
  return {
    available: true,
    balancePointF,
    degreeTerms: terms,
    coefficients,
    parameters: n,
    premises: training.premises,
    trainingHours: usable.length,
    aggregateRSquared: aggregateRSquared(coefficients, training.premises, n, rows, aggregateLoad),
  };
}

function aggregateRSquared(
  coefficients: Float64Array,
  premises: number,
  n: number,
  rows: readonly Float64Array[],
  aggregateLoad: Float64Array,
): number {
  const summed = new Float64Array(n);
  for (let p = 0; p < premises; p++) {
    for (let i = 0; i < n; i++) summed[i] = (summed[i] ?? 0) + (coefficients[p * n + i] ?? 0);
  }
  let mean = 0;
  for (const y of aggregateLoad) mean += y / aggregateLoad.length;
  let residual = 0;
  let total = 0;
  rows.forEach((x, r) => {
    let fitted = 0;
    for (let i = 0; i < n; i++) fitted += (x[i] ?? 0) * (summed[i] ?? 0);
    const y = aggregateLoad[r] ?? 0;
    residual += (y - fitted) ** 2;
    total += (y - mean) ** 2;
  });
  return total > 0 ? 1 - residual / total : Number.NaN;
}

/** Each customer's predicted load in the given hours, kWh, premises-major (p · hours.length + k). */
export function predictWeatherRegression(
  model: Extract<WeatherRegressionModel, { available: true }>,
  hourOfDay: ArrayLike<number>,
  tempF: ArrayLike<number>,
): Float64Array {
  const n = model.parameters;
  const count = hourOfDay.length;
  const predicted = new Float64Array(model.premises * count);
  const row = new Float64Array(n);
  for (let k = 0; k < count; k++) {
    designRow(hourOfDay[k] ?? 0, tempF[k] ?? 0, model.degreeTerms, model.balancePointF, row);
    for (let p = 0; p < model.premises; p++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (row[i] ?? 0) * (model.coefficients[p * n + i] ?? 0);
      predicted[p * count + k] = sum;
    }
  }
  return predicted;
}
