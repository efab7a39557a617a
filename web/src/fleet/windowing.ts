/**
 * Which rows of a long table to render: those in the scrolled viewport plus a few either side, with
 * spacer heights standing in for the rest, so 10,000 rows cost what 30 do.
 */
export interface RowWindow {
  /** First rendered row index. */
  readonly start: number;
  /** One past the last rendered row index. */
  readonly end: number;
  /** Height of the spacer above the rendered rows, px. */
  readonly padTopPx: number;
  /** Height of the spacer below them, px. */
  readonly padBottomPx: number;
}

export function visibleWindow(
  rowCount: number,
  scrollTopPx: number,
  viewportPx: number,
  rowHeightPx: number,
  overscan = 8,
): RowWindow {
  if (rowCount <= 0 || rowHeightPx <= 0) return { start: 0, end: 0, padTopPx: 0, padBottomPx: 0 };
  const top = Math.max(0, scrollTopPx);
  const first = Math.min(rowCount - 1, Math.floor(top / rowHeightPx));
  const shown = Math.ceil(Math.max(0, viewportPx) / rowHeightPx) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(rowCount, first + shown + overscan);
  return {
    start,
    end,
    padTopPx: start * rowHeightPx,
    padBottomPx: (rowCount - end) * rowHeightPx,
  };
}
