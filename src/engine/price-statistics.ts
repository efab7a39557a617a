/**
 * Rolling mean and standard deviation of recent clearing prices. Transactive thermostats bid relative to
 * them (GridLAB-D's controller and TESP's agents use a one-day window). Until the window has filled, the
 * configured prior counts for the missing samples, so early bids are not driven by one or two prices.
 */
export class PriceStatistics {
  private readonly window: Float64Array;
  private count = 0;
  private next = 0;

  constructor(
    windowSlots: number,
    private readonly priorMeanPerKwh: number,
    private readonly priorStdevPerKwh: number,
  ) {
    this.window = new Float64Array(Math.max(1, Math.floor(windowSlots)));
  }

  record(pricePerKwh: number): void {
    if (!Number.isFinite(pricePerKwh)) return;
    this.window[this.next] = pricePerKwh;
    this.next = (this.next + 1) % this.window.length;
    if (this.count < this.window.length) this.count++;
  }

  get meanPerKwh(): number {
    const missing = this.window.length - this.count;
    let sum = missing * this.priorMeanPerKwh;
    for (let i = 0; i < this.count; i++) sum += this.window[i] ?? 0;
    return sum / this.window.length;
  }

  get stdevPerKwh(): number {
    const mean = this.meanPerKwh;
    const missing = this.window.length - this.count;
    // The prior contributes its own spread as well as its mean.
    let squares = missing * (this.priorStdevPerKwh ** 2 + (this.priorMeanPerKwh - mean) ** 2);
    for (let i = 0; i < this.count; i++) squares += ((this.window[i] ?? 0) - mean) ** 2;
    const stdev = Math.sqrt(squares / this.window.length);
    // A zero spread would make ramp bids divide by zero; keep a floor of 1 % of the mean.
    return Math.max(stdev, Math.abs(mean) * 0.01, 1e-6);
  }
}
