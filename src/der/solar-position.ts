/**
 * Solar position from the NOAA solar calculator equations (after Meeus, "Astronomical Algorithms"): the
 * sun's apparent longitude, declination and the equation of time from the Julian century, then the hour
 * angle at the site. Accurate to well within 0.1° for 1950–2050. The zenith is geometric (no refraction),
 * which is what irradiance transposition needs.
 */
export interface SolarPosition {
  /** 0 = overhead, > 90 = below the horizon. */
  readonly zenithDeg: number;
  /** Degrees clockwise from north (90 = east, 180 = south). */
  readonly azimuthDeg: number;
}

const DEG = Math.PI / 180;
const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_JULIAN_DAY = 2440587.5;
const J2000_JULIAN_DAY = 2451545;

/** Declination and equation of time, which depend on the time only (not on the site). */
export interface SunEphemeris {
  readonly declinationDeg: number;
  readonly equationOfTimeMin: number;
}

export function sunEphemeris(timeMs: number): SunEphemeris {
  const julianCentury = (timeMs / MS_PER_DAY + UNIX_EPOCH_JULIAN_DAY - J2000_JULIAN_DAY) / 36525;
  const t = julianCentury;
  const meanLongitudeDeg = (((280.46646 + t * (36000.76983 + 0.0003032 * t)) % 360) + 360) % 360;
  const meanAnomalyDeg = 357.52911 + t * (35999.05029 - 0.0001537 * t);
  const eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
  const m = meanAnomalyDeg * DEG;
  const equationOfCenterDeg =
    Math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
    Math.sin(2 * m) * (0.019993 - 0.000101 * t) +
    Math.sin(3 * m) * 0.000289;
  const trueLongitudeDeg = meanLongitudeDeg + equationOfCenterDeg;
  const omegaDeg = 125.04 - 1934.136 * t;
  const apparentLongitudeDeg = trueLongitudeDeg - 0.00569 - 0.00478 * Math.sin(omegaDeg * DEG);
  const meanObliquityDeg = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
  const obliquityDeg = meanObliquityDeg + 0.00256 * Math.cos(omegaDeg * DEG);
  const declinationRad = Math.asin(Math.sin(obliquityDeg * DEG) * Math.sin(apparentLongitudeDeg * DEG));
  const y = Math.tan((obliquityDeg * DEG) / 2) ** 2;
  const l0 = meanLongitudeDeg * DEG;
  const equationOfTimeRad =
    y * Math.sin(2 * l0) -
    2 * eccentricity * Math.sin(m) +
    4 * eccentricity * y * Math.sin(m) * Math.cos(2 * l0) -
    0.5 * y * y * Math.sin(4 * l0) -
    1.25 * eccentricity * eccentricity * Math.sin(2 * m);
  return { declinationDeg: declinationRad / DEG, equationOfTimeMin: (4 * equationOfTimeRad) / DEG };
}

/** Sun position seen from latitude/longitude (degrees, east positive) at `timeMs` (epoch ms, UTC). */
export function solarPosition(latitudeDeg: number, longitudeDeg: number, timeMs: number): SolarPosition {
  const { declinationDeg, equationOfTimeMin } = sunEphemeris(timeMs);
  const minutesOfUtcDay = ((((timeMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000) as number;
  const trueSolarTimeMin = (((minutesOfUtcDay + equationOfTimeMin + 4 * longitudeDeg) % 1440) + 1440) % 1440;
  const hourAngleRad = (trueSolarTimeMin / 4 - 180) * DEG;
  const lat = latitudeDeg * DEG;
  const decl = declinationDeg * DEG;
  const cosZenith = Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngleRad);
  const zenithRad = Math.acos(Math.max(-1, Math.min(1, cosZenith)));
  // Azimuth measured from south towards west, then turned to "clockwise from north".
  const azimuthFromSouthRad = Math.atan2(
    Math.sin(hourAngleRad),
    Math.cos(hourAngleRad) * Math.sin(lat) - Math.tan(decl) * Math.cos(lat),
  );
  const azimuthDeg = (azimuthFromSouthRad / DEG + 180 + 360) % 360;
  return { zenithDeg: zenithRad / DEG, azimuthDeg };
}
