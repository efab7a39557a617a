/**
 * Argument parsing shared by the commands: node's parseArgs with a `--help` that prints the usage, and
 * unknown options reported as a coded usage error. Returns the parsed arguments, or the exit status when
 * the command is already done (help printed, or a usage error reported).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TeError } from '../core/errors.js';
import { reportErrors } from './command-output.js';
import type { CliIo } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(
  args: readonly string[],
  options: T,
  usage: string,
  command: string,
  io: CliIo,
):
  | ReturnType<
      typeof parseArgs<{ args: string[]; allowPositionals: true; options: T & { help: { type: 'boolean' } } }>
    >
  | number {
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...options, help: { type: 'boolean' as const } },
    });
    if ((parsed.values as { help?: boolean }).help === true) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    return parsed;
  } catch (caught) {
    return reportErrors(io, [
      new TeError('TE_ERR_USAGE', (caught as Error).message, { hint: `tenet ${command} --help` }),
    ]);
  }
}
