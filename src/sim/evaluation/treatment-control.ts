/**
 * Treatment vs control: homes randomly assigned (from the seed) to stay on the fixed tariff, compared
 * with the market's homes with confidence intervals. PLACEHOLDER shape, owned by the treatment-control work.
 */
export interface TreatmentControlComparison {
  readonly controlHomes: number;
  readonly treatmentHomes: number;
}
