/**
 * Number formatting for people (tables, HTML). Written by hand rather than with toLocaleString so that
 * the output does not depend on the ICU data or locale of the machine that renders it.
 */

/** Shown where a value is NaN or infinite: an honest gap rather than a misleading number. */
export const MISSING = '—';

/** Fixed decimals, thousands grouped with commas, ASCII minus; -0 prints as 0. */
export function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const fixed = Math.abs(value).toFixed(decimals);
  const isZero = Number(fixed) === 0;
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return value < 0 && !isZero ? `-${body}` : body;
}

/** Like formatNumber but always signed (+/-), for changes. */
export function formatSigned(value: number, decimals: number): string {
  const text = formatNumber(value, decimals);
  if (text === MISSING || text.startsWith('-') || Number(text.replace(/,/g, '')) === 0) return text;
  return `+${text}`;
}

/** Decimals that show a tick step exactly (step 0.25 → 2, step 50 → 0). */
export function decimalsForStep(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  for (let decimals = 0; decimals < 10; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return decimals;
  }
  return 10;
}
