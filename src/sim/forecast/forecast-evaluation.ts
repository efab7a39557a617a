/**
 * How good the load and PV forecasts were (MAE, RMSE, MAPE per horizon) and what their error cost.
 * PLACEHOLDER shape, owned by the forecasting work.
 */
export interface ForecastEvaluation {
  readonly model: string;
}
