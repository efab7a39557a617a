/**
 * npm run bench: runs every bench/*.bench.ts in its own Node process (so each one's memory figure is its
 * own) and prints their tables one after the other, with the machine they ran on.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`# tenet benchmarks\n`);
console.log(
  `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`,
);
let failed = 0;
for (const file of files) {
  console.log(`## ${file}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(benchDir, file)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed++;
    console.log(`\n${file} FAILED (exit ${run.status ?? run.signal})`);
  }
  console.log('');
}
process.exitCode = failed > 0 ? 1 : 0;
