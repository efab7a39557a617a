/**
 * The report's stylesheet, inlined so the file opens offline. System fonts only (no web fonts), a
 * width that suits a laptop, and print rules that keep each chart on one page.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --better: #1a7f37; --worse: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
.description { margin: 0 0 16px; color: var(--muted); overflow-wrap: anywhere; white-space: pre-line; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table.kpi { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.kpi th, table.kpi td { padding: 5px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
table.kpi th { font-weight: 600; border-bottom: 2px solid var(--ink); }
table.kpi .num { text-align: right; white-space: nowrap; }
table.kpi .unit { color: var(--muted); white-space: nowrap; }
table.kpi td.better { color: var(--better); }
table.kpi td.worse { color: var(--worse); }
table.kpi td.same, table.kpi td.unknown { color: var(--muted); }
table.kpi tr.group th { font-size: 15px; padding-top: 14px; border-bottom: 1px solid var(--ink); }
table.kpi td.roles { color: var(--muted); font-size: 13px; }
table.kpi td.estimate { text-align: right; }
section.evaluation h3, section.evaluation h4 { font-size: 16px; margin: 20px 0 4px; }
section.evaluation table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 14px; }
section.evaluation th, section.evaluation td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
section.evaluation th { font-weight: 600; }
section.evaluation h4 { font-size: 14px; margin: 14px 0 4px; }
figure { margin: 28px 0 0; }
figure h3 { font-size: 16px; margin: 0 0 2px; }
figcaption { color: var(--muted); font-size: 13px; margin: 0 0 4px; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; font-family: inherit; }
svg.chart text { fill: var(--ink); }
svg.chart .sub, svg.chart .note, svg.chart .empty { fill: var(--muted); }
svg.chart .axis-title { font-size: 13px; fill: var(--muted); }
svg.chart .empty { font-size: 15px; }
svg.chart .grid line { stroke: #eaeef2; stroke-width: 1; }
svg.chart .plot-border { fill: none; stroke: #8c959f; stroke-width: 1; }
svg.chart .tick { stroke: #8c959f; }
svg.chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .band { fill-opacity: 0.2; stroke: none; }
svg.chart .reference { stroke-width: 2; stroke-dasharray: 6 4; }
svg.chart .guide { fill: none; stroke: #8c959f; stroke-dasharray: 3 3; }
p.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 36px; color: var(--muted); font-size: 13px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure, table.kpi tr { break-inside: avoid; }
  table.kpi td.better, table.kpi td.worse { color: var(--ink); font-weight: 600; }
}
`;
