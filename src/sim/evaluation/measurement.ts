/**
 * Measurement and verification: customer baselines (CAISO 10-in-10 with a capped day-of adjustment,
 * weather regression, the simulated counterfactual) and the flexibility delivered against them.
 * PLACEHOLDER shape, owned and reshaped by the M&V work.
 */
export interface MeasurementAndVerification {
  readonly methods: readonly string[];
}
