/**
 * A damped fixed-point iteration between a power flow and the inverters' steady-state responses, for a
 * quasi-static simulation where the inverters' commands change the voltages they respond to. Plain
 * substitution oscillates on a stiff feeder (high X·dQ/dV); damping keeps each step a fraction α of the
 * way to the response:  c_{k+1} = c_k + α (f(V(c_k)) − c_k).
 * For a linear response with loop gain g = |dQ/dV · dV/dQ| the iteration converges when α < 2/(1 + g).
 */
import type { InverterCommand } from './power-limits.js';

/** The power flow as the loop sees it: one command per inverter in, the voltage (pu) at each inverter out. */
export type InverterVoltageSolver = (commands: readonly InverterCommand[]) => readonly number[];

/** An inverter's steady-state command at a voltage (e.g. v => inverterCommand(settings, {...m, vPu: v})). */
export type InverterVoltageResponse = (vPu: number) => InverterCommand;

export interface OuterLoopOptions {
  /** α in (0, 1]: 1 is plain substitution. */
  readonly dampingFactor: number;
  /** Largest change of any P or Q (per unit) that counts as converged. */
  readonly tolerancePu: number;
  readonly maxIterations: number;
}

export const DEFAULT_OUTER_LOOP_OPTIONS: OuterLoopOptions = {
  dampingFactor: 0.5,
  tolerancePu: 1e-6,
  maxIterations: 100,
};

export type OuterLoopStopReason = 'converged' | 'iteration-limit' | 'non-finite-voltage';

export interface OuterLoopResult {
  readonly converged: boolean;
  readonly reason: OuterLoopStopReason;
  readonly iterations: number;
  /** The last finite commands (the initial ones if the first solve already failed). */
  readonly commands: readonly InverterCommand[];
  /** The voltages the last commands produced (empty if the solver never returned finite voltages). */
  readonly voltagesPu: readonly number[];
  /** The largest change in the last iteration (Infinity if none was made). */
  readonly lastChangePu: number;
}

export function solveInverterOuterLoop(
  solve: InverterVoltageSolver,
  responses: readonly InverterVoltageResponse[],
  initialCommands: readonly InverterCommand[],
  options: Partial<OuterLoopOptions> = {},
): OuterLoopResult {
  const { dampingFactor, tolerancePu, maxIterations } = { ...DEFAULT_OUTER_LOOP_OPTIONS, ...options };
  const alpha = Math.min(1, Math.max(Number.MIN_VALUE, dampingFactor));
  let commands: readonly InverterCommand[] = initialCommands;
  let voltagesPu: readonly number[] = [];
  let lastChangePu = Number.POSITIVE_INFINITY;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const solved = solve(commands);
    if (solved.length !== responses.length || !solved.every(Number.isFinite)) {
      return {
        converged: false,
        reason: 'non-finite-voltage',
        iterations: iteration - 1,
        commands,
        voltagesPu,
        lastChangePu,
      };
    }
    voltagesPu = solved;
    let maxChangePu = 0;
    const next: InverterCommand[] = [];
    for (let i = 0; i < responses.length; i++) {
      const current = commands[i] ?? { pPu: 0, qPu: 0 };
      const target = (responses[i] as InverterVoltageResponse)(solved[i] as number);
      const pPu = current.pPu + alpha * (target.pPu - current.pPu);
      const qPu = current.qPu + alpha * (target.qPu - current.qPu);
      maxChangePu = Math.max(maxChangePu, Math.abs(pPu - current.pPu), Math.abs(qPu - current.qPu));
      next.push({ pPu, qPu });
    }
    if (!Number.isFinite(maxChangePu)) {
      return {
        converged: false,
        reason: 'non-finite-voltage',
        iterations: iteration,
        commands,
        voltagesPu,
        lastChangePu,
      };
    }
    commands = next;
    lastChangePu = maxChangePu;
    if (maxChangePu < tolerancePu) {
      voltagesPu = solve(commands);
      return {
        converged: true,
        reason: 'converged',
        iterations: iteration,
        commands,
        voltagesPu,
        lastChangePu,
      };
    }
  }
  const finalVoltagesPu = solve(commands);
  if (finalVoltagesPu.every(Number.isFinite)) voltagesPu = finalVoltagesPu;
  return {
    converged: false,
    reason: 'iteration-limit',
    iterations: maxIterations,
    commands,
    voltagesPu,
    lastChangePu,
  };
}
