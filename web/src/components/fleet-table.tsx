/**
 * The fleet's device table, windowed: only the rows in view (and a few either side) are in the DOM,
 * spacer rows stand in for the rest, so 5,000 devices scroll as smoothly as 50. Each row is memoised on
 * its row object, which fleetRows keeps while the device's sample is unchanged: a live refresh
 * re-renders only the devices that reported.
 */
import { memo } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { bandGeometry } from '../fleet/comfort-band';
import type { FleetColumn, FleetRow } from '../fleet/fleet-rows';
import type { SortState } from '../fleet/table-sort';
import { visibleWindow } from '../fleet/windowing';
import { formatDateTime, formatNumber, formatPowerKw, formatPricePerKwh } from '../format';
import { followLink } from '../router';
import { SortHeader } from './sort-table-header';

/** Every row has this height (CSS keeps it), which is what makes windowing exact. */
export const FLEET_ROW_HEIGHT_PX = 34;
const VIEWPORT_PX = 560;

const COLUMNS: readonly { column: FleetColumn; label: string; numeric?: boolean; title?: string }[] = [
  { column: 'deviceId', label: 'Device' },
  { column: 'participantId', label: 'Participant' },
  { column: 'kind', label: 'Kind' },
  { column: 'state', label: 'State' },
  { column: 'powerKw', label: 'Power', numeric: true, title: 'positive: consuming; negative: producing' },
  { column: 'socPct', label: 'SoC', numeric: true, title: 'state of charge' },
  { column: 'tempF', label: 'Temperature / comfort band', title: 'indoor air or tank, °F' },
  { column: 'setpointF', label: 'Setpoint', numeric: true },
  { column: 'bidPricePerKwh', label: 'Bid price', numeric: true },
  { column: 'bidQuantityKw', label: 'Bid kW', numeric: true, title: 'positive: to buy; negative: to sell' },
  { column: 'timeMs', label: 'Last update' },
];

export function FleetTable(props: {
  rows: readonly FleetRow[];
  sort: SortState<FleetColumn>;
  onSort: (sort: SortState<FleetColumn>) => void;
  currency?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTopPx, setScrollTopPx] = useState(0);
  const [viewportPx, setViewportPx] = useState(VIEWPORT_PX);
  const frame = useRef<number | undefined>(undefined);

  useEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = () => setViewportPx(element.clientHeight || VIEWPORT_PX);
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    return () => {
      resize.disconnect();
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    };
  }, []);

  const onScroll = () => {
    // One state update per frame however fast the wheel turns.
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      setScrollTopPx(scroller.current?.scrollTop ?? 0);
    });
  };

  const window = visibleWindow(props.rows.length, scrollTopPx, viewportPx, FLEET_ROW_HEIGHT_PX);
  const visible = props.rows.slice(window.start, window.end);
  return (
    <div class="table-scroll fleet-scroll" ref={scroller} onScroll={onScroll} data-testid="fleet-scroll">
      <table class="data fleet-table" data-testid="fleet-table" aria-rowcount={props.rows.length + 1}>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <SortHeader
                key={c.column}
                column={c.column}
                label={c.label}
                sort={props.sort}
                onSort={props.onSort}
                numeric={c.numeric}
                title={c.title}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {window.padTopPx > 0 && (
            <tr class="spacer" style={{ height: `${window.padTopPx}px` }} aria-hidden="true" />
          )}
          {visible.map((row, i) => (
            <FleetTableRow
              key={row.deviceId}
              row={row}
              index={window.start + i + 2}
              currency={props.currency}
            />
          ))}
          {window.padBottomPx > 0 && (
            <tr class="spacer" style={{ height: `${window.padBottomPx}px` }} aria-hidden="true" />
          )}
        </tbody>
      </table>
    </div>
  );
}

const FleetTableRow = memo(function FleetTableRow({
  row,
  index,
  currency,
}: {
  row: FleetRow;
  index: number;
  currency: string | undefined;
}) {
  const s = row.sample;
  const path = `/fleet/${encodeURIComponent(row.deviceId)}`;
  return (
    <tr
      data-testid="fleet-row"
      data-device={row.deviceId}
      data-participant={row.participantId}
      aria-rowindex={index}
    >
      <td>
        <a href={path} onClick={(e) => followLink(e, path)} class="device-link">
          {row.deviceId}
        </a>
      </td>
      <td>{row.participantId}</td>
      <td>{row.kind}</td>
      <td>{s.state === undefined ? '–' : <span class={`device-state state-${s.state}`}>{s.state}</span>}</td>
      <td class="num">{formatPowerKw(s.powerKw)}</td>
      <td class="num">{s.socPct === undefined ? '–' : `${formatNumber(s.socPct, 0)} %`}</td>
      <td>
        <ComfortCell tempF={row.tempF} lowF={s.comfortLowF} highF={s.comfortHighF} />
      </td>
      <td class="num">{s.setpointF === undefined ? '–' : `${formatNumber(s.setpointF, 1)} °F`}</td>
      <td class="num">{formatPricePerKwh(s.bidPricePerKwh, currency)}</td>
      <td class="num">{s.bidQuantityKw === undefined ? '–' : formatPowerKw(s.bidQuantityKw)}</td>
      <td>{formatDateTime(s.timeMs)}</td>
    </tr>
  );
});

const BAND_WIDTH = 64;

function ComfortCell(props: {
  tempF: number | undefined;
  lowF: number | undefined;
  highF: number | undefined;
}) {
  if (props.tempF === undefined) return <>–</>;
  const band =
    props.lowF === undefined || props.highF === undefined
      ? undefined
      : bandGeometry(props.tempF, props.lowF, props.highF, BAND_WIDTH);
  return (
    <span class="comfort-cell">
      <span class="comfort-temp">{formatNumber(props.tempF, 1)} °F</span>
      {band !== undefined && (
        <svg
          class="comfort-band"
          viewBox={`0 0 ${BAND_WIDTH} 12`}
          width={BAND_WIDTH}
          height={12}
          role="img"
          aria-label={`comfort band ${formatNumber(props.lowF, 0)}–${formatNumber(props.highF, 0)} °F, ${band.inside ? 'inside' : 'outside'}`}
        >
          <title>{`comfort band ${formatNumber(props.lowF, 1)}–${formatNumber(props.highF, 1)} °F`}</title>
          <rect x={0} y={5} width={BAND_WIDTH} height={2} class="band-track" />
          <rect x={band.bandX} y={2} width={band.bandWidth} height={8} rx={2} class="band-range" />
          <rect
            x={Math.min(BAND_WIDTH - 2, Math.max(0, band.markX - 1))}
            y={0}
            width={2}
            height={12}
            class={band.inside ? 'band-mark' : 'band-mark band-mark-out'}
          />
        </svg>
      )}
    </span>
  );
}
