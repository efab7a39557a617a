/**
 * Unit conversions. Names carry their unit (powerKw, energyKwh, tempF); these helpers are the only place
 * where a factor between units appears.
 */
export const fahrenheitFromCelsius = (tempC: number): number => tempC * 1.8 + 32;
export const celsiusFromFahrenheit = (tempF: number): number => (tempF - 32) / 1.8;
export const BTU_PER_HOUR_PER_KW = 3412.14163;
export const kwFromBtuPerHour = (btuPerHour: number): number => btuPerHour / BTU_PER_HOUR_PER_KW;
export const btuPerHourFromKw = (powerKw: number): number => powerKw * BTU_PER_HOUR_PER_KW;
/** Irradiance: 1 W/m² = 0.3170 Btu/h·ft². */
export const BTU_PER_HOUR_SQFT_PER_W_PER_M2 = 0.316998;
export const pricePerKwhFromPerMwh = (pricePerMwh: number): number => pricePerMwh / 1000;
export const pricePerMwhFromPerKwh = (pricePerKwh: number): number => pricePerKwh * 1000;
export const LITRES_PER_GALLON = 3.785411784;

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
