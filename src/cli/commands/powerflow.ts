import { isTeError, TeError } from '../../core/errors.js';
import { solvePowerFlow } from '../../grid/power-flow.js';
import type { PowerFlowResult } from '../../grid/power-flow-result.js';
import type { CliCommand } from '../io.js';
import { loadFeeder } from '../load-feeder.js';

const USAGE = `Usage: tenet powerflow FEEDER [--json]

Solve the unbalanced three-phase power flow of a feeder and print bus voltages, losses and the
substation's supply. FEEDER is a directory of Kersting CSV tables (substation.csv, line_segments.csv,
...) or of a radial case (buses.csv, branches.csv).

  --json   {"converged", "iterations", "buses": {BUS: {PHASE: {"vPu", "angleDeg", "vMagV"}}},
            "lossesKw", "lossesKvar", "substation": {"pKw", "qKvar"}}
           PHASE a, b, c (line-to-neutral, pu of the bus's nominal line-to-neutral) and ab, bc, ca
           (line-to-line, pu of nominal line-to-line); angles relative to the source's phase a.

Exit status: 0 converged, 1 did not converge, 2 bad input or usage.`;

export const powerflowCommand: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const unknown = args.find((a) => a.startsWith('-') && a !== '--json');
    if (unknown !== undefined) {
      throw new TeError('TE_ERR_USAGE', `unknown option '${unknown}'`, {
        hint: 'run tenet powerflow --help',
      });
    }
    const positional = args.filter((a) => !a.startsWith('-'));
    if (positional.length !== 1) {
      throw new TeError('TE_ERR_USAGE', `expected one feeder, got ${positional.length}`, {
        hint: 'tenet powerflow FEEDER [--json]',
      });
    }
    const network = await loadFeeder(positional[0]!, io.cwd, (message) =>
      io.stderr.write(`warning: ${message}\n`),
    );
    const result = solvePowerFlow(network);
    io.stdout.write(
      args.includes('--json') ? `${JSON.stringify(toJson(result), null, 1)}\n` : formatTable(result),
    );
    if (!result.converged)
      io.stderr.write(`power flow did not converge: ${result.reason ?? 'unknown reason'}\n`);
    return result.converged ? 0 : 1;
  } catch (caught) {
    if (!isTeError(caught)) throw caught;
    io.stderr.write(`${caught.toLine()}\n`);
    return caught.exitCode;
  }
};

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function toJson(result: PowerFlowResult): unknown {
  const buses: Record<string, Record<string, { vPu: number; angleDeg: number; vMagV: number }>> = {};
  for (const bus of result.buses) {
    const entry: Record<string, { vPu: number; angleDeg: number; vMagV: number }> = {};
    const voltages = result.balancedEquivalent
      ? bus.lineToNeutral.filter((v) => v.phase === 'a')
      : [...bus.lineToNeutral, ...bus.lineToLine];
    for (const v of voltages) {
      entry[v.phase] = { vPu: round(v.vPu, 7), angleDeg: round(v.angleDeg, 5), vMagV: round(v.vMagV, 3) };
    }
    buses[bus.name] = entry;
  }
  return {
    converged: result.converged,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    iterations: result.iterations,
    buses,
    lossesKw: round(result.lossesKw, 4),
    lossesKvar: round(result.lossesKvar, 4),
    substation: { pKw: round(result.substation.pKw, 4), qKvar: round(result.substation.qKvar, 4) },
    regulatorTaps: result.regulatorTaps,
  };
}

function formatTable(result: PowerFlowResult): string {
  const lines = [
    `converged: ${result.converged} in ${result.iterations} iterations${result.reason === undefined ? '' : ` (${result.reason})`}`,
    '',
    `${'bus'.padEnd(16)} ${'phase'.padEnd(5)} ${'V pu'.padStart(8)} ${'angle°'.padStart(9)} ${'V'.padStart(10)}`,
  ];
  for (const bus of result.buses) {
    const voltages = result.balancedEquivalent
      ? bus.lineToNeutral.filter((v) => v.phase === 'a')
      : bus.lineToNeutral;
    for (const v of voltages) {
      lines.push(
        `${bus.name.padEnd(16)} ${v.phase.padEnd(5)} ${v.vPu.toFixed(4).padStart(8)} ${v.angleDeg.toFixed(2).padStart(9)} ${v.vMagV.toFixed(1).padStart(10)}`,
      );
    }
  }
  lines.push(
    '',
    `losses: ${result.lossesKw.toFixed(2)} kW, ${result.lossesKvar.toFixed(2)} kvar`,
    `substation: ${result.substation.pKw.toFixed(2)} kW, ${result.substation.qKvar.toFixed(2)} kvar`,
  );
  return `${lines.join('\n')}\n`;
}
