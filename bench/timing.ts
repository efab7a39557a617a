/** Timing helpers shared by the benchmarks: median of repeated runs after one untimed warm-up. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function timeRuns<T>(runs: number, work: () => T): { medianMs: number; result: T } {
  let result = work(); // warm-up, not timed
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    result = work();
    times.push(performance.now() - start);
  }
  return { medianMs: median(times), result };
}
