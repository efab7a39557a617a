import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters, SimulationResult } from '../results.js';
import { LocalCalendar } from './event-windows.js';
import { MEASUREMENT_KPIS } from './measurement-kpis.js';
import { measurementSection } from './measurement-report.js';
import { measureAndVerify, type EventMeasurement } from './measurement.js';

// Wednesday 15 July 2026 in UTC-7; a 7-day pre-period holds five weekdays (8, 9, 10, 13, 14 July).
const OFFSET_MINUTES = -420;
const START_MS = Date.parse('2026-07-15T00:00:00-07:00');
const PREMISES = 2;

function meters(startMs: number, hours: number, kwhAt: (h: number) => number, tempF = 80): PremisesMeters {
  const netLoadKwh = new Float32Array(PREMISES * hours);
  for (let p = 0; p < PREMISES; p++) for (let h = 0; h < hours; h++) netLoadKwh[p * hours + h] = kwhAt(h);
  return {
    startMs,
    hours,
    premises: PREMISES,
    netLoadKwh,
    pvKwh: new Float32Array(PREMISES * hours),
    outdoorTempF: new Float64Array(hours).fill(tempF),
  };
}

const inEvent = (h: number) => h >= 16 && h < 18;
/**
 * The market run draws 1.5 kWh an hour in the event (16:00-18:00) and 2.5 otherwise; without the market
 * the homes would have drawn 2 kWh in the event; the pre-period reads 2.5 every hour at a constant 80 °F
 * (so the regression's cooling term is collinear with its hour terms: singular).
 */
function measured(slotsPerHour = 1) {
  const slotMs = MS_PER_HOUR / slotsPerHour;
  const slots = 24 * slotsPerHour;
  const slotStartMs = Float64Array.from({ length: slots }, (_, s) => START_MS + s * slotMs);
  const hourOf = (s: number) => Math.floor(s / slotsPerHour);
  return measureAndVerify({
    windows: [{ startMs: START_MS + 16 * MS_PER_HOUR, endMs: START_MS + 18 * MS_PER_HOUR, source: 'event' }],
    calendar: new LocalCalendar(OFFSET_MINUTES),
    metered: meters(START_MS, 24, (h) => (inEvent(h) ? 1.5 : 2.5)),
    counterfactual: meters(START_MS, 24, (h) => (inEvent(h) ? 2 : 2.5)),
    history: meters(START_MS - 7 * MS_PER_DAY, 7 * 24, () => 2.5),
    slotStartMs,
    marketPeriodMs: slotMs,
    meteredSlotLoadKw: Float64Array.from(
      { length: slots },
      (_, s) => PREMISES * (inEvent(hourOf(s)) ? 1.5 : 2.5),
    ),
    counterfactualSlotLoadKw: Float64Array.from(
      { length: slots },
      (_, s) => PREMISES * (inEvent(hourOf(s)) ? 2 : 2.5),
    ),
  });
}

const result = {
  meta: { utcOffsetMinutes: OFFSET_MINUTES },
  evaluation: { measurement: measured() },
} as unknown as SimulationResult;

describe('M&V KPIs', () => {
  const value = (id: string) => MEASUREMENT_KPIS.find((kpi) => kpi.id === id)?.of(result) ?? null;

  it('defines the agreed ids', () => {
    expect(MEASUREMENT_KPIS.map((kpi) => kpi.id)).toEqual(
      expect.arrayContaining([
        'delivered-flexibility-counterfactual',
        'delivered-flexibility-10-in-10',
        'delivered-flexibility-weather-regression',
        'baseline-error-10-in-10',
        'baseline-error-weather-regression',
      ]),
    );
  });

  it('computes delivered flexibility and baseline error by hand', () => {
    // Counterfactual: 2 customers × 2 h × (2 − 1.5) = 2 kWh.
    expect(value('delivered-flexibility-counterfactual')).toEqual({ value: 2 });
    // 10-in-10: like days read 2.5, the adjustment hours 12-14 read 2.5 too (ratio 1): 2 × 2 × (2.5 − 1.5).
    expect(value('delivered-flexibility-10-in-10')).toEqual({ value: 4 });
    // Its error against the counterfactual: (2.5 − 2) / 2 = 25 %, in both senses.
    expect(value('baseline-error-10-in-10')?.value).toBeCloseTo(25, 9);
    expect(value('baseline-bias-10-in-10')?.value).toBeCloseTo(25, 9);
    expect(value('delivered-flexibility-weather-regression')).toBeNull();
    expect(value('baseline-error-weather-regression')).toBeNull();
  });
});

describe('delivered flexibility per slot', () => {
  it("spreads an hour's baseline evenly over its 15-minute slots", () => {
    const quarterly = measured(4);
    const [counterfactual, caiso] = quarterly.methods;
    if (!counterfactual?.available || !caiso?.available) throw new Error('unavailable');
    const slotsOf = (m: typeof caiso) => Array.from((m.events[0] as EventMeasurement).perSlotDeliveredKw);
    // 8 slots from 16:00 to 18:00; 10-in-10: 2 × 2.5 − 2 × 1.5 = 2 kW; counterfactual: 2 × 2 − 2 × 1.5 = 1 kW.
    expect(quarterly.eventSlotStartMs[0]).toHaveLength(8);
    expect(slotsOf(caiso)).toEqual(new Array(8).fill(2));
    expect(slotsOf(counterfactual)).toEqual(new Array(8).fill(1));
    expect((caiso.events[0] as EventMeasurement).deliveredKwh).toBeCloseTo(8 * 2 * 0.25, 9);
  });
});

describe('M&V report section', () => {
  const section = measurementSection(result);
  if (section === null) throw new Error('no section');

  it('shows each baseline per event, with the regression unavailable and why', () => {
    const text = section.text().join('\n');
    expect(text).toContain('2026-07-15T16:00:00-07:00 to 2026-07-15T18:00:00-07:00 (event): metered 6.0 kWh');
    expect(text).toMatch(
      /Counterfactual \(no market\)\s+baseline 8\.0 kWh, delivered \+2\.0 kWh \(\+1\.0 kW mean\)/,
    );
    expect(text).toMatch(
      /CAISO 10-in-10\s+delivered \+4\.0 kWh over 1\/1 windows; bias \+25\.0%, hourly abs\. error 25\.0%/,
    );
    expect(text).toContain('Weather regression');
    expect(text).toContain('unavailable: the regression is singular');
  });

  it('writes escaped HTML and JSON without NaN', () => {
    const html = section.html();
    expect(html).toContain('<table>');
    expect(html).not.toContain('NaN');
    expect(html).toContain('1 evaluated window, 2 customers, pre-period 7 days');
    expect(html).toContain('<li>CAISO 10-in-10: 5 weekday like days</li>');
    const json = JSON.stringify(section.json());
    expect(json).not.toContain('NaN');
    const parsed = JSON.parse(json) as { methods: { method: string; deliveredKwh?: number }[] };
    expect(parsed.methods.map((m) => [m.method, m.deliveredKwh ?? null])).toEqual([
      ['counterfactual', 2],
      ['caiso-10-in-10', 4],
      ['weather-regression', null],
    ]);
  });

  it('is absent without M&V', () => {
    expect(measurementSection({ meta: result.meta } as SimulationResult)).toBeNull();
  });
});
