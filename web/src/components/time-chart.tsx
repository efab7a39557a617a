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
        {},
        { scale: 'left', label: props.leftUnit, size: 60 },
        ...(props.rightUnit === undefined
          ? []
          : [{ scale: 'right', label: props.rightUnit, side: 1, size: 60, grid: { show: false } }]),
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

function toData(props: TimeChartProps): uPlot.AlignedData {
  return [props.timesMs.map((t) => t / 1000), ...props.series.map((s) => s.values as (number | null)[])];
}
