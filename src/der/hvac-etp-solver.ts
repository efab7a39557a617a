/**
 * Exact solution of the two-node ETP house model (GridLAB-D house_e) over an interval with constant inputs:
 *
 *   Ca dTa/dt = Hm (Tm − Ta) + UA (To − Ta) + Qa
 *   Cm dTm/dt = Hm (Ta − Tm) + Qm
 *
 * The 2×2 system has two real negative eigenvalues, so T(t) = T* + e^{λ1 t} P1 d0 + e^{λ2 t} P2 d0 with
 * the spectral projectors P1, P2 and the deviation d0 from the equilibrium T*. The eigen-decomposition is
 * computed once per house; a segment costs two exponentials per evaluation and allocates nothing.
 * Time is in hours.
 */
import type { EtpCoefficients } from './hvac-envelope.js';

export class EtpSolver {
  private readonly ua: number;
  private readonly hm: number;
  private readonly a11: number;
  private readonly a12: number;
  private readonly a21: number;
  private readonly a22: number;
  readonly lambda1PerHour: number;
  readonly lambda2PerHour: number;
  private readonly inverseLambdaGap: number;
  private airEquilibriumF = 0;
  private massEquilibriumF = 0;
  private air1 = 0;
  private air2 = 0;
  private mass1 = 0;
  private mass2 = 0;

  constructor(etp: EtpCoefficients) {
    this.ua = etp.uaBtuPerHF;
    this.hm = etp.massConductanceBtuPerHF;
    const ca = etp.airCapacitanceBtuPerF;
    const cm = etp.massCapacitanceBtuPerF;
    this.a11 = -(this.ua + this.hm) / ca;
    this.a12 = this.hm / ca;
    this.a21 = this.hm / cm;
    this.a22 = -this.hm / cm;
    const halfTrace = (this.a11 + this.a22) / 2;
    const determinant = this.a11 * this.a22 - this.a12 * this.a21;
    const root = Math.sqrt(halfTrace * halfTrace - determinant);
    this.lambda1PerHour = halfTrace + root;
    this.lambda2PerHour = halfTrace - root;
    this.inverseLambdaGap = 1 / (this.lambda1PerHour - this.lambda2PerHour);
  }

  /** Start a segment from (airF, massF) with constant outdoor temperature and heat gains (Btu/h). */
  setSegment(
    airF: number,
    massF: number,
    outdoorF: number,
    airGainBtuPerHour: number,
    massGainBtuPerHour: number,
  ): void {
    this.airEquilibriumF = outdoorF + (airGainBtuPerHour + massGainBtuPerHour) / this.ua;
    this.massEquilibriumF = this.airEquilibriumF + massGainBtuPerHour / this.hm;
    const dAir = airF - this.airEquilibriumF;
    const dMass = massF - this.massEquilibriumF;
    this.air1 = ((this.a11 - this.lambda2PerHour) * dAir + this.a12 * dMass) * this.inverseLambdaGap;
    this.air2 = dAir - this.air1;
    this.mass1 = (this.a21 * dAir + (this.a22 - this.lambda2PerHour) * dMass) * this.inverseLambdaGap;
    this.mass2 = dMass - this.mass1;
  }

  airAt(hours: number): number {
    return (
      this.airEquilibriumF +
      this.air1 * Math.exp(this.lambda1PerHour * hours) +
      this.air2 * Math.exp(this.lambda2PerHour * hours)
    );
  }

  airSlopeAt(hours: number): number {
    return (
      this.lambda1PerHour * this.air1 * Math.exp(this.lambda1PerHour * hours) +
      this.lambda2PerHour * this.air2 * Math.exp(this.lambda2PerHour * hours)
    );
  }

  massAt(hours: number): number {
    return (
      this.massEquilibriumF +
      this.mass1 * Math.exp(this.lambda1PerHour * hours) +
      this.mass2 * Math.exp(this.lambda2PerHour * hours)
    );
  }

  /** Air temperature the segment tends to. */
  get airEquilibrium(): number {
    return this.airEquilibriumF;
  }

  /**
   * The time in [startHours, endHours] at which the air reaches `thresholdF`, given that it is on opposite
   * sides at the two ends: Newton steps on the closed form, kept inside a shrinking bracket.
   */
  crossingTime(startHours: number, endHours: number, thresholdF: number): number {
    let low = startHours;
    let high = endHours;
    const lowSign = Math.sign(this.airAt(low) - thresholdF);
    let t = (low + high) / 2;
    for (let i = 0; i < 40; i++) {
      const value = this.airAt(t) - thresholdF;
      if (Math.abs(value) < 1e-9 || high - low < 1e-9) return t;
      if (Math.sign(value) === lowSign) low = t;
      else high = t;
      const slope = this.airSlopeAt(t);
      const newton = slope === 0 ? Number.NaN : t - value / slope;
      t = newton > low && newton < high ? newton : (low + high) / 2;
    }
    return t;
  }
}
