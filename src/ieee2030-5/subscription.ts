/**
 * Subscription / notification (the 2030.5 pub/sub function set): Subscription, SubscriptionList and
 * Notification. Element order follows sep.xsd (schema version 2.2): Resource, then SubscriptionBase
 * (subscribedResource), then each type's own elements.
 *
 * A Notification's `Resource` element is declared with the base type Resource; the document names the
 * concrete type with `xsi:type`, e.g. `<Resource xsi:type="DERControlList" all="2" results="2">`. The
 * codecs here carry the DER program resources a device can subscribe to on a tenet server.
 */
import { decodeSep, encodeSep, Int64, UInt32, UInt8, type TypeSpec } from './codec.js';
import {
  DefaultDERControlSpec,
  DERControlListSpec,
  type DefaultDERControl,
  type DERControlList,
} from './der-control.js';
import type { ListPage } from './resources.js';
import type { XmlLimits } from './xml.js';

/** Int48: the schema's thresholds in a Condition. */
const Int48 = { int: [-140_737_488_355_328, 140_737_488_355_327] } as const;

/** Notify only when a reading crosses a threshold (only meaningful for readings; tenet offers none). */
export interface Condition {
  /** 0: the reading's value; 1 to 255 reserved. */
  readonly attributeIdentifier: number;
  readonly lowerThreshold: number;
  readonly upperThreshold: number;
}
const ConditionSpec: TypeSpec = {
  type: 'Condition',
  attributes: [],
  elements: [
    { name: 'attributeIdentifier', kind: UInt8, required: true },
    { name: 'lowerThreshold', kind: Int48, required: true },
    { name: 'upperThreshold', kind: Int48, required: true },
  ],
};

/** SEP encodings a subscriber may ask for: 0 application/sep+xml, 1 application/sep-exi. */
export const SEP_ENCODING_XML = 0;

export interface Subscription {
  readonly href?: string;
  /** The resource to follow: a path on this server (query strings are ignored, as the standard says). */
  readonly subscribedResource: string;
  readonly Condition?: Condition;
  /** 0 for XML (application/sep+xml), 1 for EXI. */
  readonly encoding: number;
  /** The schema and extension level wanted, such as "+S1" (String16). */
  readonly level: string;
  /** Most list items a notification carries; 0 asks for a bare change notice. */
  readonly limit: number;
  /** Where to POST notifications: an absolute URI. */
  readonly notificationURI: string;
}
export const SubscriptionSpec: TypeSpec = {
  type: 'Subscription',
  attributes: [{ name: 'href', kind: 'anyURI' }],
  elements: [
    { name: 'subscribedResource', kind: 'anyURI', required: true },
    { name: 'Condition', kind: ConditionSpec },
    { name: 'encoding', kind: UInt8, required: true },
    { name: 'level', kind: { string: 16 }, required: true },
    { name: 'limit', kind: UInt32, required: true },
    { name: 'notificationURI', kind: 'anyURI', required: true },
  ],
};

/** SubscriptionList is a List (not a SubscribableList): no `subscribable` attribute. */
export interface SubscriptionList extends Omit<ListPage, 'subscribable'> {
  readonly Subscription: readonly Subscription[];
}
export const SubscriptionListSpec: TypeSpec = {
  type: 'SubscriptionList',
  attributes: [
    { name: 'href', kind: 'anyURI' },
    { name: 'all', kind: UInt32, required: true },
    { name: 'results', kind: UInt32, required: true },
    { name: 'pollRate', kind: UInt32 },
  ],
  elements: [{ name: 'Subscription', kind: SubscriptionSpec, many: true }],
};

/** The resources a tenet Notification may carry, by their xsi:type. */
export type NotificationResource =
  | { readonly xsiType: 'DERControlList'; readonly value: DERControlList }
  | { readonly xsiType: 'DefaultDERControl'; readonly value: DefaultDERControl };

/** What `status` says about the subscription a notification belongs to. */
export const NotificationStatus = {
  default: 0,
  cancelled: 1,
  cancelledResourceMoved: 2,
  cancelledDefinitionChanged: 3,
  cancelledResourceDeleted: 4,
} as const;

export interface Notification {
  readonly href?: string;
  readonly subscribedResource: string;
  /** Seconds since the epoch. */
  readonly createdDateTime?: number;
  /** Where the resource went, when it moved (absolute URI). */
  readonly newResourceURI?: string;
  /** The resource as it is now; absent for a bare change notice (limit 0) or a cancellation. */
  readonly Resource?: NotificationResource;
  /** See NotificationStatus. */
  readonly status: number;
  /** The subscription this notification is for (absolute URI). */
  readonly subscriptionURI: string;
}
export const NotificationSpec: TypeSpec = {
  type: 'Notification',
  attributes: [{ name: 'href', kind: 'anyURI' }],
  elements: [
    { name: 'subscribedResource', kind: 'anyURI', required: true },
    { name: 'createdDateTime', kind: Int64 },
    { name: 'newResourceURI', kind: 'anyURI' },
    { name: 'Resource', kind: { xsiTypes: [DERControlListSpec, DefaultDERControlSpec] } },
    { name: 'status', kind: UInt8, required: true },
    { name: 'subscriptionURI', kind: 'anyURI', required: true },
  ],
};

export const encodeSubscription = (v: Subscription): string => encodeSep(SubscriptionSpec, v);
export const decodeSubscription = (xml: string | Uint8Array, limits?: XmlLimits): Subscription =>
  decodeSep(SubscriptionSpec, xml, limits);
export const encodeSubscriptionList = (v: SubscriptionList): string => encodeSep(SubscriptionListSpec, v);
export const decodeSubscriptionList = (xml: string | Uint8Array, limits?: XmlLimits): SubscriptionList =>
  decodeSep(SubscriptionListSpec, xml, limits);
export const encodeNotification = (v: Notification): string => encodeSep(NotificationSpec, v);
export const decodeNotification = (xml: string | Uint8Array, limits?: XmlLimits): Notification =>
  decodeSep(NotificationSpec, xml, limits);
