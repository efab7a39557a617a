/**
 * A first-order lag for the open-loop response of IEEE 1547-2018 (clause 1.4 definition: the time to
 * reach 90 % of a step change). With y' = (target − y)/τ a step reaches 1 − e^(−t/τ), which is 90 % at
 * t = τ·ln 10, so τ = T_olrt / ln 10 ≈ T_olrt / 2.303. The step uses the exact discretisation
 * y += (target − y)(1 − e^(−dt/τ)), which is stable for any dt and hits 90 % at T_olrt for every dt that
 * divides it.
 */
export function timeConstantFromOpenLoopResponseTimeS(openLoopResponseTimeS: number): number {
  return openLoopResponseTimeS / Math.LN10;
}

export class FirstOrderLag {
  private outputValue: number;

  constructor(
    readonly timeConstantS: number,
    initialValue = 0,
  ) {
    this.outputValue = initialValue;
  }

  static fromOpenLoopResponseTime(openLoopResponseTimeS: number, initialValue = 0): FirstOrderLag {
    return new FirstOrderLag(timeConstantFromOpenLoopResponseTimeS(openLoopResponseTimeS), initialValue);
  }

  get value(): number {
    return this.outputValue;
  }

  /** Moves toward `target` over dtS seconds and returns the new output. A zero time constant follows at once. */
  step(dtS: number, target: number): number {
    if (!(this.timeConstantS > 0) || !Number.isFinite(this.outputValue)) {
      this.outputValue = target;
    } else if (dtS > 0) {
      this.outputValue += (target - this.outputValue) * -Math.expm1(-dtS / this.timeConstantS);
    }
    return this.outputValue;
  }

  reset(value: number): void {
    this.outputValue = value;
  }
}
