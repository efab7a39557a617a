/**
 * The search operations' query parameters as OpenADR 3.1.1 declares them (arrays as repeated keys,
 * `?targets=a&targets=b`), plus OpenADR 3.0.1's `targetType` and `targetValues`, which 3.0.1 clients
 * send: `targetValues` is read as `targets` (3.1.1 targets are plain strings, so `targetType` has
 * nothing to select and is ignored). Unknown parameters are refused, so a misspelt filter is an error
 * rather than a silently unfiltered list.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { INT32, ObjectIdSchema, ObjectTypeNameSchema, ShortTextSchema, TargetSchema } from './common.js';

/** The spec's maximum `limit`; also the default when a search gives none. */
export const MAX_PAGE = 50;
const MAX_QUERY_VALUES = 100;

function OneOrMany<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Array(schema, { maxItems: MAX_QUERY_VALUES })]);
}

const Page = {
  skip: Type.Integer({ minimum: 0, maximum: INT32.maximum, default: 0, description: 'records to skip' }),
  limit: Type.Integer({ minimum: 0, maximum: MAX_PAGE, default: MAX_PAGE, description: 'at most this many' }),
};

const Targets = {
  targets: Type.Optional(OneOrMany(TargetSchema)),
  targetValues: Type.Optional(OneOrMany(TargetSchema)),
  targetType: Type.Optional(Type.String({ maxLength: 128, description: 'OpenADR 3.0.1; ignored' })),
};

const strict = { additionalProperties: false } as const;

export const ProgramSearchSchema = Type.Object({ ...Targets, ...Page }, strict);
export const EventSearchSchema = Type.Object(
  { programID: Type.Optional(ObjectIdSchema), ...Targets, ...Page, active: Type.Optional(Type.Boolean()) },
  strict,
);
export const ReportSearchSchema = Type.Object(
  {
    programID: Type.Optional(ObjectIdSchema),
    eventID: Type.Optional(ObjectIdSchema),
    clientName: Type.Optional(ShortTextSchema),
    ...Page,
  },
  strict,
);
export const SubscriptionSearchSchema = Type.Object(
  {
    programID: Type.Optional(ObjectIdSchema),
    clientName: Type.Optional(ShortTextSchema),
    objects: Type.Optional(OneOrMany(ObjectTypeNameSchema)),
    ...Targets,
    ...Page,
  },
  strict,
);
export const VenSearchSchema = Type.Object(
  { venName: Type.Optional(ShortTextSchema), ...Targets, ...Page },
  strict,
);
export const ResourceSearchSchema = Type.Object(
  {
    resourceName: Type.Optional(ShortTextSchema),
    venID: Type.Optional(ObjectIdSchema),
    ...Targets,
    ...Page,
  },
  strict,
);
export const LegacyResourceSearchSchema = Type.Object({ ...Targets, ...Page }, strict);

export type TargetsQuery = Partial<Record<'targets' | 'targetValues', string | string[]>>;

/** The requested targets, from `targets` or 3.0.1's `targetValues`; undefined when neither was given. */
export function requestedTargets(query: TargetsQuery): string[] | undefined {
  if (query.targets === undefined && query.targetValues === undefined) return undefined;
  return [...new Set([...listOf(query.targets), ...listOf(query.targetValues)])];
}

export function listOf<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function idParams<K extends string>(name: K) {
  return Type.Object({ [name]: ObjectIdSchema } as Record<K, typeof ObjectIdSchema>, strict);
}

export type Page = { skip: number; limit: number };
export type ProgramSearch = Static<typeof ProgramSearchSchema>;
