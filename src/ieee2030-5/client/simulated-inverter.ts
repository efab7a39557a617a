/**
 * A simulated smart inverter driven by 2030.5 controls: the directive's limits and setpoint give the active
 * power it aims for, and tenet's IEEE 1547 InverterController (volt-watt, the reactive mode, the kVA limit,
 * the modes' response times) gives what it actually does. The site meter (the inverter plus the rest of
 * the site's load) is integrated into import and export energy for telemetry.
 */
import { InverterController, type InverterSettings } from '../../der/inverter/index.js';
import {
  directedActivePowerKw,
  inverterDirective,
  type InverterDirective,
  type SiteConditions,
} from './inverter-mapping.js';

/** The site as measured at one moment: its conditions and the voltage at the inverter's terminals. */
export interface SiteMeasurement extends SiteConditions {
  readonly vPu: number;
  readonly frequencyHz?: number;
}

export interface InverterOutput {
  /** Load reference: negative is generation or discharge. */
  readonly pKw: number;
  /** Positive is absorbing. */
  readonly qKvar: number;
  /** The site meter: the inverter plus the rest of the site's load (positive import). */
  readonly siteKw: number;
}

export class SimulatedSepInverter {
  #directive: InverterDirective;
  #controller: InverterController;
  #output: InverterOutput = { pKw: 0, qKvar: 0, siteKw: 0 };
  #importWh = 0;
  #exportWh = 0;
  #settingsKey: string;

  constructor(readonly device: InverterSettings) {
    this.#directive = inverterDirective({}, new Map(), device);
    this.#controller = new InverterController(device);
    this.#settingsKey = JSON.stringify(device);
  }

  get directive(): InverterDirective {
    return this.#directive;
  }

  get output(): InverterOutput {
    return this.#output;
  }

  /**
   * Follows a new directive. Settings that differ in value (every poll builds new objects) start a new
   * controller, so a changed mode starts from where the standard's response begins; the same settings
   * keep the running one and its lags.
   */
  apply(directive: InverterDirective): void {
    if (JSON.stringify(directive.settings) !== this.#settingsKey) {
      this.#controller = new InverterController(directive.settings, 1);
      this.#settingsKey = JSON.stringify(directive.settings);
    }
    this.#directive = directive;
  }

  /** Runs dtS seconds at `site`, adding the site meter's energy to the counters. */
  step(dtS: number, site: SiteMeasurement): InverterOutput {
    const { rating } = this.device;
    const pKw = directedActivePowerKw(this.#directive, this.#controller.settings, site);
    const availableKw = this.#directive.connected ? Math.max(0, site.availableGenerationKw) : 0;
    this.#controller.step(
      dtS,
      site.vPu,
      site.frequencyHz ?? 60,
      pKw / rating.pRatedKw,
      availableKw / rating.pRatedKw,
    );
    const outPKw = this.#controller.pPu * rating.pRatedKw;
    const siteKw = site.siteLoadKw + outPKw;
    const energyWh = (siteKw * dtS * 1000) / 3600;
    if (energyWh > 0) this.#importWh += energyWh;
    else this.#exportWh -= energyWh;
    this.#output = { pKw: outPKw, qKvar: this.#controller.qPu * rating.sRatedKva, siteKw };
    return this.#output;
  }

  /** Import and export energy at the site meter since the last call (both ≥ 0), and resets them. */
  takeEnergy(): { readonly importWh: number; readonly exportWh: number } {
    const taken = { importWh: this.#importWh, exportWh: this.#exportWh };
    this.#importWh = 0;
    this.#exportWh = 0;
    return taken;
  }
}
