/**
 * Whether a result has feeder results. The feeder KPI rows themselves are catalogue entries
 * (src/sim/kpi/grid-kpis.ts); a run without feeder results shows them as "—" so TE and baseline line up.
 */
export { hasFeederResults as hasGridResults } from '../kpi/grid-kpis.js';
