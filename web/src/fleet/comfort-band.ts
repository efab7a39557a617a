/**
 * The small inline picture of a temperature against its comfort band: a track from a little below the
 * band to a little above it (wider when the temperature is outside), the band shaded, a mark at the
 * temperature. Positions in the graphic's own units, 0..width.
 */
export interface BandGeometry {
  readonly bandX: number;
  readonly bandWidth: number;
  readonly markX: number;
  readonly inside: boolean;
}

/** Degrees shown either side of the band. */
const MARGIN_F = 3;

export function bandGeometry(
  tempF: number,
  lowF: number,
  highF: number,
  width: number,
): BandGeometry | undefined {
  if (![tempF, lowF, highF, width].every(Number.isFinite) || highF < lowF || width <= 0) return undefined;
  const from = Math.min(lowF - MARGIN_F, tempF - 0.5);
  const to = Math.max(highF + MARGIN_F, tempF + 0.5);
  const at = (f: number) => ((f - from) / (to - from)) * width;
  return {
    bandX: at(lowF),
    bandWidth: at(highF) - at(lowF),
    markX: at(tempF),
    inside: tempF >= lowF && tempF <= highF,
  };
}
