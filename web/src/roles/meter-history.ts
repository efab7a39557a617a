/**
 * A meter's readings as history: totals imported and exported (load reference: a positive interval
 * is import), a chart series in kWh per interval, and the readings as CSV for a spreadsheet.
 */
export interface ReadingLike {
  readonly meterId: string;
  readonly timeMs: number;
  /** Energy over the interval starting at timeMs, Wh; import positive, export negative. */
  readonly energyWh: number;
}

export interface EnergyTotals {
  readonly importedKwh: number;
  readonly exportedKwh: number;
  /** Imported minus exported. */
  readonly netKwh: number;
  readonly readings: number;
}

export function energyTotals(readings: readonly ReadingLike[]): EnergyTotals {
  let importedWh = 0;
  let exportedWh = 0;
  for (const reading of readings) {
    if (reading.energyWh >= 0) importedWh += reading.energyWh;
    else exportedWh -= reading.energyWh;
  }
  return {
    importedKwh: importedWh / 1000,
    exportedKwh: exportedWh / 1000,
    netKwh: (importedWh - exportedWh) / 1000,
    readings: readings.length,
  };
}

/** Readings in time order as chart columns, kWh per interval. */
export function readingSeries(readings: readonly ReadingLike[]): { timesMs: number[]; energyKwh: number[] } {
  const sorted = [...readings].sort((a, b) => a.timeMs - b.timeMs);
  return { timesMs: sorted.map((r) => r.timeMs), energyKwh: sorted.map((r) => r.energyWh / 1000) };
}

/** RFC 4180 CSV (CRLF): meter_id, interval_start (ISO 8601 UTC), energy_wh. */
export function readingsCsv(readings: readonly ReadingLike[]): string {
  const rows = [...readings]
    .sort((a, b) => a.timeMs - b.timeMs)
    .map((r) => [csvField(r.meterId), new Date(r.timeMs).toISOString(), String(r.energyWh)].join(','));
  return ['meter_id,interval_start,energy_wh', ...rows].map((line) => `${line}\r\n`).join('');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
