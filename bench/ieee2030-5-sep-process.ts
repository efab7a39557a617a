/**
 * The IEEE 2030.5 server under load, as a process of its own (the bench drives it from another, so
 * server and load each get a core): `startSepServer` on loopback with every device registered in an
 * `InMemorySepDeviceRegistry` (device i is participant `home-i`) and the bench's program source.
 *
 * Environment: BENCH_SEP_DIR (required) holds `ca.pem`, `server.pem`, `server.key` and `devices.json`
 * (`[{ id, lfdi, sfdi }]`). BENCH_SEP_KEEP_ALIVE_MS (when set) is how long the server keeps an idle
 * connection open. Prints one line `READY <json>` on stdout when listening; SIGTERM stops it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySepDeviceRegistry, type SepDevice } from '../src/ieee2030-5/server/registry.js';
import { startSepServer } from '../src/ieee2030-5/server/server.js';
import { BenchProgramSource, participantOf } from './ieee2030-5-programs.js';

const dir = process.env.BENCH_SEP_DIR;
if (dir === undefined) throw new Error('BENCH_SEP_DIR is required');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

const keepAliveMs = Number(process.env.BENCH_SEP_KEEP_ALIVE_MS ?? 0);

const nowMs = Date.now();
const registeredAt = Math.floor(nowMs / 1000);
const listed = JSON.parse(read('devices.json')) as { id: string; lfdi: string; sfdi: number }[];
const devices: SepDevice[] = listed.map((d, i) => ({
  ...d,
  pin: 111115,
  registeredAt,
  participantId: participantOf(i),
}));
const programs = new BenchProgramSource(devices.length, nowMs);

const server = await startSepServer({
  host: '127.0.0.1',
  port: 0,
  tls: { cert: read('server.pem'), key: read('server.key'), ca: read('ca.pem') },
  devices: new InMemorySepDeviceRegistry(devices),
  programs,
  clock: { nowMs: () => Date.now() },
  ...(keepAliveMs > 0 ? { limits: { keepAliveTimeoutMs: keepAliveMs } } : {}),
});
console.log(
  `READY ${JSON.stringify({ url: server.url, pid: process.pid, platformBuildMs: programs.platformBuildMs })}`,
);

process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
