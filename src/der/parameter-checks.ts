/**
 * Range checks shared by the DER parameter validators. Each failure becomes a TE_ERR_DER_PARAMETER error
 * naming the device kind, the parameter, its value and the allowed range, so a scenario author can fix it.
 */
import { TeError } from '../core/errors.js';

export class ParameterChecker {
  readonly errors: TeError[] = [];

  constructor(private readonly kind: string) {}

  /** `value` must be finite and lie in [min, max]. */
  range(name: string, value: number, min: number, max: number, unit = ''): this {
    if (!Number.isFinite(value) || value < min || value > max) {
      const unitText = unit === '' ? '' : ` ${unit}`;
      this.errors.push(
        new TeError(
          'TE_ERR_DER_PARAMETER',
          `${this.kind} parameter ${name} = ${String(value)} is outside the allowed range [${min}, ${max}]${unitText}`,
          { path: `${this.kind}.${name}`, hint: `set ${name} between ${min} and ${max}${unitText}` },
        ),
      );
    }
    return this;
  }

  /** A relation between parameters that ranges alone cannot express. */
  require(name: string, condition: boolean, message: string, hint: string): this {
    if (!condition) {
      this.errors.push(
        new TeError('TE_ERR_DER_PARAMETER', `${this.kind} parameter ${name}: ${message}`, {
          path: `${this.kind}.${name}`,
          hint,
        }),
      );
    }
    return this;
  }

  oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): this {
    return this.require(
      name,
      allowed.includes(value),
      `${String(value)} is not one of ${allowed.join(', ')}`,
      `use one of ${allowed.join(', ')}`,
    );
  }
}

/** Throws the first validation error; the agents' constructors use it so a bad device never runs. */
export function throwIfInvalid(errors: readonly TeError[]): void {
  const first = errors[0];
  if (first !== undefined) throw first;
}

/** Local hour of day in [0, 24) for a UTC offset in hours (standard time, as TMY and tariffs use). */
export function localHourOfDay(timeMs: number, utcOffsetHours: number): number {
  const hours = timeMs / 3_600_000 + utcOffsetHours;
  return ((hours % 24) + 24) % 24;
}

/** Whole local days since the epoch, for per-day random draws. */
export function localDayIndex(timeMs: number, utcOffsetHours: number): number {
  return Math.floor((timeMs / 3_600_000 + utcOffsetHours) / 24);
}

/** Linear interpolation in a 24-entry hourly shape whose entry h applies at h:30 local time (hour centre). */
export function interpolateHourlyShape(shape: readonly number[], localHour: number): number {
  const position = localHour - 0.5;
  const lower = Math.floor(position);
  const fraction = position - lower;
  const a = shape[(lower + 24) % 24] ?? 0;
  const b = shape[(lower + 25) % 24] ?? 0;
  return a + (b - a) * fraction;
}
