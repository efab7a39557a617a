/**
 * How numbers look on screen. Units always shown; power in kW or MW by size, prices per kWh in the
 * market's currency, times in the browser's time zone.
 */
const NO_VALUE = '–';

export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatPowerKw(powerKw: number | null | undefined): string {
  if (powerKw === null || powerKw === undefined || !Number.isFinite(powerKw)) return NO_VALUE;
  return Math.abs(powerKw) >= 1000
    ? `${formatNumber(powerKw / 1000, 2)} MW`
    : `${formatNumber(powerKw, 1)} kW`;
}

export function formatEnergyKwh(energyKwh: number | null | undefined): string {
  if (energyKwh === null || energyKwh === undefined || !Number.isFinite(energyKwh)) return NO_VALUE;
  return Math.abs(energyKwh) >= 1000
    ? `${formatNumber(energyKwh / 1000, 2)} MWh`
    : `${formatNumber(energyKwh, 1)} kWh`;
}

export function formatPricePerKwh(pricePerKwh: number | null | undefined, currency = 'USD'): string {
  if (pricePerKwh === null || pricePerKwh === undefined || !Number.isFinite(pricePerKwh)) return NO_VALUE;
  return `${formatNumber(pricePerKwh, 4)} ${currency}/kWh`;
}

/** Money from integer minor units (the ledger's unit). */
export function formatMoneyMinor(amountMinor: number | null | undefined, currency = 'USD'): string {
  if (amountMinor === null || amountMinor === undefined || !Number.isFinite(amountMinor)) return NO_VALUE;
  return (amountMinor / 100).toLocaleString('en-US', { style: 'currency', currency });
}

export function formatPercent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? NO_VALUE
    : `${formatNumber(value, digits)} %`;
}

export function formatTime(timeMs: number | null | undefined): string {
  if (timeMs === null || timeMs === undefined || !Number.isFinite(timeMs)) return NO_VALUE;
  return new Date(timeMs).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(timeMs: number | null | undefined): string {
  if (timeMs === null || timeMs === undefined || !Number.isFinite(timeMs)) return NO_VALUE;
  return new Date(timeMs).toLocaleString('en-GB', {
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Money from a decimal amount in major units (a computed figure, not a ledger amount). */
export function formatMoney(amount: number | null | undefined, currency = 'USD'): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return NO_VALUE;
  return amount.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
}

/** A duration in ms as seconds or minutes, for latencies. */
export function formatDurationMs(durationMs: number | null | undefined): string {
  if (durationMs === null || durationMs === undefined || !Number.isFinite(durationMs)) return NO_VALUE;
  if (Math.abs(durationMs) < 1_000) return `${Math.round(durationMs)} ms`;
  if (Math.abs(durationMs) < 120_000) return `${formatNumber(durationMs / 1000, 1)} s`;
  return `${formatNumber(durationMs / 60_000, 1)} min`;
}
