/**
 * The six OpenADR 3.1.1 objects: what a client sends (`...Request`) and what the VTN serves (the request
 * with its metadata). Programs also take OpenADR 3.0.1's program fields (retailer, country, binding
 * events ...), which 3.1.1 dropped, so 3.0.1 clients get back what they wrote (3.1.1 allows extra
 * properties). Reports are served with the `programID` of their event, which 3.0.1 clients require.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  ClientIdSchema,
  DurationSchema,
  EventPayloadDescriptorSchema,
  IntervalPeriodSchema,
  IntervalSchema,
  metadataOf,
  ObjectIdSchema,
  ObjectTypeNameSchema,
  OneOfByObjectType,
  OptionalNullable,
  ReportDescriptorSchema,
  ReportPayloadDescriptorSchema,
  ShortTextSchema,
  TargetsSchema,
  ValuesMapsSchema,
} from './common.js';

const OptionalText = OptionalNullable(Type.String());

export const ProgramRequestSchema = Type.Object({
  programName: Type.String({ minLength: 1, maxLength: 128, description: 'unique on the VTN' }),
  intervalPeriod: Type.Optional(IntervalPeriodSchema),
  programDescriptions: OptionalNullable(
    Type.Array(Type.Object({ URL: Type.String({ format: 'uri', minLength: 2, maxLength: 8000 }) })),
  ),
  payloadDescriptors: OptionalNullable(
    Type.Array(
      OneOfByObjectType(
        [EventPayloadDescriptorSchema, ReportPayloadDescriptorSchema],
        'an event or report payload descriptor',
      ),
    ),
  ),
  attributes: ValuesMapsSchema,
  targets: TargetsSchema,
  // OpenADR 3.0.1's program fields.
  programLongName: OptionalText,
  retailerName: OptionalText,
  retailerLongName: OptionalText,
  programType: OptionalText,
  country: OptionalText,
  principalSubdivision: OptionalText,
  timeZoneOffset: Type.Optional(DurationSchema),
  bindingEvents: OptionalNullable(Type.Boolean()),
  localPrice: OptionalNullable(Type.Boolean()),
});

export const EventRequestSchema = Type.Object({
  programID: ObjectIdSchema,
  eventName: OptionalText,
  duration: Type.Optional(DurationSchema),
  priority: OptionalNullable(
    Type.Integer({ minimum: 0, description: 'a lower number is a higher priority' }),
  ),
  targets: TargetsSchema,
  reportDescriptors: OptionalNullable(Type.Array(ReportDescriptorSchema)),
  payloadDescriptors: OptionalNullable(Type.Array(EventPayloadDescriptorSchema)),
  intervalPeriod: Type.Optional(IntervalPeriodSchema),
  intervals: Type.Optional(Type.Array(IntervalSchema)),
});

export const ReportRequestSchema = Type.Object({
  eventID: ObjectIdSchema,
  clientName: ShortTextSchema,
  reportName: OptionalText,
  payloadDescriptors: OptionalNullable(Type.Array(ReportPayloadDescriptorSchema)),
  resources: Type.Array(
    Type.Object({
      resourceName: ShortTextSchema,
      intervalPeriod: Type.Optional(IntervalPeriodSchema),
      intervals: Type.Array(IntervalSchema),
    }),
  ),
});

const OperationSchema = Type.Union([
  Type.Literal('READ'),
  Type.Literal('CREATE'),
  Type.Literal('UPDATE'),
  Type.Literal('DELETE'),
]);

export const SubscriptionRequestSchema = Type.Object({
  clientName: ShortTextSchema,
  programID: Type.Optional(ObjectIdSchema),
  objectOperations: Type.Array(
    Type.Object({
      objects: Type.Array(ObjectTypeNameSchema),
      operations: Type.Array(OperationSchema),
      callbackUrl: Type.String({ format: 'uri', minLength: 2, maxLength: 8000 }),
      bearerToken: OptionalText,
    }),
  ),
  targets: TargetsSchema,
});

const VenVenRequestSchema = Type.Object({
  objectType: Type.Literal('VEN_VEN_REQUEST'),
  venName: ShortTextSchema,
  attributes: ValuesMapsSchema,
});

const BlVenRequestSchema = Type.Object({
  objectType: Type.Literal('BL_VEN_REQUEST'),
  clientID: ClientIdSchema,
  targets: TargetsSchema,
  venName: ShortTextSchema,
  attributes: ValuesMapsSchema,
});

export const VenRequestSchema = OneOfByObjectType(
  [VenVenRequestSchema, BlVenRequestSchema],
  'VEN_VEN_REQUEST from a VEN; BL_VEN_REQUEST (clientID, targets) from business logic only',
);

const BlResourceRequestSchema = Type.Object({
  objectType: Type.Literal('BL_RESOURCE_REQUEST'),
  clientID: ClientIdSchema,
  targets: TargetsSchema,
  resourceName: ShortTextSchema,
  venID: ObjectIdSchema,
  attributes: ValuesMapsSchema,
});

const VenResourceRequestSchema = Type.Object({
  objectType: Type.Literal('VEN_RESOURCE_REQUEST'),
  resourceName: ShortTextSchema,
  venID: ObjectIdSchema,
  attributes: ValuesMapsSchema,
});

export const ResourceRequestSchema = OneOfByObjectType(
  [BlResourceRequestSchema, VenResourceRequestSchema],
  'VEN_RESOURCE_REQUEST from a VEN; BL_RESOURCE_REQUEST (clientID, targets) from business logic only',
);

/** OpenADR 3.0.1's resource, for `/vens/{venID}/resources` (the VEN comes from the path). */
export const LegacyResourceRequestSchema = Type.Object({
  resourceName: ShortTextSchema,
  attributes: ValuesMapsSchema,
});

export const ProgramSchema = Type.Object({ ...metadataOf('PROGRAM'), ...ProgramRequestSchema.properties });
export const EventSchema = Type.Object({ ...metadataOf('EVENT'), ...EventRequestSchema.properties });
export const ReportSchema = Type.Object({
  ...metadataOf('REPORT'),
  ...ReportRequestSchema.properties,
  clientID: ClientIdSchema,
  programID: Type.Optional(ObjectIdSchema),
});
export const SubscriptionSchema = Type.Object({
  ...metadataOf('SUBSCRIPTION'),
  ...SubscriptionRequestSchema.properties,
  clientID: ClientIdSchema,
});
export const VenSchema = Type.Object({
  ...metadataOf('VEN'),
  clientID: ClientIdSchema,
  targets: TargetsSchema,
  venName: ShortTextSchema,
  attributes: ValuesMapsSchema,
});
export const ResourceSchema = Type.Object({
  ...metadataOf('RESOURCE'),
  clientID: ClientIdSchema,
  targets: TargetsSchema,
  resourceName: ShortTextSchema,
  venID: ObjectIdSchema,
  attributes: ValuesMapsSchema,
});

export type ProgramRequest = Static<typeof ProgramRequestSchema>;
export type EventRequest = Static<typeof EventRequestSchema>;
export type ReportRequest = Static<typeof ReportRequestSchema>;
export type SubscriptionRequest = Static<typeof SubscriptionRequestSchema>;
export type VenRequest = Static<typeof VenRequestSchema>;
export type ResourceRequest = Static<typeof ResourceRequestSchema>;
export type LegacyResourceRequest = Static<typeof LegacyResourceRequestSchema>;
