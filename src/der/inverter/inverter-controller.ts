/**
 * A stateful inverter that moves toward the steady-state operating point with each function's open-loop
 * response time (first-order lags), stepped by a simulation with the measured voltage and frequency.
 * What lags: the reactive target (the mode's response time), the volt-watt generation limit and the
 * droop's change of generation (their response times), and the autonomous V_ref (its time constant,
 * not a 90 % time). The desired active power itself passes at once (the sun or a dispatch changes it),
 * and the kVA and capability limits act at once (they are hardware). step() allocates nothing.
 */
import {
  applyGenerationChangePu,
  frequencyDroopGenerationChangePu,
  voltWattGenerationLimitPu,
} from './active-power-modes.js';
import { NOMINAL_FREQUENCY_HZ, VOLT_VAR_RANGES_B } from './ieee1547-defaults.js';
import { FirstOrderLag } from './first-order-lag.js';
import type { InverterSettings } from './inverter-settings.js';
import { limitKeepingPowerFactor, limitToCapability, type InverterCommandBuffer } from './power-limits.js';
import { reactivePowerTargetQPu } from './reactive-power-modes.js';

export class InverterController {
  private readonly reactiveLag: FirstOrderLag;
  private readonly voltWattLag: FirstOrderLag;
  private readonly droopLag: FirstOrderLag;
  private readonly vrefLag: FirstOrderLag | undefined;
  private readonly output: InverterCommandBuffer = { pPu: 0, qPu: 0 };

  constructor(
    readonly settings: InverterSettings,
    initialVPu = 1,
    initialFrequencyHz = NOMINAL_FREQUENCY_HZ,
  ) {
    const mode = settings.reactive;
    this.reactiveLag = FirstOrderLag.fromOpenLoopResponseTime(mode.openLoopResponseTimeS);
    this.voltWattLag = FirstOrderLag.fromOpenLoopResponseTime(
      settings.voltWatt?.openLoopResponseTimeS ?? 0,
      settings.voltWatt === undefined ? 1 : voltWattGenerationLimitPu(initialVPu, settings.voltWatt),
    );
    this.droopLag = FirstOrderLag.fromOpenLoopResponseTime(
      settings.frequencyDroop?.openLoopResponseTimeS ?? 0,
      settings.frequencyDroop === undefined
        ? 0
        : frequencyDroopGenerationChangePu(initialFrequencyHz, settings.frequencyDroop),
    );
    this.vrefLag =
      mode.kind === 'volt-var' && mode.vrefAdjustment.enabled
        ? new FirstOrderLag(mode.vrefAdjustment.timeConstantS, mode.vrefPu)
        : undefined;
  }

  /** Active power, load reference, per unit of P_rated. */
  get pPu(): number {
    return this.output.pPu;
  }

  /** Reactive power, load reference (positive = absorbing), per unit of S_rated. */
  get qPu(): number {
    return this.output.qPu;
  }

  /** The V_ref in effect (the setting unless autonomous adjustment is on). */
  get vrefPu(): number {
    const mode = this.settings.reactive;
    if (this.vrefLag !== undefined) return this.vrefLag.value;
    return mode.kind === 'volt-var' ? mode.vrefPu : 1;
  }

  step(
    dtS: number,
    vPu: number,
    frequencyHz: number,
    pDesiredPu: number,
    pAvailableGenerationPu: number,
  ): void {
    const { settings } = this;
    const { rating } = settings;
    if (this.vrefLag !== undefined) {
      this.vrefLag.step(dtS, vPu);
      const [vrefMinPu, vrefMaxPu] = VOLT_VAR_RANGES_B.vrefPu;
      this.vrefLag.reset(Math.min(vrefMaxPu, Math.max(vrefMinPu, this.vrefLag.value)));
    }
    let pPu = pDesiredPu;
    if (settings.voltWatt !== undefined) {
      const limitPu = this.voltWattLag.step(dtS, voltWattGenerationLimitPu(vPu, settings.voltWatt));
      pPu = Math.max(pPu, -limitPu);
    }
    if (settings.frequencyDroop !== undefined) {
      const changePu = this.droopLag.step(
        dtS,
        frequencyDroopGenerationChangePu(frequencyHz, settings.frequencyDroop),
      );
      pPu = applyGenerationChangePu(
        pPu,
        changePu,
        settings.frequencyDroop.pMinGenerationPu,
        pAvailableGenerationPu,
      );
    }
    const maxAbsorbPu = rating.pMaxAbsorbKw / rating.pRatedKw;
    pPu = Math.min(maxAbsorbPu, Math.max(-Math.max(0, pAvailableGenerationPu), pPu));
    const qPu = this.reactiveLag.step(
      dtS,
      reactivePowerTargetQPu(settings.reactive, vPu, pPu, rating, this.vrefPu),
    );
    if (settings.reactive.kind === 'constant-power-factor' && settings.priority === 'reactive') {
      limitKeepingPowerFactor(pPu, qPu, rating, this.output);
    } else {
      limitToCapability(pPu, qPu, rating, settings.priority, this.output);
    }
  }
}
