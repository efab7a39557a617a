/**
 * The feeder drawn from its bus coordinates (north up, scaled to fit its panel): lines coloured and
 * widened by loading, overloaded ones called out, buses coloured by voltage on a diverging scale around
 * 1.0 pu. A bus's name shows on hover (and always for the substation); the highlighted element (a
 * violation picked in the list) gets a ring. Geometry and colours come from web/src/grid/*.
 */
import { memo } from 'preact/compat';
import { formatNumber, formatPowerKw } from '../format';
import { busRadius, type FeederLayout } from '../grid/feeder-layout';
import {
  OVERLOAD_PCT,
  RANGE_A_MAX_PU,
  RANGE_A_MIN_PU,
  VOLTAGE_STOPS,
  busDisplayVPu,
  hex,
  loadingColor,
  loadingWidth,
  voltageColor,
} from '../grid/grid-colors';
import type { GridState } from '../grid/grid-contract';

export interface FeederMapProps {
  readonly layout: FeederLayout;
  readonly substationBus: string;
  readonly state: GridState | undefined;
  /** A bus or line id to ring. */
  readonly highlight?: string;
  readonly onPick?: (elementId: string) => void;
  /** Buses with connections in the caller's scope, and how many. */
  readonly connectionsByBus?: ReadonlyMap<string, number>;
}

export const FeederMap = memo(function FeederMap(props: FeederMapProps) {
  const { layout, state } = props;
  const busState = new Map((state?.buses ?? []).map((b) => [b.id, b]));
  const lineState = new Map((state?.lines ?? []).map((l) => [l.id, l]));
  const mostConnections = Math.max(0, ...(props.connectionsByBus?.values() ?? []));
  return (
    <svg
      class="feeder-map"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label="Feeder map: buses coloured by voltage, lines by loading"
      data-testid="feeder-map"
    >
      <g class="feeder-lines">
        {layout.lines.map((line) => {
          const flow = lineState.get(line.id);
          const loading = flow?.loadingPct ?? null;
          const overloaded = loading !== null && loading > OVERLOAD_PCT;
          const highlighted = props.highlight === line.id;
          const midX = (line.x1 + line.x2) / 2;
          const midY = (line.y1 + line.y2) / 2;
          return (
            <g
              key={line.id}
              class={`feeder-line${overloaded ? ' overloaded' : ''}${highlighted ? ' highlighted' : ''}`}
              data-testid="feeder-line"
              data-line={line.id}
              data-loading-pct={loading ?? ''}
              onClick={() => props.onPick?.(line.id)}
            >
              <title>
                {`${line.id} (${line.fromBus} – ${line.toBus}): ${
                  loading === null
                    ? 'no loading (no rating or no solve)'
                    : `${formatNumber(loading, 0)} % loaded`
                }${flow?.powerKw === null || flow?.powerKw === undefined ? '' : `, ${formatPowerKw(flow.powerKw)}`}`}
              </title>
              {(highlighted || overloaded) && (
                <line
                  x1={line.x1}
                  y1={line.y1}
                  x2={line.x2}
                  y2={line.y2}
                  class={highlighted ? 'line-halo' : 'line-halo line-halo-overload'}
                  stroke-width={loadingWidth(loading) + 8}
                />
              )}
              <line
                x1={line.x1}
                y1={line.y1}
                x2={line.x2}
                y2={line.y2}
                stroke={loadingColor(loading)}
                stroke-width={loadingWidth(loading)}
                stroke-linecap="round"
              />
              {/* A wide transparent line makes a thin one easy to hover and click. */}
              <line x1={line.x1} y1={line.y1} x2={line.x2} y2={line.y2} class="line-hit" />
              {overloaded && (
                <text x={midX} y={midY - 8} class="overload-callout" text-anchor="middle">
                  {`⚠ ${formatNumber(loading, 0)} %`}
                </text>
              )}
            </g>
          );
        })}
      </g>
      <g class="feeder-buses">
        {layout.buses.map((bus) => {
          const v = busState.get(bus.id);
          const vPu = busDisplayVPu(v?.vMinPu, v?.vMaxPu);
          const isSubstation = bus.id === props.substationBus;
          const highlighted = props.highlight === bus.id;
          const connections = props.connectionsByBus?.get(bus.id) ?? 0;
          const radius = busRadius(connections, mostConnections);
          const labelLeft = bus.x > layout.width - 90;
          return (
            <g
              key={bus.id}
              class={`feeder-bus${isSubstation ? ' substation' : ''}${highlighted ? ' highlighted' : ''}`}
              data-testid="feeder-bus"
              data-bus={bus.id}
              data-vpu={vPu ?? ''}
              onClick={() => props.onPick?.(bus.id)}
            >
              <title>
                {`Bus ${bus.id}${isSubstation ? ' (substation)' : ''}: ${
                  v === undefined || vPu === undefined
                    ? 'no voltage solved'
                    : `${formatNumber(v.vMinPu, 3)}–${formatNumber(v.vMaxPu, 3)} pu`
                }${connections > 0 ? `, ${connections} connection${connections === 1 ? '' : 's'}` : ''}${
                  bus.surveyed ? '' : ' (position inferred)'
                }`}
              </title>
              {highlighted && <circle cx={bus.x} cy={bus.y} r={radius + 7} class="bus-ring" />}
              {isSubstation ? (
                <rect
                  x={bus.x - radius - 2}
                  y={bus.y - radius - 2}
                  width={2 * radius + 4}
                  height={2 * radius + 4}
                  rx={3}
                  fill={voltageColor(vPu)}
                  class="bus-mark"
                />
              ) : (
                <circle cx={bus.x} cy={bus.y} r={radius} fill={voltageColor(vPu)} class="bus-mark" />
              )}
              <text
                x={labelLeft ? bus.x - radius - 5 : bus.x + radius + 5}
                y={bus.y - radius - 2}
                text-anchor={labelLeft ? 'end' : 'start'}
                class="bus-label"
              >
                {isSubstation ? `Substation ${bus.id}` : bus.id}
                {vPu === undefined ? '' : ` · ${formatNumber(vPu, 3)} pu`}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
});

/** The colour keys: the voltage scale with ANSI C84.1 Range A marked, and line loading. */
export function FeederLegend() {
  const fromPu = 0.93;
  const toPu = 1.07;
  const width = 260;
  const at = (vPu: number) => ((vPu - fromPu) / (toPu - fromPu)) * width;
  return (
    <div class="feeder-legend" data-testid="feeder-legend">
      <svg viewBox={`0 0 ${width + 20} 46`} class="legend-scale" role="img" aria-label="Voltage colour scale">
        <defs>
          <linearGradient id="feeder-voltage-gradient" x1="0" x2="1" y1="0" y2="0">
            {VOLTAGE_STOPS.map((stop) => (
              <stop
                key={stop.at}
                offset={`${((at(stop.at) - at(RANGE_A_MIN_PU)) / (at(RANGE_A_MAX_PU) - at(RANGE_A_MIN_PU))) * 100}%`}
                stop-color={hex(stop.rgb)}
              />
            ))}
          </linearGradient>
        </defs>
        <rect x={10} y={8} width={at(RANGE_A_MIN_PU)} height={12} fill={voltageColor(RANGE_A_MIN_PU)} />
        <rect
          x={10 + at(RANGE_A_MIN_PU)}
          y={8}
          width={at(RANGE_A_MAX_PU) - at(RANGE_A_MIN_PU)}
          height={12}
          fill="url(#feeder-voltage-gradient)"
        />
        <rect
          x={10 + at(RANGE_A_MAX_PU)}
          y={8}
          width={width - at(RANGE_A_MAX_PU)}
          height={12}
          fill={voltageColor(RANGE_A_MAX_PU)}
        />
        {[RANGE_A_MIN_PU, 1, RANGE_A_MAX_PU].map((vPu) => (
          <g key={vPu}>
            <line x1={10 + at(vPu)} x2={10 + at(vPu)} y1={4} y2={24} class="legend-tick" />
            <text x={10 + at(vPu)} y={38} text-anchor="middle" class="legend-text">
              {vPu.toFixed(2)}
            </text>
          </g>
        ))}
      </svg>
      <p class="legend-note">
        Bus voltage, pu (the phase furthest from 1.0). ANSI C84.1 Range A is 0.95–1.05 pu: red below it, blue
        above it. Square: the substation; a larger circle serves more connections.
      </p>
      <p class="legend-note">
        <span class="legend-line" style={{ background: loadingColor(30) }} /> lightly loaded
        <span class="legend-line legend-line-mid" style={{ background: loadingColor(85) }} /> 85 %
        <span class="legend-line legend-line-hot" style={{ background: loadingColor(100) }} /> at or over its
        rating (⚠ callout); wider is more loaded.
      </p>
    </div>
  );
}
