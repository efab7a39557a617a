/**
 * tenet standards [--segment S] [--json] [--file FILE]
 * The standards inventory (standards/inventory.yaml): by platform segment, what each standard covers and,
 * for the ones tenet implements, the modules and tests that show it.
 */
import { resolve } from 'node:path';
import { TeError } from '../../core/errors.js';
import { formatInventory } from '../../standards/format-inventory.js';
import { inventoryView, segmentNamed } from '../../standards/inventory-view.js';
import { readStandardsInventory } from '../../standards/load-inventory.js';
import { SEGMENT_IDS, type SegmentId } from '../../standards/standards-schema.js';
import { parseCommandArgs } from '../command-args.js';
import { reportErrors } from '../command-output.js';
import type { CliCommand } from '../io.js';

const USAGE = `Usage: tenet standards [--segment S] [--json] [--file FILE]

Lists the standards a transactive energy platform meets, by platform segment, with each one's body,
version, scope and status (implemented, partial, interoperable-via, planned, not-planned), and for the
ones tenet implements what is covered and the modules and tests that show it.

  --segment S   only segment S: ${SEGMENT_IDS.join(', ')}
  --json        the inventory as JSON ({ title, segments, standards }), as GET /api/standards answers
  --file FILE   another inventory file (default: the one shipped with tenet)`;

export const standardsCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    { segment: { type: 'string' }, json: { type: 'boolean' }, file: { type: 'string' } },
    USAGE,
    'standards',
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    return reportErrors(io, [
      new TeError('TE_ERR_USAGE', `tenet standards takes no arguments, got '${positionals.join(' ')}'`, {
        hint: 'tenet standards --help',
      }),
    ]);
  }
  let segment: SegmentId | undefined;
  if (values.segment !== undefined) {
    const named = segmentNamed(values.segment, '--segment');
    if (!named.ok) return reportErrors(io, [named.error]);
    segment = named.value;
  }
  const inventory = await readStandardsInventory(
    values.file === undefined ? undefined : resolve(io.cwd, values.file),
  );
  if (!inventory.ok) return reportErrors(io, inventory.error);
  const view = inventoryView(inventory.value, segment);
  io.stdout.write(values.json === true ? `${JSON.stringify(view, null, 2)}\n` : `${formatInventory(view)}\n`);
  return 0;
};
