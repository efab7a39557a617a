/**
 * A price event fanned out to 10,000 MQTT subscribers (issue 6, part 4): business logic creates an event
 * (POST /openadr3/events) and every VEN, logged in to the broker as itself and subscribed to its own
 * VEN's event topics, hears of it. Measured: from just before the POST until each VEN has the
 * notification (p50, p99, max), and the server process's memory. The VTN runs in a process of its own;
 * the 10,000 subscribers in two more. Rows: the embedded broker (bearer-token logins), then Mosquitto
 * (BENCH_MOSQUITTO_URL, default mqtt://127.0.0.1:1883; `off` skips it) with the VTN publishing there.
 * Besides the untargeted price event, one event targeted to a feeder (a hundredth of the VENs) shows the
 * targeted path, and that no other VEN hears it.
 *
 * BENCH_FANOUT_VENS shortens it; BENCH_CPU_PROF=<dir> writes the server's CPU profile there.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from './timing.js';
import {
  loadAverage,
  residentMiB,
  startVtn,
  type RunningVtn,
  type VenOfWorld,
  type World,
} from './openadr3-world.js';

const VENS = Number(process.env.BENCH_FANOUT_VENS ?? 10_000);
const SUBSCRIBER_PROCESSES = 2;
const PRICE_EVENTS = 3;
const TARGETED_FEEDER = 'feeder-7';
const HEAR_TIMEOUT_MS = Number(process.env.BENCH_FANOUT_TIMEOUT_MS ?? 180_000);
const MOSQUITTO = process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
const SUBSCRIBERS = fileURLToPath(new URL('./openadr3-mqtt-subscribers.ts', import.meta.url));

interface Row {
  readonly broker: string;
  readonly event: string;
  readonly audience: number;
  readonly heard: number;
  readonly postMs: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly load: string;
}

interface Memory {
  readonly broker: string;
  readonly idleMiB: number;
  readonly connectedMiB: number;
  readonly afterMiB: number;
  readonly loginS: number;
  readonly refused: number;
}

type Reply =
  | { kind: 'ready'; subscribed: number; refused: number }
  | { kind: 'heard'; count: number }
  | { kind: 'times'; receivedAtMs: number[] };

class Subscribers {
  readonly #children: ChildProcess[] = [];
  readonly #shares: VenOfWorld[][] = [];

  constructor(vens: readonly VenOfWorld[]) {
    for (let p = 0; p < SUBSCRIBER_PROCESSES; p++) {
      this.#shares.push(vens.filter((_, i) => i % SUBSCRIBER_PROCESSES === p));
      this.#children.push(fork(SUBSCRIBERS, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }));
    }
  }

  async connect(brokerUrl: string, topicPrefix: string): Promise<{ subscribed: number; refused: number }> {
    const replies = await this.#ask('ready', (child, p) =>
      child.send({ kind: 'connect', brokerUrl, topicPrefix, vens: this.#shares[p] }),
    );
    return {
      subscribed: replies.reduce((n, r) => n + (r.kind === 'ready' ? r.subscribed : 0), 0),
      refused: replies.reduce((n, r) => n + (r.kind === 'ready' ? r.refused : 0), 0),
    };
  }

  /** Tells each process what to expect (and from how many of its VENs), runs `trigger`, waits. */
  async hear(eventName: string, audience: (ven: VenOfWorld) => boolean, trigger: () => Promise<void>) {
    const counts = this.#shares.map((share) => share.filter(audience).length);
    this.#children.forEach((child, p) => child.send({ kind: 'expect', eventName, count: counts[p] }));
    const heard = this.#ask('heard', () => {}, counts);
    await trigger();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([heard, new Promise((resolve) => (timer = setTimeout(resolve, HEAR_TIMEOUT_MS)))]);
    clearTimeout(timer);
    const times = await this.#ask('times', (child) => child.send({ kind: 'report' }));
    return times.flatMap((r) => (r.kind === 'times' ? r.receivedAtMs : []));
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.send({ kind: 'close' });
            setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
          }),
      ),
    );
  }

  /** The next reply of `kind` from every process (those expecting nothing are not waited for). */
  #ask(kind: Reply['kind'], send: (child: ChildProcess, p: number) => void, counts?: number[]) {
    return Promise.all(
      this.#children.map(
        (child, p) =>
          new Promise<Reply>((resolve) => {
            if (counts?.[p] === 0) return resolve({ kind: 'heard', count: 0 });
            const onMessage = (message: Reply) => {
              if (message.kind !== kind) return;
              child.off('message', onMessage);
              resolve(message);
            };
            child.on('message', onMessage);
            send(child, p);
          }),
      ),
    );
  }
}

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function createEvent(world: World, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${world.url}/openadr3/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.businessLogicToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`POST /openadr3/events: ${response.status} ${await response.text()}`);
}

async function fanOut(
  broker: string,
  vtn: RunningVtn,
  subscribers: Subscribers,
  eventName: string,
  targets: string[] | undefined,
): Promise<Row> {
  const { world } = vtn;
  const audience = (ven: VenOfWorld) => targets === undefined || targets.includes(ven.feeder);
  let startedMs = 0;
  let postMs = 0;
  const received = await subscribers.hear(eventName, audience, async () => {
    startedMs = nowMs();
    await createEvent(world, {
      programID: targets === undefined ? world.priceProgramId : world.flexProgramId,
      eventName,
      ...(targets === undefined ? {} : { targets }),
      intervalPeriod: { start: new Date(Date.now() + 3600_000).toISOString(), duration: 'PT5M' },
      intervals: [{ id: 0, payloads: [{ type: 'PRICE', values: [0.21] }] }],
    });
    postMs = nowMs() - startedMs;
  });
  const latencies = received.map((at) => at - startedMs).sort((a, b) => a - b);
  return {
    broker,
    event:
      targets === undefined ? `${eventName} (untargeted)` : `${eventName} (targets ${targets.join(', ')})`,
    audience: world.vens.filter(audience).length,
    heard: latencies.length,
    postMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    load: loadAverage(),
  };
}

async function benchBroker(broker: string, mqttSetting: string): Promise<{ rows: Row[]; memory: Memory }> {
  const topicPrefix = `bench-${randomBytes(4).toString('hex')}/`;
  const vtn = await startVtn({
    vens: VENS,
    mqtt: mqttSetting,
    topicPrefix,
    seedEvents: false,
    ...(PROFILE_DIR === undefined ? {} : { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] }),
  });
  const subscribers = new Subscribers(vtn.world.vens);
  try {
    const pid = vtn.child.pid;
    const idleMiB = residentMiB(pid);
    const loginStarted = nowMs();
    const { refused } = await subscribers.connect(vtn.world.mqttUrl as string, topicPrefix);
    const loginS = (nowMs() - loginStarted) / 1000;
    const connectedMiB = residentMiB(pid);
    const rows: Row[] = [];
    for (let n = 1; n <= PRICE_EVENTS; n++)
      rows.push(await fanOut(broker, vtn, subscribers, `price-now-${n}`, undefined));
    rows.push(await fanOut(broker, vtn, subscribers, 'flex-now', [TARGETED_FEEDER]));
    return { rows, memory: { broker, idleMiB, connectedMiB, afterMiB: residentMiB(pid), loginS, refused } };
  } finally {
    await subscribers.close();
    await vtn.stop();
  }
}

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 1883) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const results = [await benchBroker('embedded (aedes)', 'embedded')];
let mosquittoNote = '';
if (MOSQUITTO === 'off') mosquittoNote = 'Mosquitto skipped (BENCH_MOSQUITTO_URL=off).';
else if (!(await reachable(MOSQUITTO))) mosquittoNote = `Mosquitto skipped: nothing listens at ${MOSQUITTO}.`;
else results.push(await benchBroker(`Mosquitto (${MOSQUITTO})`, MOSQUITTO));

const rows = results.flatMap((r) => r.rows);
console.log(
  `${VENS.toLocaleString('en-US')} VENs, each its own MQTT connection (in ${SUBSCRIBER_PROCESSES} subscriber processes) subscribed to vens/{venID}/events/+ at QoS 1; the VTN on SQLite in its own process; latency from just before the POST to each VEN's receipt\n`,
);
console.log(
  '| broker | event | VENs it is for | VENs that heard it | POST ms | p50 ms | p99 ms | last ms | load avg (1 min) |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.broker} | ${r.event} | ${r.audience.toLocaleString('en-US')} | ${r.heard.toLocaleString('en-US')} | ${r.postMs.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.max.toFixed(0)} | ${r.load} |`,
  );
console.log(
  '\n| broker | logins + subscriptions, s | refused | server RSS idle MiB | with subscribers MiB | after the events MiB |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const { memory: m } of results)
  console.log(
    `| ${m.broker} | ${m.loginS.toFixed(1)} | ${m.refused} | ${m.idleMiB.toFixed(0)} | ${m.connectedMiB.toFixed(0)} | ${m.afterMiB.toFixed(0)} |`,
  );
if (mosquittoNote !== '') console.log(`\n${mosquittoNote}`);
console.log(
  `\nMedian p99 of the price events: ${median(rows.filter((r) => r.audience === VENS).map((r) => r.p99)).toFixed(0)} ms.`,
);
