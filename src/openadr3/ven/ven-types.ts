/**
 * What a VEN sends and receives, typed from the VTN's own schemas (src/openadr3/schemas/), so the client
 * and the server cannot drift apart.
 */
import type { Static } from '@sinclair/typebox';
import type {
  EventSchema,
  ProgramSchema,
  ReportRequest,
  ReportSchema,
  ResourceRequest,
  ResourceSchema,
  SubscriptionRequest,
  SubscriptionSchema,
  VenRequest,
  VenSchema,
} from '../schemas/objects.js';
import type {
  EventSearchSchema,
  ProgramSearchSchema,
  ReportSearchSchema,
  ResourceSearchSchema,
  SubscriptionSearchSchema,
  VenSearchSchema,
} from '../schemas/queries.js';

export type Program = Static<typeof ProgramSchema>;
export type OpenAdrEvent = Static<typeof EventSchema>;
export type Report = Static<typeof ReportSchema>;
export type Subscription = Static<typeof SubscriptionSchema>;
export type Ven = Static<typeof VenSchema>;
export type Resource = Static<typeof ResourceSchema>;

export type { ReportRequest, SubscriptionRequest };
/** The VEN's own VEN object request (business logic's BL_VEN_REQUEST is not a VEN's to send). */
export type VenVenRequest = Extract<VenRequest, { objectType: 'VEN_VEN_REQUEST' }>;
export type VenResourceRequest = Extract<ResourceRequest, { objectType: 'VEN_RESOURCE_REQUEST' }>;

/** Search filters; paging (`skip`, `limit`) is optional, as on the wire. */
type Filters<T> = Partial<Omit<T, 'targetValues' | 'targetType'>>;
export type ProgramSearch = Filters<Static<typeof ProgramSearchSchema>>;
export type EventSearch = Filters<Static<typeof EventSearchSchema>>;
export type ReportSearch = Filters<Static<typeof ReportSearchSchema>>;
export type SubscriptionSearch = Filters<Static<typeof SubscriptionSearchSchema>>;
export type VenSearch = Filters<Static<typeof VenSearchSchema>>;
export type ResourceSearch = Filters<Static<typeof ResourceSearchSchema>>;

/** `GET /notifiers`: webhooks always; the MQTT binding when the VTN runs the MQTT notifier. */
export interface Notifiers {
  readonly WEBHOOK: boolean;
  readonly MQTT?: MqttBinding;
}

export interface MqttBinding {
  readonly URIS: readonly string[];
  readonly serialization: 'JSON';
  readonly authentication: {
    readonly method: 'ANONYMOUS' | 'OAUTH2_BEARER_TOKEN';
    /** `{clientID}` stands for the client's id. */
    readonly username?: string;
  };
}

/** `GET /notifiers/mqtt/topics/...`: the topic names of one collection, prefix included. */
export interface OperationTopics {
  readonly CREATE?: string;
  readonly UPDATE: string;
  readonly DELETE: string;
  readonly ALL?: string;
}

export type OpenAdrOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** A notification as the VTN sends it (webhook body or MQTT message). */
export type Notification =
  | { readonly objectType: 'PROGRAM'; readonly operation: OpenAdrOperation; readonly object: Program }
  | { readonly objectType: 'EVENT'; readonly operation: OpenAdrOperation; readonly object: OpenAdrEvent }
  | { readonly objectType: 'REPORT'; readonly operation: OpenAdrOperation; readonly object: Report }
  | {
      readonly objectType: 'SUBSCRIPTION';
      readonly operation: OpenAdrOperation;
      readonly object: Subscription;
    }
  | { readonly objectType: 'VEN'; readonly operation: OpenAdrOperation; readonly object: Ven }
  | { readonly objectType: 'RESOURCE'; readonly operation: OpenAdrOperation; readonly object: Resource };

const OBJECT_TYPES = new Set(['PROGRAM', 'EVENT', 'REPORT', 'SUBSCRIPTION', 'VEN', 'RESOURCE']);
const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE']);

/**
 * A notification from its JSON text, or undefined when it is not one. Only the envelope is checked: the
 * object is the VTN's, served with the same schema as a GET.
 */
export function parseNotification(text: string): Notification | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { objectType, operation, object } = parsed as Record<string, unknown>;
  if (typeof objectType !== 'string' || !OBJECT_TYPES.has(objectType)) return undefined;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) return undefined;
  if (
    typeof object !== 'object' ||
    object === null ||
    (object as { objectType?: unknown }).objectType !== objectType
  )
    return undefined;
  return parsed as Notification;
}
