/**
 * The inventory as `tenet standards --json` prints it and GET /api/standards answers it: the segments
 * asked for (all, or one) with their labels, and the standards in them, in the file's order.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import {
  SEGMENT_IDS,
  SEGMENTS,
  SegmentIdSchema,
  StandardSchema,
  type SegmentId,
  type StandardsInventory,
} from './standards-schema.js';

export const SegmentSchema = Type.Object(
  { id: SegmentIdSchema, label: Type.String(), description: Type.String() },
  { additionalProperties: false },
);

export const InventoryViewSchema = Type.Object(
  {
    title: Type.String(),
    segments: Type.Array(SegmentSchema, { description: 'the segments shown, in the outline’s order' }),
    standards: Type.Array(StandardSchema, {
      description: 'the standards in those segments, in the inventory’s order',
    }),
  },
  { additionalProperties: false },
);

export type InventoryView = Static<typeof InventoryViewSchema>;

/** The whole inventory, or the part in `segment`. */
export function inventoryView(inventory: StandardsInventory, segment?: SegmentId): InventoryView {
  const segments = SEGMENTS.filter((s) => segment === undefined || s.id === segment).map((s) => ({
    id: s.id,
    label: s.label,
    description: s.description,
  }));
  const standards = inventory.standards.filter(
    (standard) => segment === undefined || standard.segments.includes(segment),
  );
  return { title: inventory.title, segments, standards };
}

/** A segment named on a command line or in a query, or a coded error listing the segments there are. */
export function segmentNamed(text: string, where: string): Result<SegmentId, TeError> {
  const known = SEGMENT_IDS.find((id) => id === text.trim().toLowerCase());
  if (known !== undefined) return ok(known);
  return err(
    new TeError('TE_ERR_USAGE', `unknown segment '${text}'`, {
      path: where,
      hint: `the segments are: ${SEGMENT_IDS.join(', ')}`,
    }),
  );
}
