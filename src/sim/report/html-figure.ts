/** The pieces every report figure shares: the <figure> wrapper and the time axis of the result. */
import { MS_PER_MINUTE } from '../../core/time.js';
import type { SimulationResult } from '../results.js';
import { escapeHtml } from './html-escape.js';
import type { TimeChartSpec } from './svg-time-chart.js';

export function figure(title: string, caption: string, chart: string): string {
  return `<figure>\n<h3>${escapeHtml(title)}</h3>\n<figcaption>${escapeHtml(caption)}</figcaption>\n${chart}\n</figure>`;
}

/** A figure whose chart cannot be drawn: the title and a sentence saying why. */
export function emptyFigure(title: string, message: string): string {
  return `<figure>\n<h3>${escapeHtml(title)}</h3>\n<p class="empty">${escapeHtml(message)}</p>\n</figure>`;
}

export function timeAxis(
  result: SimulationResult,
): Pick<TimeChartSpec, 'slotStartMs' | 'slotDurationMs' | 'utcOffsetMinutes'> {
  return {
    slotStartMs: result.slotStartMs,
    slotDurationMs: result.meta.marketPeriodMinutes * MS_PER_MINUTE,
    utcOffsetMinutes: result.meta.utcOffsetMinutes,
  };
}
