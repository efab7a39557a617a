/**
 * Reads the OpenDSS script subset that utilities use to share feeders into tenet's `Network`. Pure: the
 * entry script and every file it `Redirect`s, `Compile`s or reads with `BusCoords` come through `resolve`,
 * so the caller decides where files live (the CLI reads them from disk, tests from fixtures).
 *
 * Returns the network and the warnings (skipped reporting commands, dropped details), or the first coded
 * error: `TE_ERR_DSS_SYNTAX`, `TE_ERR_DSS_UNSUPPORTED`, `TE_ERR_DSS_REFERENCE`, `TE_ERR_DSS_INVALID`,
 * `TE_ERR_FILE_NOT_FOUND`, or the network model's own `TE_ERR_GRID_*` from `validateNetwork`.
 */
import { isTeError, TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { Network } from '../network.js';
import { validateNetwork } from '../network-validation.js';
import { runDssScript, runDssText, type DssFileResolver } from './command-runner.js';
import { assembleNetwork, type AssemblyOptions } from './network-assembly.js';
import type { DssScript } from './script-ir.js';

export type { DssFileResolver } from './command-runner.js';
export type { AssemblyOptions as OpenDssReadOptions } from './network-assembly.js';

export interface OpenDssNetwork {
  readonly network: Network;
  readonly warnings: readonly string[];
}

/** Reads the script at `entryPath` (resolved through `resolve`, as are the files it names). */
export function readOpenDss(
  entryPath: string,
  resolve: DssFileResolver,
  options: AssemblyOptions = {},
): Result<OpenDssNetwork> {
  return guarded(() => runDssScript(entryPath, resolve), options);
}

/** Reads a script given as text; `file` names it in messages and anchors relative `Redirect` paths. */
export function readOpenDssText(
  text: string,
  file = 'script.dss',
  resolve: DssFileResolver = () => undefined,
  options: AssemblyOptions = {},
): Result<OpenDssNetwork> {
  return guarded(() => runDssText(text, file, resolve), options);
}

function guarded(run: () => DssScript, options: AssemblyOptions): Result<OpenDssNetwork> {
  try {
    const { network, warnings } = assembleNetwork(run(), options);
    const problems = validateNetwork(network);
    const first = problems[0];
    if (first !== undefined) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
      return err(
        new TeError(first.code, `${first.message}${more}`, {
          ...(first.path === undefined ? {} : { path: first.path }),
          ...(first.hint === undefined ? {} : { hint: first.hint }),
        }),
      );
    }
    return ok({ network, warnings });
  } catch (caught) {
    if (isTeError(caught)) return err(caught);
    throw caught;
  }
}
