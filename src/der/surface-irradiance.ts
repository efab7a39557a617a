/**
 * Irradiance on a tilted, oriented surface with the isotropic-sky transposition (Liu & Jordan): beam on
 * the surface, sky diffuse in proportion to the sky the surface sees, ground-reflected in proportion to
 * the ground it sees. Used by PV arrays and by the windows of the ETP house (vertical surfaces).
 */
const DEG = Math.PI / 180;

/** Ground reflectance used when a caller has no better value (grass/soil). */
export const DEFAULT_GROUND_ALBEDO = 0.2;

/** Cosine of the angle of incidence of the beam on a surface; ≤ 0 means the sun is behind it. */
export function cosIncidence(
  solarZenithDeg: number,
  solarAzimuthDeg: number,
  tiltDeg: number,
  surfaceAzimuthDeg: number,
): number {
  const zenith = solarZenithDeg * DEG;
  const tilt = tiltDeg * DEG;
  return (
    Math.cos(zenith) * Math.cos(tilt) +
    Math.sin(zenith) * Math.sin(tilt) * Math.cos((solarAzimuthDeg - surfaceAzimuthDeg) * DEG)
  );
}

/** Plane-of-array irradiance, W/m². Zero when the sun is below the horizon. */
export function planeOfArrayIrradianceWm2(
  ghiWm2: number,
  dniWm2: number,
  dhiWm2: number,
  solarZenithDeg: number,
  solarAzimuthDeg: number,
  tiltDeg: number,
  surfaceAzimuthDeg: number,
  groundAlbedo: number = DEFAULT_GROUND_ALBEDO,
): number {
  if (solarZenithDeg >= 90) return 0;
  const cosTilt = Math.cos(tiltDeg * DEG);
  const beam =
    Math.max(0, dniWm2) *
    Math.max(0, cosIncidence(solarZenithDeg, solarAzimuthDeg, tiltDeg, surfaceAzimuthDeg));
  const skyDiffuse = Math.max(0, dhiWm2) * ((1 + cosTilt) / 2);
  const groundReflected = Math.max(0, ghiWm2) * groundAlbedo * ((1 - cosTilt) / 2);
  return beam + skyDiffuse + groundReflected;
}
