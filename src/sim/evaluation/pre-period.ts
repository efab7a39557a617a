/**
 * The pre-period: `evaluation.historyDays` simulated before the horizon on the same population (same seed)
 * in baseline mode (no market, fixed tariff), as the utility's meter history before a pilot. Its meters
 * feed the 10-in-10 and weather-regression baselines and the forecasts' training.
 */
import { TeError } from '../../core/errors.js';
import { MS_PER_DAY, slotsBetween, type TimeSlot } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';
import type { Scenario } from '../scenario/parse-scenario.js';

export function prePeriodStartMs(scenario: Pick<Scenario, 'startMs' | 'evaluation'>): number {
  return scenario.startMs - scenario.evaluation.historyDays * MS_PER_DAY;
}

/** The pre-period's market slots, [start − historyDays, start); empty without history. */
export function prePeriodSlots(
  scenario: Pick<Scenario, 'startMs' | 'evaluation' | 'marketPeriodMs'>,
): TimeSlot[] {
  if (scenario.evaluation.historyDays <= 0) return [];
  return slotsBetween(prePeriodStartMs(scenario), scenario.startMs, scenario.marketPeriodMs);
}

/** One contiguous meter timeline: the pre-period followed by the horizon (same premises). */
export function joinMeters(history: PremisesMeters | undefined, horizon: PremisesMeters): PremisesMeters {
  if (history === undefined) return horizon;
  if (
    history.premises !== horizon.premises ||
    history.startMs + history.hours * 3_600_000 !== horizon.startMs
  ) {
    throw new TeError('TE_ERR_SCENARIO', 'the pre-period meters do not end where the horizon starts', {
      hint: 'the pre-period must be whole days immediately before start',
    });
  }
  const hours = history.hours + horizon.hours;
  const join = (a: Float32Array, b: Float32Array) => {
    const out = new Float32Array(history.premises * hours);
    for (let p = 0; p < history.premises; p++) {
      out.set(a.subarray(p * history.hours, (p + 1) * history.hours), p * hours);
      out.set(b.subarray(p * horizon.hours, (p + 1) * horizon.hours), p * hours + history.hours);
    }
    return out;
  };
  const outdoorTempF = new Float64Array(hours);
  outdoorTempF.set(history.outdoorTempF, 0);
  outdoorTempF.set(horizon.outdoorTempF, history.hours);
  return {
    startMs: history.startMs,
    hours,
    premises: history.premises,
    netLoadKwh: join(history.netLoadKwh, horizon.netLoadKwh),
    pvKwh: join(history.pvKwh, horizon.pvKwh),
    outdoorTempF,
  };
}
