/**
 * Unit conversions shared across modules. Names carry their unit (powerKw, energyKwh, tempF), so a
 * conversion is always visible where a value changes unit.
 */
export const fahrenheitFromCelsius = (tempC: number): number => tempC * 1.8 + 32;
export const celsiusFromFahrenheit = (tempF: number): number => (tempF - 32) / 1.8;
export const BTU_PER_HOUR_PER_KW = 3412.14163;
/** Irradiance: 1 W/m² = 0.3170 Btu/h·ft². */
export const BTU_PER_HOUR_SQFT_PER_W_PER_M2 = 0.316998;

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
