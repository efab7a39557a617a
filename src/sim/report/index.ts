/** Everything that turns a SimulationResult into output; pure functions returning strings. */
export { formatKpiTable, type KpiTableOptions } from './kpi-table.js';
export { kpiJson, type KpiJson, type KpiJsonSet, type KpiJsonDelta, type JsonNumber } from './kpi-json.js';
export type { KpiJsonGridSet } from './grid-kpi-json.js';
export type { KpiJsonRoles, ComparisonJsonRoles } from './kpi-json-roles.js';
export { formatReportSections, formatComparisonSections } from './section-text.js';
export { timeSeriesCsv, timeSeriesCsvLines } from './time-series-csv.js';
export { renderHtmlReport, type HtmlReportOptions } from './html-report.js';
export { formatComparisonTable, type ComparisonTableOptions } from './comparison-table.js';
export { comparisonJson, type ComparisonJson, type ComparisonJsonCommunity } from './comparison-json.js';
export { renderComparisonReport, type ComparisonReportOptions } from './comparison-report.js';
