/** M&V of a finished simulation: the event windows, the runs' meters and the pre-period, measured. */
import type { PremisesMeters, SimulationRun } from '../results.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import { eventWindows, LocalCalendar } from './event-windows.js';
import { measureAndVerify, type MeasurementAndVerification } from './measurement.js';

export function measureSimulation(
  scenario: Pick<
    Scenario,
    'eventsMs' | 'startMs' | 'endMs' | 'utcOffsetMinutes' | 'evaluation' | 'marketPeriodMs'
  >,
  slotStartMs: Float64Array,
  te: SimulationRun,
  baseline: SimulationRun,
  history: PremisesMeters | undefined,
): MeasurementAndVerification | undefined {
  if (te.meters === undefined || baseline.meters === undefined) return undefined;
  return measureAndVerify({
    windows: eventWindows(scenario),
    calendar: new LocalCalendar(scenario.utcOffsetMinutes),
    metered: te.meters,
    counterfactual: baseline.meters,
    ...(history === undefined ? {} : { history }),
    slotStartMs,
    marketPeriodMs: scenario.marketPeriodMs,
    // The substation load of a run is the sum of its premises' meters in each slot.
    meteredSlotLoadKw: te.series.substationLoadKw,
    counterfactualSlotLoadKw: baseline.series.substationLoadKw,
  });
}
