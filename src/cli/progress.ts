/** Progress on stderr: a redrawn bar on a terminal, a plain line every tenth otherwise (CI logs). */
export function createProgressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  label: string,
): { update: (done: number, total: number) => void; finish: () => void } {
  let lastTenth = -1;
  let lastDrawMs = 0;
  return {
    update(done, total) {
      const fraction = total === 0 ? 1 : done / total;
      if (stream.isTTY === true) {
        const nowMs = performance.now();
        if (done !== total && nowMs - lastDrawMs < 50) return;
        lastDrawMs = nowMs;
        const width = Math.max(10, Math.min(40, (stream.columns || 80) - label.length - 20));
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`,
        );
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        stream.write(`${label}: ${tenth * 10}% (${done}/${total} slots)\n`);
      }
    },
    finish() {
      if (stream.isTTY === true) stream.write('\n');
    },
  };
}
