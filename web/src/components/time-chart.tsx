/**
 * Time series with uPlot: canvas drawing that keeps up with live data (thousands of points redraw in a
 * few ms), sized to its container. Series values may be null for gaps.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface TimeSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Which y axis: 'left' (default) or 'right'. */
  readonly axis?: 'left' | 'right';
  /** Draw as steps (prices per slot) rather than lines. */
  readonly stepped?: boolean;
  readonly dash?: readonly number[];
}

export interface TimeChartProps {
  /** Epoch ms, ascending, one per value. */
  readonly timesMs: readonly number[];
  readonly series: readonly TimeSeries[];
  readonly leftUnit: string;
  readonly rightUnit?: string;
  readonly height?: number;
  /** Called with the time under a click, ms. */
  readonly onPick?: (timeMs: number) => void;
  readonly testId?: string;
}

export function TimeChart(props: TimeChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const shape = `${props.series.map((s) => `${s.label}:${s.axis ?? 'left'}`).join('|')}|${props.leftUnit}|${props.rightUnit ?? ''}`;

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: props.height ?? 240,
      scales: { x: { time: true }, left: {}, right: {} },
      axes: [
        // Times need room: a label every 90 px at least, or five-minute slots crowd into a smear.
        { space: 90 },
        { scale: 'left', label: props.leftUnit, size: 64, values: tickLabels },
        ...(props.rightUnit === undefined
          ? []
          : [
              {
                scale: 'right',
                label: props.rightUnit,
                side: 1,
                size: 64,
                grid: { show: false },
                values: tickLabels,
              },
            ]),
      ],
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          scale: s.axis === 'right' ? 'right' : 'left',
          ...(s.dash === undefined ? {} : { dash: [...s.dash] }),
          ...(s.stepped === true ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
        })),
      ],
      cursor: { drag: { x: false, y: false } },
    };
    const created = new uPlot(options, toData(props), element);
    plot.current = created;
    if (props.onPick !== undefined) {
      const pick = props.onPick;
      created.over.addEventListener('click', () => {
        const index = created.cursor.idx;
        const timeS = index === null || index === undefined ? undefined : created.data[0][index];
        if (timeS !== undefined) pick(timeS * 1000);
      });
    }
    const resize = new ResizeObserver(() =>
      created.setSize({ width: Math.max(200, element.clientWidth), height: props.height ?? 240 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = undefined;
    };
    // Rebuilt only when the series' shape changes; new values go through setData below.
  }, [shape, props.height]);

  useEffect(() => {
    plot.current?.setData(toData(props));
  }, [props.timesMs, props.series]);

  return <div class="time-chart" ref={container} data-testid={props.testId} />;
}

/**
 * Tick labels with as many decimals as the tick spacing needs: prices that move by 0.0002 USD/kWh must
 * not all print as 0.025.
 */
function tickLabels(_plot: uPlot, splits: number[]): string[] {
  const step = splits.length > 1 ? Math.abs((splits[1] ?? 0) - (splits[0] ?? 0)) : 1;
  const decimals = step > 0 ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step)))) : 0;
  return splits.map((value) =>
    value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
  );
}

function toData(props: TimeChartProps): uPlot.AlignedData {
  return [props.timesMs.map((t) => t / 1000), ...props.series.map((s) => s.values as (number | null)[])];
}
