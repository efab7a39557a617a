/**
 * JSON has no NaN or Infinity (JSON.stringify would silently write null anyway). We map them to null
 * explicitly so the type says so: null means "not defined for this run", e.g. a clearing price in a
 * run without a market, or a percentage of zero PV production.
 */
export type JsonNumber = number | null;

export function jsonNumber(value: number | undefined): JsonNumber {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
