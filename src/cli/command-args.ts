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

/**
 * A numeric option: undefined when not given; otherwise the number, or a coded usage error pushed onto
 * `problems` when it is not a number in [min, max] (above 0 when `min` is exclusive), or not whole when
 * `integer`.
 */
export function numberOption(
  text: string | boolean | undefined,
  name: string,
  range: {
    readonly min: number;
    readonly max: number;
    readonly exclusiveMin?: boolean;
    readonly integer?: boolean;
  },
  problems: TeError[],
): number | undefined {
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  const inRange =
    Number.isFinite(value) &&
    (range.exclusiveMin === true ? value > range.min : value >= range.min) &&
    value <= range.max &&
    (range.integer !== true || Number.isInteger(value));
  if (inRange) return value;
  const kind = range.integer === true ? 'an integer' : 'a number';
  const lower = range.exclusiveMin === true ? `above ${range.min}` : `from ${range.min}`;
  const upper = range.exclusiveMin === true ? `at most ${range.max}` : `to ${range.max}`;
  problems.push(
    new TeError(
      'TE_ERR_USAGE',
      `--${name} must be ${kind} ${lower} ${range.exclusiveMin === true ? 'and ' : ''}${upper}, got '${text}'`,
      {
        path: `--${name}`,
      },
    ),
  );
  return undefined;
}
