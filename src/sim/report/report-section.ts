/**
 * A section of the simulate report beyond the KPI table (M&V baselines, treatment vs control, forecast
 * scores): the same content for the terminal, report.html and kpis.json.
 */
import type { StakeholderRole } from '../kpi/kpi-definition.js';

export interface ReportSection {
  /** Kebab-case; kpis.json carries the section under `sections.<id>`. */
  readonly id: string;
  readonly title: string;
  readonly role: StakeholderRole;
  /** Plain-text lines for the terminal, no trailing newline. */
  text(): string[];
  /** A self-contained HTML fragment, every value escaped. */
  html(): string;
  /** A JSON-safe value (no NaN, no typed arrays). */
  json(): unknown;
}
