/**
 * What the VTN keeps of a validated request body: the properties its schema defines, at every level.
 * The Definition lets a VTN ignore properties it does not know ("create a corresponding resource without
 * the additional property") and requires it to ignore the metadata clients echo back (id,
 * createdDateTime, modificationDateTime, objectType), so stored objects hold exactly what the schema
 * describes and responses always match it. The User Guide's 'beginning of time' starts ('0001-01-01')
 * become the RFC 3339 date-time the schema asks for.
 */
import { BEGINNING_OF_TIME } from './schemas/common.js';

interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly const?: unknown;
}

export const BEGINNING_OF_TIME_DATE_TIME = '0001-01-01T00:00:00Z';

export function keepKnownProperties(value: unknown, schema: object): unknown {
  return keep(value, schema as SchemaNode);
}

function keep(value: unknown, schema: SchemaNode): unknown {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) return keepInUnion(value, branches);
  if (Array.isArray(value)) {
    const items = schema.items;
    return items === undefined ? value : value.map((v: unknown) => keep(v, items));
  }
  if (typeof value === 'object' && value !== null && schema.properties !== undefined) {
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (Object.hasOwn(value, key)) out[key] = keep((value as Record<string, unknown>)[key], sub);
    }
    return out;
  }
  return value;
}

function keepInUnion(value: unknown, branches: readonly SchemaNode[]): unknown {
  if (typeof value === 'string' && branches.some((b) => b.const === BEGINNING_OF_TIME[0])) {
    return (BEGINNING_OF_TIME as readonly string[]).includes(value) ? BEGINNING_OF_TIME_DATE_TIME : value;
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    const arrayBranch = branches.find((b) => b.type === 'array');
    return arrayBranch === undefined ? value : keep(value, arrayBranch);
  }
  if (typeof value !== 'object') return value;
  const objects = branches.filter((b) => b.properties !== undefined);
  // Validation already chose the branch by objectType (the spec's discriminator) or by shape.
  const tag = (value as Record<string, unknown>)['objectType'];
  const chosen = objects.find((b) => b.properties?.['objectType']?.const === tag) ?? objects[0];
  return chosen === undefined ? value : keep(value, chosen);
}
