/**
 * A cleared slot's supply and demand as stepped curves in merit order (hand-written SVG): axes with
 * units, the clearing point, the marginal step highlighted and, under the pointer, the step's price
 * and quantity. Geometry lives in market/curve-geometry.ts.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import { formatNumber, formatPowerKw, formatPricePerKwh } from '../format';
import type { SlotCurves } from '../market/contracts';
import {
  clearingPoint,
  curveDomain,
  hitTest,
  marginalStep,
  niceTicks,
  placeSteps,
  scalesFor,
  stepPath,
  type PlacedStep,
  type Plot,
} from '../market/curve-geometry';

const PLOT: Plot = { width: 880, height: 380, left: 64, right: 16, top: 30, bottom: 44 };

export const CLEARING_TYPE_LABELS: Readonly<Record<string, string>> = {
  crossing: 'curves cross (uniform price)',
  'price-cap': 'price cap reached',
  'no-cross': 'curves do not cross',
  'no-supply': 'no supply offered',
  'no-demand': 'no demand bid',
  'no-orders': 'no orders',
  'pay-as-bid': 'pay-as-bid',
  bilateral: 'bilateral matches',
  continuous: 'continuous trading',
};

export function SupplyDemandChart({ curves, currency = 'USD' }: { curves: SlotCurves; currency?: string }) {
  const svg = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<PlacedStep | undefined>(undefined);
  const geometry = useMemo(() => {
    const supply = placeSteps(curves.supply, 'supply');
    const demand = placeSteps(curves.demand, 'demand');
    const scales = scalesFor(PLOT, curveDomain(supply, demand, curves.clearing, curves.priceCapPerKwh));
    return {
      supply,
      demand,
      scales,
      supplyPath: stepPath(supply, scales),
      demandPath: stepPath(demand, scales),
      marginal: marginalStep(supply, demand, curves.marginal),
      point: clearingPoint(curves.clearing, scales, PLOT),
      xTicks: niceTicks(0, scales.domain.maxKw, 8),
      yTicks: niceTicks(scales.domain.minPrice, scales.domain.maxPrice, 6),
    };
  }, [curves]);
  const { scales } = geometry;
  const x0 = PLOT.left;
  const x1 = PLOT.width - PLOT.right;
  const y0 = PLOT.height - PLOT.bottom;
  const y1 = PLOT.top;

  const onPointerMove = (event: PointerEvent) => {
    const element = svg.current;
    const toViewBox = element?.getScreenCTM()?.inverse();
    if (element === null || element === undefined || toViewBox === undefined) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(toViewBox);
    setHover(hitTest([...geometry.supply, ...geometry.demand], scales, point.x, point.y, 10));
  };

  const segment = (step: PlacedStep, className: string) => (
    <line
      class={className}
      x1={scales.x(step.fromKw)}
      x2={scales.x(step.toKw)}
      y1={scales.y(step.pricePerKwh)}
      y2={scales.y(step.pricePerKwh)}
    />
  );
  const typeLabel = CLEARING_TYPE_LABELS[curves.clearing.type] ?? curves.clearing.type;
  const digits = scales.domain.maxPrice - scales.domain.minPrice < 0.1 ? 3 : 2;

  return (
    <figure class="sd-chart" data-testid="supply-demand-chart" data-slot={curves.slotStartMs}>
      <svg
        ref={svg}
        viewBox={`0 0 ${PLOT.width} ${PLOT.height}`}
        role="img"
        aria-label={`Supply and demand curves: cleared ${formatPowerKw(curves.clearing.quantityKw)} at ${formatPricePerKwh(curves.clearing.pricePerKwh, currency)}`}
        data-supply-steps={curves.supply.length}
        data-demand-steps={curves.demand.length}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(undefined)}
      >
        <g class="sd-grid">
          {geometry.yTicks.map((tick) => (
            <g key={`y${tick}`}>
              <line x1={x0} x2={x1} y1={scales.y(tick)} y2={scales.y(tick)} />
              <text x={x0 - 6} y={scales.y(tick) + 4} text-anchor="end">
                {formatNumber(tick, digits)}
              </text>
            </g>
          ))}
          {geometry.xTicks.map((tick) => (
            <g key={`x${tick}`}>
              <line x1={scales.x(tick)} x2={scales.x(tick)} y1={y1} y2={y0} />
              <text x={scales.x(tick)} y={y0 + 16} text-anchor="middle">
                {formatNumber(tick, 0)}
              </text>
            </g>
          ))}
        </g>
        <line class="sd-axis" x1={x0} x2={x1} y1={y0} y2={y0} />
        <line class="sd-axis" x1={x0} x2={x0} y1={y1} y2={y0} />
        <text class="sd-axis-label" x={(x0 + x1) / 2} y={PLOT.height - 6} text-anchor="middle">
          Quantity (kW)
        </text>
        <text
          class="sd-axis-label"
          x={14}
          y={(y0 + y1) / 2}
          text-anchor="middle"
          transform={`rotate(-90 14 ${(y0 + y1) / 2})`}
        >
          Price ({currency}/kWh)
        </text>
        <defs>
          <clipPath id="sd-plot-area">
            <rect x={x0} y={y1 - 4} width={x1 - x0 + 4} height={y0 - y1 + 8} />
          </clipPath>
        </defs>
        <g clip-path="url(#sd-plot-area)">
          {geometry.marginal !== undefined && (
            <g data-testid="marginal-step">{segment(geometry.marginal, 'sd-marginal')}</g>
          )}
          <path class="sd-supply" d={geometry.supplyPath} data-testid="supply-curve" />
          <path class="sd-demand" d={geometry.demandPath} data-testid="demand-curve" />
          {hover !== undefined && segment(hover, 'sd-hover-step')}
        </g>
        {scales.domain.truncatedAtKw !== undefined && (
          <text class="sd-note" x={x1} y={PLOT.height - 6} text-anchor="end">
            {`axis cut: the longer curve runs on to ${formatPowerKw(scales.domain.truncatedAtKw)} →`}
          </text>
        )}
        {scales.domain.cappedSteps === true && (
          <text class="sd-note" x={x0} y={y1 - 10}>
            {`↑ bids at the price cap (${formatPricePerKwh(curves.priceCapPerKwh, currency)}) drawn on the top edge`}
          </text>
        )}
        {curves.clearing.quantityKw > 0 && (
          <g class="sd-clearing" data-testid="clearing-point">
            <line
              class="sd-guide"
              x1={x0}
              x2={geometry.point.x}
              y1={geometry.point.y}
              y2={geometry.point.y}
            />
            <line
              class="sd-guide"
              x1={geometry.point.x}
              x2={geometry.point.x}
              y1={geometry.point.y}
              y2={y0}
            />
            <circle cx={geometry.point.x} cy={geometry.point.y} r={6} />
          </g>
        )}
        {hover !== undefined && (
          <g class="sd-hover" data-testid="curve-tooltip">
            <Tooltip
              x={scales.x((hover.fromKw + hover.toKw) / 2)}
              y={scales.y(hover.pricePerKwh)}
              lines={[
                `${hover.side === 'supply' ? 'Supply' : 'Demand'} step ${hover.index + 1}`,
                formatPricePerKwh(hover.pricePerKwh, currency),
                `${formatPowerKw(hover.quantityKw)} (${formatNumber(hover.fromKw, 0)}–${formatNumber(hover.toKw, 0)} kW)`,
              ]}
            />
          </g>
        )}
      </svg>
      <figcaption class="sd-legend">
        <span class="sd-key sd-key-supply">Supply (offers, cheapest first)</span>
        <span class="sd-key sd-key-demand">Demand (bids, dearest first)</span>
        <span class="sd-key sd-key-marginal">Marginal step</span>
        <span data-testid="clearing-summary">
          Clearing:{' '}
          <strong data-testid="clearing-quantity">{formatPowerKw(curves.clearing.quantityKw)}</strong> at{' '}
          <strong data-testid="clearing-price">
            {formatPricePerKwh(curves.clearing.pricePerKwh, currency)}
          </strong>{' '}
          ·{' '}
          <span data-testid="clearing-type" data-type={curves.clearing.type}>
            {typeLabel}
          </span>
        </span>
        {curves.priceBandPerKwh !== undefined && (
          <span class="hint">
            Large book drawn in price bands of {formatPricePerKwh(curves.priceBandPerKwh, currency)}.
          </span>
        )}
      </figcaption>
    </figure>
  );
}

function Tooltip({ x, y, lines }: { x: number; y: number; lines: readonly string[] }) {
  const width = 210;
  const height = 14 + lines.length * 16;
  const left = Math.min(PLOT.width - PLOT.right - width, Math.max(PLOT.left, x - width / 2));
  const top = y - height - 10 < PLOT.top ? y + 10 : y - height - 10;
  return (
    <g transform={`translate(${left} ${top})`}>
      <rect class="sd-tooltip" width={width} height={height} rx={5} />
      {lines.map((line, i) => (
        <text key={i} x={10} y={18 + i * 16} class={i === 0 ? 'sd-tooltip-title' : undefined}>
          {line}
        </text>
      ))}
    </g>
  );
}
