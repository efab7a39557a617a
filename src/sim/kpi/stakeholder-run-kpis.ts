/**
 * Stakeholder KPIs every run computes (StakeholderRunKpis, src/sim/kpi/stakeholder-accumulator.ts): the
 * utility's load factor and wholesale cost, the DSO's envelope usage, the aggregator's revenue and
 * delivered flexibility, the regulator's market-power and volatility screens, and emissions.
 */
import type { SimulationResult, SimulationRun, StakeholderRunKpis } from '../results.js';
import type { RunKpi } from './kpi-definition.js';

type Spec = Omit<RunKpi, 'scope' | 'of'> & {
  readonly pick: (kpis: StakeholderRunKpis) => number;
  /** Shown only when the TE run has a finite value (e.g. the scenario has an aggregator). */
  readonly onlyWhenDefined?: boolean;
};

function stakeholder(spec: Spec): RunKpi {
  const { pick, onlyWhenDefined, ...common } = spec;
  const of = (run: SimulationRun) => (run.stakeholder === undefined ? Number.NaN : pick(run.stakeholder));
  return {
    ...common,
    scope: 'run',
    of,
    ...(onlyWhenDefined === true
      ? { appliesTo: (result: SimulationResult) => Number.isFinite(of(result.te)) }
      : {}),
  };
}

export const STAKEHOLDER_RUN_KPIS: readonly RunKpi[] = [
  stakeholder({
    id: 'load-factor',
    label: 'Load factor',
    unit: '%',
    roles: ['utility', 'dso'],
    definition:
      'Mean substation load over its peak: how evenly the community uses the grid (100 %: a flat load). Not defined when the peak is not positive.',
    formula: '100 · mean_t P_sub(t) / max_t P_sub(t)',
    direction: 'higher-is-better',
    decimals: 1,
    change: 'percentage-points',
    pick: (k) => k.loadFactor * 100,
  }),
  stakeholder({
    id: 'wholesale-energy-cost',
    label: 'Wholesale energy cost',
    unit: '{currency}',
    roles: ['utility'],
    definition:
      'What the energy imported through the substation costs at the wholesale price of its local hour (scenario wholesale.pricePerKwhByHour). Exports are not credited.',
    formula: 'Σ_t max(P_sub(t), 0) · Δt · π_wholesale(local hour of t)',
    direction: 'lower-is-better',
    decimals: 2,
    change: 'absolute-and-percent',
    pick: (k) => k.wholesaleEnergyCost,
  }),
  stakeholder({
    id: 'envelope-limited-share',
    label: 'Home-slots limited by an envelope',
    unit: '%',
    roles: ['dso', 'customer'],
    definition:
      "Share of home-slots in which the home's dynamic operating envelope cut at least one of its bids (import or export) at gate closure. Only runs with envelopes.",
    formula: '100 · |{(h, t) : a bid of h was cut to its envelope at t}| / (homes · slots)',
    direction: 'neutral',
    decimals: 2,
    change: 'percentage-points',
    pick: (k) => k.envelopeLimitedShare * 100,
    onlyWhenDefined: true,
  }),
  stakeholder({
    id: 'envelope-headroom-used',
    label: 'Envelope headroom used',
    unit: '%',
    roles: ['dso'],
    definition:
      'At the home-slots where an envelope cut bids, the metered flow in the direction it cut (import or export) over the envelope in that direction, averaged. Below 100 %: capacity the DSO allowed went unused; above: the home exceeded its envelope. Envelopes of 0 are left out.',
    formula: '100 · mean over cut (h, t, side) of max(0, ±P_h(t)) / E_side,h(t)',
    direction: 'neutral',
    decimals: 1,
    change: 'percentage-points',
    pick: (k) => k.envelopeHeadroomUsed * 100,
    onlyWhenDefined: true,
  }),
  stakeholder({
    id: 'aggregator-revenue',
    label: 'Aggregator revenue',
    unit: '{currency}',
    roles: ['aggregator'],
    definition:
      'The margin the aggregator keeps: its per-kWh margin on every kWh its members bought or sold in the market. Only scenarios with an aggregator.',
    formula: 'm · Σ_t Σ member rows q_filled · Δt',
    direction: 'higher-is-better',
    decimals: 2,
    change: 'absolute-only',
    pick: (k) => k.aggregatorRevenue,
    onlyWhenDefined: true,
  }),
  stakeholder({
    id: 'flexibility-delivery-ratio',
    label: 'Flexibility delivered / promised',
    unit: '%',
    roles: ['aggregator', 'dso'],
    definition:
      "Promised: the flexible (not must-run) energy the market awarded the aggregator's members' devices, |f| per device and slot (bought +, sold −). Delivered: the part of it the device's metered power x moved net of its must-run award m, in the awarded direction, at most the award. Over-delivery is a deviation and does not count.",
    formula: '100 · Σ min(|f|, max(0, sign(f)·(x − m))) · Δt / Σ |f| · Δt over member devices and slots',
    direction: 'higher-is-better',
    decimals: 1,
    change: 'percentage-points',
    pick: (k) =>
      k.flexibilityPromisedKwh > 0
        ? (100 * k.flexibilityDeliveredKwh) / k.flexibilityPromisedKwh
        : Number.NaN,
    onlyWhenDefined: true,
  }),
  stakeholder({
    id: 'flexibility-promised',
    label: 'Flexibility promised by the aggregator',
    unit: 'kWh',
    roles: ['aggregator'],
    definition:
      "The flexible (not must-run) energy the market awarded the aggregator's members' devices (see flexibility-delivery-ratio).",
    formula: 'Σ_t Σ member devices |f_d(t)| · Δt',
    direction: 'neutral',
    decimals: 1,
    change: 'absolute-only',
    pick: (k) => k.flexibilityPromisedKwh,
    onlyWhenDefined: true,
  }),
  stakeholder({
    id: 'largest-seller-share',
    label: 'Largest seller share',
    unit: '%',
    roles: ['regulator'],
    definition:
      'Market power: the share of all energy sold in the market that the largest seller sold. Sellers: each premises, the wholesale supplier (all energy bought through the substation) and the engine offer of unresponsive net generation.',
    formula: '100 · max_i E_sold,i / Σ_i E_sold,i',
    direction: 'lower-is-better',
    decimals: 1,
    change: 'percentage-points',
    pick: (k) => k.largestSellerShare * 100,
  }),
  stakeholder({
    id: 'largest-local-seller-share',
    label: 'Largest local seller share',
    unit: '%',
    roles: ['regulator'],
    definition:
      'The share of all energy sold in the market that the largest premises sold (the supplier left out of the max, not of the total).',
    formula: '100 · max_h E_sold,h / Σ_i E_sold,i',
    direction: 'lower-is-better',
    decimals: 2,
    change: 'percentage-points',
    pick: (k) => k.largestLocalSellerShare * 100,
  }),
  stakeholder({
    id: 'seller-hhi',
    label: 'Seller concentration (HHI)',
    unit: '',
    roles: ['regulator'],
    definition:
      'Herfindahl–Hirschman index of the sellers’ shares of energy sold (same sellers as largest-seller-share): 10 000 for one seller; the US merger guidelines call a market highly concentrated above 2 500 (2010) or 1 800 (2023). A community market with a wholesale supplier is dominated by the supplier by construction.',
    formula: 'Σ_i (100 · E_sold,i / Σ_j E_sold,j)²',
    direction: 'lower-is-better',
    decimals: 0,
    change: 'absolute-only',
    pick: (k) => k.sellerHhi,
  }),
  stakeholder({
    id: 'price-volatility',
    label: 'Price volatility',
    unit: '{currency}/kWh',
    roles: ['regulator', 'customer'],
    definition: 'Population standard deviation of the slot market prices (slots without a price left out).',
    formula: 'sqrt(mean_t (p(t) − mean p)²)',
    direction: 'lower-is-better',
    decimals: 4,
    change: 'absolute-only',
    pick: (k) => k.priceStdevPerKwh,
  }),
  stakeholder({
    id: 'price-mean-abs-change',
    label: 'Mean slot-to-slot price change',
    unit: '{currency}/kWh',
    roles: ['regulator'],
    definition:
      'Mean absolute change of the market price from one slot to the next, over consecutive slots that both have a price.',
    formula: 'mean_t |p(t) − p(t − 1)|',
    direction: 'lower-is-better',
    decimals: 4,
    change: 'absolute-only',
    pick: (k) => k.priceMeanAbsChangePerKwh,
  }),
  stakeholder({
    id: 'emissions',
    label: 'CO2 emissions',
    unit: 'kg CO2',
    roles: ['environment', 'regulator'],
    definition:
      'Emissions of the energy through the substation at the hourly marginal emission factor of the scenario (wholesale.marginalEmissionsKgPerKwhByHour): imports emit; exports displace the marginal generator and avoid emissions at the same factor. Only scenarios with factors.',
    formula: 'Σ_t P_sub(t) · Δt · EF(local hour of t)  (P_sub < 0 when exporting)',
    direction: 'lower-is-better',
    decimals: 1,
    change: 'absolute-and-percent',
    pick: (k) => k.emissionsKg,
    onlyWhenDefined: true,
  }),
];
