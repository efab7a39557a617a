/**
 * The building blocks of OpenADR 3.1.1's schemas (`components.schemas` of the published document) as
 * TypeBox, for request validation and the OpenAPI document. They accept what the spec accepts; where
 * the spec sets no bound, a generous one keeps a single request from filling the store (targets).
 * Unknown properties are not refused here: the VTN drops them (see `known-properties.ts`).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** An optional property that may also be null (the spec's `nullable: true, default: null`). */
export function OptionalNullable<T extends TSchema>(schema: T) {
  return Type.Optional(Nullable(schema));
}

/** OpenAPI's discriminated `oneOf`: Ajv picks the branch by `objectType` and reports only its errors. */
export function OneOfByObjectType<T extends TSchema[]>(branches: [...T], description: string) {
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    oneOf: branches,
    discriminator: { propertyName: 'objectType' },
    description,
  });
}

export const INT32 = { minimum: -2_147_483_648, maximum: 2_147_483_647 } as const;
export const MAX_TARGETS = 1000;

export const ObjectIdSchema = Type.String({
  pattern: '^[a-zA-Z0-9_-]*$',
  minLength: 1,
  maxLength: 128,
  description: 'URL safe VTN assigned object ID',
});

export const ShortTextSchema = Type.String({ minLength: 1, maxLength: 128 });
export const ClientIdSchema = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'the OAuth client id of the VEN the object belongs to',
});

export const TargetSchema = Type.String({ minLength: 1, maxLength: 128, description: 'a target label' });
export const TargetsSchema = OptionalNullable(Type.Array(TargetSchema, { maxItems: MAX_TARGETS }));

/** The User Guide's 'beginning of time' starts; stored as `0001-01-01T00:00:00Z`. */
export const BEGINNING_OF_TIME = ['0001-01-01', '0001-01-01T00:00:00'] as const;

export const DateTimeSchema = Type.String({ format: 'date-time', description: 'RFC 3339 date-time' });
const StartSchema = Type.Union([DateTimeSchema, ...BEGINNING_OF_TIME.map((s) => Type.Literal(s))], {
  description: "RFC 3339 date-time, or '0001-01-01' for the beginning of time (User Guide 7.3)",
});

/** The spec's ISO 8601 duration pattern, verbatim. */
export const DURATION_PATTERN =
  '^(-?)P(?=\\d|T\\d)(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)([DW]))?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$';
export const DurationSchema = Type.String({ pattern: DURATION_PATTERN, description: 'ISO 8601 duration' });

export const IntervalPeriodSchema = Type.Object({
  start: Type.Optional(StartSchema),
  duration: Type.Optional(DurationSchema),
  randomizeStart: Type.Optional(DurationSchema),
});

export const PointSchema = Type.Object({ x: Type.Number(), y: Type.Number() });

export const ValuesMapSchema = Type.Object({
  type: ShortTextSchema,
  values: Type.Array(Type.Union([Type.Number(), Type.String(), Type.Boolean(), PointSchema])),
});
export const ValuesMapsSchema = OptionalNullable(Type.Array(ValuesMapSchema));

export const IntervalSchema = Type.Object({
  id: Type.Integer({ ...INT32, description: 'client generated, not a sequence number' }),
  intervalPeriod: Type.Optional(IntervalPeriodSchema),
  payloads: Type.Array(ValuesMapSchema),
});

const UnitsSchema = OptionalNullable(ShortTextSchema);

export const EventPayloadDescriptorSchema = Type.Object({
  objectType: Type.Literal('EVENT_PAYLOAD_DESCRIPTOR'),
  payloadType: ShortTextSchema,
  units: UnitsSchema,
  currency: OptionalNullable(Type.String()),
});

export const ReportPayloadDescriptorSchema = Type.Object({
  objectType: Type.Literal('REPORT_PAYLOAD_DESCRIPTOR'),
  payloadType: ShortTextSchema,
  readingType: OptionalNullable(ShortTextSchema),
  units: UnitsSchema,
  accuracy: OptionalNullable(Type.Number()),
  confidence: OptionalNullable(Type.Integer({ minimum: 0, maximum: 100 })),
});

export const ReportDescriptorSchema = Type.Object({
  payloadType: ShortTextSchema,
  readingType: OptionalNullable(ShortTextSchema),
  units: UnitsSchema,
  targets: TargetsSchema,
  aggregate: Type.Optional(Type.Boolean()),
  startInterval: Type.Optional(Type.Integer(INT32)),
  numIntervals: Type.Optional(Type.Integer(INT32)),
  historical: Type.Optional(Type.Boolean()),
  frequency: Type.Optional(Type.Integer(INT32)),
  repeat: Type.Optional(Type.Integer(INT32)),
  reportIntervals: Type.Optional(
    Type.Union([Type.Literal('INTERVALS'), Type.Literal('SUB_INTERVALS'), Type.Literal('OPEN_INTERVALS')]),
  ),
});

export const OBJECT_TYPE_NAMES = ['PROGRAM', 'EVENT', 'REPORT', 'SUBSCRIPTION', 'VEN', 'RESOURCE'] as const;
export const ObjectTypeNameSchema = Type.Union(OBJECT_TYPE_NAMES.map((t) => Type.Literal(t)));

/** What the VTN adds to every object it stores. */
export function metadataOf<T extends (typeof OBJECT_TYPE_NAMES)[number]>(objectType: T) {
  return {
    id: ObjectIdSchema,
    createdDateTime: DateTimeSchema,
    modificationDateTime: DateTimeSchema,
    objectType: Type.Literal(objectType),
  };
}

export type IntervalPeriod = Static<typeof IntervalPeriodSchema>;
export type Interval = Static<typeof IntervalSchema>;
