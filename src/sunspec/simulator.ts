/**
 * A simulated SunSpec inverter served over Modbus TCP on loopback (modbus-serial's ServerTCP), its
 * register map built from the same model definitions as the client: common (1), DER AC measurements
 * (701), capacity (702), enter service (703, stored only), AC controls (704), volt-var (705), volt-watt
 * (706, stored only) and the end marker. Behind the map sits a
 * simple PV inverter: export is the available PV power, capped by 702's WMax and, when 704's
 * WMaxLimPctEna is set, by WMaxLimPct of WMax; 701 is recomputed after every write, so a written limit
 * shows in the next measurement.
 */
import { createServer } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import { TeError } from '../core/errors.js';
import { SUNS_MARKER, END_MODEL_ID } from './client.js';
import { decodePoint, encodePoint, scaleFactorOf, unimplementedRegisters } from './codec.js';
import { layoutModel, loadModelDefs, symbolValue, type ModelDef, type ModelLayout } from './models.js';
import { CURVE_COUNTS, initialValues, SIM_MODELS } from './simulator-values.js';

export interface SunSpecSimulatorOptions {
  /** SunSpec base address: 40000 (default), 0 or 50000. */
  readonly base?: number;
  /** Loopback port; by default a free one. */
  readonly port?: number;
  readonly ratedW?: number;
  readonly pvAvailableW?: number;
  readonly models?: ReadonlyMap<number, ModelDef>;
}

interface Placed {
  readonly layout: ModelLayout;
  /** Index in the register array of the model's ID register. */
  readonly start: number;
}

const ILLEGAL_ADDRESS = { modbusErrorCode: 0x02 };

export class SunSpecDeviceSimulator {
  private readonly regs: Uint16Array;
  private readonly writable: Uint8Array;
  private readonly placed = new Map<number, Placed>();
  private pvW: number;

  private constructor(
    readonly base: number,
    private readonly server: ServerTCP,
    readonly port: number,
    layouts: readonly ModelLayout[],
    options: SunSpecSimulatorOptions,
  ) {
    const total = 2 + layouts.reduce((n, l) => n + l.length, 0) + 2;
    this.regs = new Uint16Array(total);
    this.writable = new Uint8Array(total);
    this.regs.set(SUNS_MARKER, 0);
    let at = 2;
    for (const layout of layouts) {
      this.placed.set(layout.model.id, { layout, start: at });
      for (const p of layout.points) {
        this.regs.set(unimplementedRegisters(p.def), at + p.offset);
        if (p.def.access === 'RW') this.writable.fill(1, at + p.offset, at + p.offset + p.def.size);
      }
      this.regs.set([layout.model.id, layout.length - 2], at);
      at += layout.length;
    }
    this.regs.set([END_MODEL_ID, 0], at);
    this.pvW = options.pvAvailableW ?? 6000;
    // Scale factors first: every scaled value is encoded with them.
    const values = initialValues(options.ratedW ?? 10000);
    const ordered = values.sort((a, b) => Number(b.path.endsWith('_SF')) - Number(a.path.endsWith('_SF')));
    for (const v of ordered) this.set(v.model, v.path, v.value);
    this.recompute();
  }

  /** Starts the simulator on a free loopback port. */
  static async start(options: SunSpecSimulatorOptions = {}): Promise<SunSpecDeviceSimulator> {
    const defs = options.models ?? loadModelDefs();
    const layouts = SIM_MODELS.map((id) => {
      const def = defs.get(id);
      if (def === undefined) throw new TeError('TE_ERR_SUNSPEC_MODEL', `no definition of model ${id}`);
      return layoutModel(def, CURVE_COUNTS[id] ?? {});
    });
    const base = options.base ?? 40000;
    // The vector closes over `holder` because the simulator exists only once the server is listening.
    const holder: { sim?: SunSpecDeviceSimulator } = {};
    const vector = {
      getHoldingRegister: (addr: number): number => holder.sim?.readRegs(addr, 1)[0] ?? 0,
      getMultipleHoldingRegisters: (addr: number, length: number): number[] =>
        holder.sim?.readRegs(addr, length) ?? [],
      setRegisterArray: (addr: number, values: number[]): void => holder.sim?.writeRegs(addr, values),
      setRegister: (addr: number, value: number): void => holder.sim?.writeRegs(addr, [value]),
    };
    const { server, port } = await listen(vector, options.port);
    holder.sim = new SunSpecDeviceSimulator(base, server, port, layouts, options);
    return holder.sim;
  }

  /** Sets the PV power available (W); the export follows at once. */
  setPvAvailable(watts: number): void {
    this.pvW = Math.max(0, watts);
    this.recompute();
  }

  /** Power exported now (W), after limits. */
  get exportW(): number {
    const w = this.get(701, 'W');
    return typeof w === 'number' ? w : 0;
  }

  /** Address of a model's ID register, for tests that corrupt the map. */
  modelAddress(id: number): number {
    const placed = this.placed.get(id);
    if (placed === undefined) throw new TeError('TE_ERR_SUNSPEC_MODEL', `the simulator has no model ${id}`);
    return this.base + placed.start;
  }

  /** Open client connections, to show a client reuses its connection. */
  get connectionCount(): number {
    return this.server.socks.size;
  }

  /** Registers in the map, from the base through the end marker. */
  get registerCount(): number {
    return this.regs.length;
  }

  /** Overwrites raw registers with no checks on content: a test hook to build malformed maps. */
  pokeRegisters(address: number, values: readonly number[]): void {
    const i = address - this.base;
    if (i < 0 || i + values.length > this.regs.length) {
      throw new TeError(
        'TE_ERR_SUNSPEC_MAP',
        `registers ${address}+${values.length} are outside the simulated map`,
      );
    }
    this.regs.set(values, i);
  }

  async close(): Promise<void> {
    for (const sock of this.server.socks.keys()) sock.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private readRegs(address: number, count: number): number[] {
    const i = address - this.base;
    if (i < 0 || i + count > this.regs.length) throw ILLEGAL_ADDRESS;
    return [...this.regs.subarray(i, i + count)];
  }

  private writeRegs(address: number, values: readonly number[]): void {
    const i = address - this.base;
    if (i < 0 || i + values.length > this.regs.length) throw ILLEGAL_ADDRESS;
    if (this.writable.subarray(i, i + values.length).some((w) => w === 0)) throw ILLEGAL_ADDRESS;
    this.regs.set(values, i);
    this.recompute();
  }

  private get(model: number, path: string): number | string | undefined {
    const placed = this.placed.get(model);
    const point = placed?.layout.byPath.get(path);
    if (placed === undefined || point === undefined) return undefined;
    const regs = [...this.regs.subarray(placed.start, placed.start + placed.layout.length)];
    const slice = regs.slice(point.offset, point.offset + point.def.size);
    return decodePoint(point.def, slice, scaleFactorOf(placed.layout, point, regs));
  }

  private set(model: number, path: string, value: number | string): void {
    const placed = this.placed.get(model);
    const point = placed?.layout.byPath.get(path);
    if (placed === undefined || point === undefined) {
      throw new TeError('TE_ERR_SUNSPEC_MODEL', `the simulator has no point ${model}.${path}`);
    }
    const regs = [...this.regs.subarray(placed.start, placed.start + placed.layout.length)];
    const symbolic = typeof value === 'string' && point.def.symbols.length > 0;
    const raw = symbolic ? symbolValue(point.def, value) : value;
    this.regs.set(
      encodePoint(point, raw, scaleFactorOf(placed.layout, point, regs)),
      placed.start + point.offset,
    );
  }

  /** The inverter: export = min(PV, WMax, limit); 701 follows. */
  private recompute(): void {
    const rated = Number(this.get(702, 'WMaxRtg') ?? 0);
    // Like real inverters, a WMax setting above the nameplate is clamped, not refused: the client's
    // read-back is what catches it.
    if (Number(this.get(702, 'WMax') ?? 0) > rated) this.set(702, 'WMax', rated);
    const wMax = Number(this.get(702, 'WMax') ?? rated);
    const limited = this.get(704, 'WMaxLimPctEna') === 1;
    const pct = Number(this.get(704, 'WMaxLimPct') ?? 100);
    const cap = limited ? (wMax * Math.min(100, Math.max(0, pct))) / 100 : wMax;
    const w = Math.round(Math.min(this.pvW, cap));
    const v = 240;
    this.set(701, 'W', w);
    this.set(701, 'VA', w);
    this.set(701, 'Var', 0);
    this.set(701, 'PF', 1);
    this.set(701, 'A', Math.round((w / v) * 100) / 100);
    this.set(701, 'ThrotPct', this.pvW > 0 ? Math.round((100 * (this.pvW - w)) / this.pvW) : 0);
    this.set(701, 'St', w > 0 ? 'ON' : 'OFF');
  }
}

type Vector = ConstructorParameters<typeof ServerTCP>[0];

/** ServerTCP treats port 0 as "use 502", so borrow a free port from the OS first. */
async function listen(vector: Vector, wanted?: number): Promise<{ server: ServerTCP; port: number }> {
  const port =
    wanted ??
    (await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        const free = typeof address === 'object' && address !== null ? address.port : 0;
        probe.close(() => resolve(free));
      });
    }));
  const server = new ServerTCP(vector, { host: '127.0.0.1', port, unitID: 1 });
  // ServerTCP re-emits a peer's socket failures as 'error'; unheard, that would take the process down.
  server.on('error', () => undefined);
  server.on('socketError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('serverError', (error) => reject(error ?? new Error('Modbus server failed to start')));
  });
  return { server, port };
}
