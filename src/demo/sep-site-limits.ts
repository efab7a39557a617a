/**
 * The 2030.5 controls a demo home follows, acting on its physics. At the start of each slot's physics
 * step the community freezes, for every 2030.5 home, the directive its inverter client follows at that
 * moment and the site around it (the rest of the house at its last metered power, the PV's output under
 * the slot's weather), as OpenEMS freezes a cycle's inputs, and turns them into active-power limits on the
 * home's PV and battery for the step:
 *
 * - opModConnect or opModEnergize false: both give and take nothing.
 * - opModMaxLimWInject (the DSO's envelope or the default export limit): what the PV and the battery give
 *   together is capped at the limit plus the rest of the house's load, so the site exports at most the
 *   limit. The PV has the first claim on it (sun not used is lost; charge not used stays stored).
 * - opModMaxLimWAbsorb: the battery charges at most what keeps the site's import within the limit.
 * - opModMaxLimW: caps the generation of the device the 2030.5 client runs.
 *
 * The market's target (opModTargetW) stays advisory: the market's dispatch already runs the home's devices
 * to its fills. Homes this class does not follow are never touched.
 */
import type { TimeSlot } from '../core/time.js';
import type { BatteryAgent } from '../der/battery.js';
import { pvAcOutputKw, type PvAgent } from '../der/pv.js';
import type { ActivePowerLimit, DerAgent, WeatherSnapshot } from '../der/types.js';
import type { Premises } from '../engine/ports.js';
import type { InverterDirective } from '../ieee2030-5/client/inverter-mapping.js';

/** The site around a home's inverters at the start of a slot, frozen for the slot's step. */
export interface FrozenSite {
  /** The rest of the house (every device but the PV and the battery), kW, load reference. */
  readonly otherLoadKw: number;
  /** What the PV would give over the slot without a limit, kW ≥ 0 (0 without PV). */
  readonly pvAvailableKw: number;
}

export interface InverterLimits {
  readonly pv?: ActivePowerLimit;
  readonly battery?: ActivePowerLimit;
}

const NOTHING: ActivePowerLimit = { maxGenerationKw: 0, maxAbsorbKw: 0 };

/**
 * The limits that keep a home within its directive over a slot; empty when the directive limits
 * nothing. `controlled` is the device the 2030.5 client runs (opModMaxLimW is a share of its rating).
 */
export function inverterLimitsFor(
  directive: InverterDirective,
  site: FrozenSite,
  controlled: 'pv' | 'battery',
): InverterLimits {
  if (!directive.connected) return { pv: NOTHING, battery: NOTHING };
  const { maxExportKw, maxImportKw, maxGenerationKw } = directive;
  if (maxExportKw === undefined && maxImportKw === undefined && maxGenerationKw === undefined) return {};
  const unlimited = Number.POSITIVE_INFINITY;
  const injectionKw = maxExportKw === undefined ? unlimited : Math.max(0, maxExportKw + site.otherLoadKw);
  const pvMaxKw = Math.min(injectionKw, controlled === 'pv' ? (maxGenerationKw ?? unlimited) : unlimited);
  const pvKw = Math.min(Math.max(0, site.pvAvailableKw), pvMaxKw);
  const batteryMaxKw = Math.min(
    Math.max(0, injectionKw - pvKw),
    controlled === 'battery' ? (maxGenerationKw ?? unlimited) : unlimited,
  );
  const absorbKw = maxImportKw === undefined ? undefined : Math.max(0, maxImportKw - site.otherLoadKw + pvKw);
  return {
    ...(pvMaxKw === unlimited ? {} : { pv: { maxGenerationKw: pvMaxKw } }),
    ...(batteryMaxKw === unlimited && absorbKw === undefined
      ? {}
      : {
          battery: {
            maxGenerationKw: batteryMaxKw,
            ...(absorbKw === undefined ? {} : { maxAbsorbKw: absorbKw }),
          },
        }),
  };
}

interface FollowedHome {
  readonly pv: PvAgent | undefined;
  readonly battery: BatteryAgent | undefined;
  readonly others: readonly DerAgent[];
  readonly controlled: 'pv' | 'battery';
  /** The directive the home's 2030.5 client follows now. */
  readonly directive: () => InverterDirective;
}

export class SepSiteLimits {
  readonly #homes: FollowedHome[] = [];
  #curtailedKwh = 0;

  /** From now on, the home's PV and battery follow the directive `directive()` gives at each slot. */
  follow(premises: Premises, directive: () => InverterDirective): void {
    const pv = premises.devices.find((d): d is PvAgent => d.kind === 'pv');
    const battery = premises.devices.find((d): d is BatteryAgent => d.kind === 'battery');
    if (pv === undefined && battery === undefined) return;
    this.#homes.push({
      pv,
      battery,
      others: premises.devices.filter((d) => d !== pv && d !== battery),
      controlled: pv === undefined ? 'battery' : 'pv',
      directive,
    });
  }

  get homes(): number {
    return this.#homes.length;
  }

  /** Energy the limits held back from the homes' PV and batteries so far, kWh. */
  get curtailedKwh(): number {
    return this.#curtailedKwh;
  }

  /** Before the slot's step: every followed home's limits from its directive and site, frozen now. */
  limitSlot(stepWeather: WeatherSnapshot): void {
    for (const home of this.#homes) {
      let otherLoadKw = 0;
      for (const device of home.others) otherLoadKw += device.observe().powerKw;
      const site: FrozenSite = {
        otherLoadKw,
        pvAvailableKw: home.pv === undefined ? 0 : pvAcOutputKw(home.pv.params, stepWeather),
      };
      const limits = inverterLimitsFor(home.directive(), site, home.controlled);
      home.pv?.limitActivePower(limits.pv);
      home.battery?.limitActivePower(limits.battery);
    }
  }

  /** After the slot's step: adds what the limits held back. */
  countSlot(slot: TimeSlot): void {
    const hours = (slot.endMs - slot.startMs) / 3_600_000;
    for (const home of this.#homes) {
      const curtailedKw = (home.pv?.observe().curtailedKw ?? 0) + (home.battery?.observe().curtailedKw ?? 0);
      this.#curtailedKwh += curtailedKw * hours;
    }
  }
}
