import { isTeError, TeError } from '../core/errors.js';
import type { CliCommand, CliIo } from './io.js';

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CliCommand>;
}

/** Commands load lazily so `tenet clear` does not pay for the simulator's imports. */
const COMMANDS = {
  demo: {
    summary: "the live platform with the scenario's homes trading on it over the API, a day in ten minutes",
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  serve: {
    summary: 'run the live platform: HTTP API on :8825, markets clearing on the clock, settlement ledger',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  simulate: {
    summary: 'simulate a scenario with the market and without it; KPIs, CSV and an HTML report',
    load: async () => (await import('./commands/simulate.js')).simulateCommand,
  },
  compare: {
    summary: 'run market designs on the same community and compare them side by side',
    load: async () => (await import('./commands/compare.js')).compareCommand,
  },
  ledger: {
    summary: 'verify the settlement journal (hash chain, balances, energy per slot)',
    load: async () => (await import('./commands/ledger.js')).ledgerCommand,
  },
  clear: {
    summary: 'clear an order book with the uniform-price double auction',
    load: async () => (await import('./commands/clear.js')).clearCommand,
  },
  standards: {
    summary: 'the standards a TE platform meets, by platform segment, and what tenet implements of them',
    load: async () => (await import('./commands/standards.js')).standardsCommand,
  },
  powerflow: {
    summary:
      'solve the three-phase power flow of a feeder (Kersting or radial CSV directory, or OpenDSS .dss)',
    load: async () => (await import('./commands/powerflow.js')).powerflowCommand,
  },
} satisfies Record<string, CommandEntry>;

type CommandName = keyof typeof COMMANDS;

function usage(): string {
  const lines = Object.entries(COMMANDS as Record<string, CommandEntry>).map(
    ([name, entry]) => `  ${name.padEnd(10)} ${entry.summary}`,
  );
  return [
    'Usage: tenet <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'tenet <command> --help for its options.',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = (COMMANDS as Record<string, CommandEntry | undefined>)[name];
  if (entry === undefined) {
    const error = new TeError('TE_ERR_USAGE', `unknown command '${name}'`, {
      hint: 'run tenet --help for the list',
    });
    io.stderr.write(`${error.toLine()}\n`);
    return error.exitCode;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (caught) {
    // Commands report their own coded errors; this is the last guard so no stack reaches a user.
    const error = isTeError(caught)
      ? caught
      : new TeError('TE_ERR_INTERNAL', caught instanceof Error ? caught.message : String(caught), {
          hint: 'this is a bug in tenet; please report it with the command you ran',
        });
    io.stderr.write(`${error.toLine()}\n`);
    return error.exitCode;
  }
}

export type { CommandName };
