/**
 * What each demo home reports about its devices once a slot has been stepped: each device's average
 * power, a word for what it is doing, its state of charge or temperatures, and the bid it made for the
 * slot with the price it expected and the price that cleared (so the dashboard can show why it acted).
 * Read from the agents after the step; nothing here changes them.
 */
import type { TimeSlot } from '../core/time.js';
import type { EvAgent } from '../der/ev.js';
import type { BatteryAgent } from '../der/battery.js';
import type { HvacAgent } from '../der/hvac-agent.js';
import type { DerAgent, DerObservation } from '../der/types.js';
import type { WaterHeaterAgent } from '../der/water-heater-agent.js';
import type { TransactiveCycle } from '../engine/transactive-cycle.js';
import { BUY, type OrderTable } from '../market/mechanism/order-table.js';
import type { DeviceTelemetryInput } from './api-client.js';
import { apiIdFor } from './home-registration.js';

/** Below this a device is idle rather than charging or producing (kW). */
const IDLE_KW = 1e-3;

/**
 * Each device's bid for a slot, taken from the order table at gate closure (the table is reused for the
 * next slot). A device with several steps reports the price of its largest step, and the quantity of all
 * its steps on that step's side, signed (buy positive, sell negative): a water heater's must-run and
 * flexible parts add up; a battery offering both sides shows the side it bid most on.
 */
export class SlotBids {
  private constructor(
    readonly pricePerKwh: Float64Array,
    readonly quantityKw: Float64Array,
    readonly bid: Uint8Array,
    /** The mean of recent clearing prices the devices bid against. */
    readonly expectedPricePerKwh: number,
  ) {}

  static capture(cycle: TransactiveCycle, table: OrderTable, expectedPricePerKwh: number): SlotBids {
    const n = cycle.devices.length;
    const bids = new SlotBids(
      new Float64Array(n),
      new Float64Array(n),
      new Uint8Array(n),
      expectedPricePerKwh,
    );
    const largest = new Float64Array(n);
    const buyKw = new Float64Array(n);
    const sellKw = new Float64Array(n);
    const largestSide = new Uint8Array(n);
    const rowDevice = cycle.bidRowDevice;
    for (let r = 0; r < table.rows; r++) {
      const d = rowDevice[r] ?? -1;
      if (d < 0) continue;
      const quantity = table.quantity[r] ?? 0;
      const buy = table.side[r] === BUY;
      if (buy) buyKw[d] = (buyKw[d] ?? 0) + quantity;
      else sellKw[d] = (sellKw[d] ?? 0) + quantity;
      if (bids.bid[d] === 0 || quantity > (largest[d] ?? 0)) {
        largest[d] = quantity;
        largestSide[d] = buy ? 1 : 0;
        bids.pricePerKwh[d] = table.price[r] ?? Number.NaN;
      }
      bids.bid[d] = 1;
    }
    for (let d = 0; d < n; d++) {
      bids.quantityKw[d] = largestSide[d] === 1 ? (buyKw[d] ?? 0) : -(sellKw[d] ?? 0);
    }
    return bids;
  }
}

/**
 * Every premises' samples for the slot (index by premises), timed at the slot's start like its meter
 * reading. `bids` is null when the homes did not bid (too late for the gate); `clearingPricePerKwh` null
 * when the slot did not clear to a single price.
 */
export function communityTelemetry(
  cycle: TransactiveCycle,
  slot: TimeSlot,
  bids: SlotBids | null,
  clearingPricePerKwh: number | null,
): DeviceTelemetryInput[][] {
  const byPremises: DeviceTelemetryInput[][] = cycle.premises.map(() => []);
  cycle.devices.forEach((device, d) => {
    const observed = device.observe();
    const sample: Record<string, number | string> = {
      deviceId: apiIdFor(device.id),
      timeMs: slot.startMs,
      powerKw: finiteOr(observed.powerKw, 0),
      ...deviceState(device, observed),
    };
    if (bids !== null && bids.bid[d] === 1) {
      putFinite(sample, 'bidPricePerKwh', bids.pricePerKwh[d]);
      putFinite(sample, 'bidQuantityKw', bids.quantityKw[d]);
      putFinite(sample, 'expectedPricePerKwh', bids.expectedPricePerKwh);
    }
    if (clearingPricePerKwh !== null) putFinite(sample, 'clearingPricePerKwh', clearingPricePerKwh);
    byPremises[cycle.devicePremises[d] ?? 0]?.push(sample as unknown as DeviceTelemetryInput);
  });
  return byPremises;
}

/** The kind's own figures: what it is doing, and its state of charge or temperatures. */
function deviceState(device: DerAgent, observed: DerObservation): Record<string, number | string> {
  const powerKw = observed.powerKw;
  const out: Record<string, number | string> = {};
  switch (device.kind) {
    case 'hvac': {
      const hvac = device as HvacAgent;
      const state = hvac.thermostatState;
      const p = hvac.params;
      // While off, the setpoint that matters is the one the air drifts toward.
      const cooling =
        state === 'cooling' ||
        (state === 'off' && hvac.airTempF >= (p.coolingSetpointF + p.heatingSetpointF) / 2);
      out.state = state;
      putFinite(out, 'indoorTempF', observed.indoorTempF);
      putFinite(out, 'setpointF', cooling ? hvac.coolingSetpointF : hvac.heatingSetpointF);
      putFinite(out, 'comfortLowF', observed.comfortLowF);
      putFinite(out, 'comfortHighF', observed.comfortHighF);
      break;
    }
    case 'water-heater': {
      const heater = device as WaterHeaterAgent;
      out.state = heater.elementOn ? 'heating' : 'idle';
      putFinite(out, 'tankTempF', heater.tankTempF);
      putFinite(out, 'setpointF', heater.activeSetpointF);
      break;
    }
    case 'battery': {
      const battery = device as BatteryAgent;
      out.state = powerKw > IDLE_KW ? 'charging' : powerKw < -IDLE_KW ? 'discharging' : 'idle';
      putFinite(out, 'socPct', (100 * battery.stateOfChargeKwh) / battery.params.capacityKwh);
      break;
    }
    case 'ev': {
      const ev = device as EvAgent;
      const socPct = ev.stateOfChargePct;
      // Away from home the car is off as far as the home can tell.
      out.state = socPct === null ? 'off' : powerKw > IDLE_KW ? 'charging' : 'idle';
      if (socPct !== null) putFinite(out, 'socPct', socPct);
      break;
    }
    case 'pv':
      out.state = powerKw < -IDLE_KW ? 'on' : 'off';
      break;
    case 'base-load':
      out.state = 'on';
      break;
  }
  return out;
}

/** The API refuses NaN and infinities (JSON has neither): a figure the model cannot give is left out. */
function putFinite(target: Record<string, number | string>, key: string, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) target[key] = value;
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}
