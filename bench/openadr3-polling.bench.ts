/**
 * 10,000 VENs polling the VTN for events (issue 6, part 4): requests per second, p50/p99 latency, failed
 * requests and the server's CPU per 1,000 requests, against the VTN in a process of its own (SQLite), the
 * load generated here. Every request carries the next VEN's token, so all 10,000 tokens, granted-target
 * sets and VEN objects are in play. A VEN polls what a real one polls, alternating two queries:
 *
 * - its price program's active events, `GET /openadr3/events?programID=…&active=true&limit=50`
 *   (untargeted: 288 five-minute prices for the day, half of them over);
 * - the events targeted to it, `GET /openadr3/events?targets=feeder-k&targets=participant:home-i&active=true`
 *   (two per feeder, an operating envelope for every tenth home; target hiding applies).
 *
 * Target (issue 6): 3,000 requests/s with p99 under 50 ms on SQLite. BENCH_OPENADR_VENS and
 * BENCH_OPENADR_SECONDS shorten it; BENCH_CPU_PROF=<dir> writes the server's CPU profile there.
 */
import autocannon from 'autocannon';
import {
  cpuTimeMs,
  loadAverage,
  residentMiB,
  startVtn,
  type VenOfWorld,
  type World,
} from './openadr3-world.js';

const VENS = Number(process.env.BENCH_OPENADR_VENS ?? 10_000);
const DURATION_S = Number(process.env.BENCH_OPENADR_SECONDS ?? 10);
const CONNECTIONS = 64;
const TARGET_PER_S = 3_000;
const PROFILE_DIR = process.env.BENCH_CPU_PROF;

interface Row {
  readonly workload: string;
  readonly offered: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly serverCpuMsPer1000: number;
  readonly load: string;
}

/** Request n: VEN n/2 (round robin over all of them), its price poll then its targeted poll. */
function pollOf(world: World, n: number): { path: string; token: string } {
  const ven = world.vens[Math.floor(n / 2) % world.vens.length] as VenOfWorld;
  const path =
    n % 2 === 0
      ? `/openadr3/events?programID=${world.priceProgramId}&active=true&limit=50`
      : `/openadr3/events?targets=${ven.feeder}&targets=participant:${ven.participantId}&active=true`;
  return { path, token: ven.token };
}

async function poll(
  world: World,
  pid: number | undefined,
  options: { durationS?: number; amount?: number; offeredPerSecond?: number },
): Promise<{ result: autocannon.Result; cpuMs: number; seconds: number }> {
  let sequence = 0;
  const before = cpuTimeMs(pid);
  const started = performance.now();
  const result = await autocannon({
    url: world.url,
    connections: CONNECTIONS,
    ...(options.amount === undefined
      ? { duration: options.durationS ?? DURATION_S }
      : { amount: options.amount }),
    ...(options.offeredPerSecond === undefined ? {} : { overallRate: options.offeredPerSecond }),
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const { path, token } = pollOf(world, sequence++);
          return { ...request, path, headers: { authorization: `Bearer ${token}` } };
        },
      },
    ],
  });
  return { result, cpuMs: cpuTimeMs(pid) - before, seconds: (performance.now() - started) / 1000 };
}

function rowOf(
  workload: string,
  offered: string,
  run: { result: autocannon.Result; cpuMs: number; seconds: number },
): Row {
  const { result } = run;
  return {
    workload,
    offered,
    perSecond: Math.round(result['2xx'] / run.seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    serverCpuMsPer1000: (run.cpuMs * 1000) / Math.max(1, result.requests.total),
    load: loadAverage(),
  };
}

/** What two VENs see, checked before the load: a bench of wrong answers would be worthless. */
async function checkAnswers(world: World): Promise<string> {
  const counts: number[] = [];
  for (const n of [0, 1, 2, 3]) {
    const { path, token } = pollOf(world, n);
    const response = await fetch(`${world.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    const events = (await response.json()) as { targets?: string[] }[];
    if (n % 2 === 1) {
      const ven = world.vens[Math.floor(n / 2)] as VenOfWorld;
      const allowed = new Set([ven.feeder, `participant:${ven.participantId}`]);
      for (const event of events)
        if ((event.targets ?? []).some((t) => !allowed.has(t)))
          throw new Error(`${ven.clientId} was shown targets ${JSON.stringify(event.targets)}`);
    }
    counts.push(events.length);
  }
  return `events per poll for VENs 0 and 1: price ${counts[0]}, ${counts[2]}; targeted ${counts[1]}, ${counts[3]}`;
}

async function run(): Promise<{ rows: Row[]; answers: string; rssMiB: number; setupS: number }> {
  const setupStarted = performance.now();
  const vtn = await startVtn({
    vens: VENS,
    seedEvents: true,
    ...(PROFILE_DIR === undefined ? {} : { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] }),
  });
  try {
    const setupS = (performance.now() - setupStarted) / 1000;
    const answers = await checkAnswers(vtn.world);
    const pid = vtn.child.pid;
    // Warm-up: every VEN's token verified once (the cache keeps them), code and statements warm.
    await poll(vtn.world, pid, { amount: vtn.world.vens.length * 2 });
    const rows = [rowOf('poll (as fast as answered)', '-', await poll(vtn.world, pid, {}))];
    rows.push(
      rowOf(
        'poll (target rate offered)',
        TARGET_PER_S.toLocaleString('en-US'),
        await poll(vtn.world, pid, { offeredPerSecond: TARGET_PER_S }),
      ),
    );
    return { rows, answers, rssMiB: residentMiB(pid), setupS };
  } finally {
    await vtn.stop();
  }
}

const { rows, answers, rssMiB, setupS } = await run();
console.log(
  `${VENS.toLocaleString('en-US')} VENs (tokens rotated round robin), ${CONNECTIONS} connections, ${DURATION_S} s per run (BENCH_OPENADR_SECONDS) after one poll of each kind by every VEN; VTN on SQLite in its own process (setup ${setupS.toFixed(0)} s); ${answers}; server RSS after the runs ${rssMiB.toFixed(0)} MiB\n`,
);
console.log(
  '| workload | offered/s | requests/s | p50 ms | p99 ms | failed | server CPU ms / 1,000 requests | load avg (1 min) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.workload} | ${r.offered} | ${r.perSecond.toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.serverCpuMsPer1000.toFixed(0)} | ${r.load} |`,
  );
console.log(
  `\nTarget (issue 6): ${TARGET_PER_S.toLocaleString('en-US')} requests/s with p99 < 50 ms (SQLite).`,
);
