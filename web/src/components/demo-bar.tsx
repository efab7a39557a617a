/** The demo's clock controls in the header (pause, step, speed, seed): built by its own change (issue 8). */
export function DemoBar() {
  return null;
}
