/** The OpenADR 3 VEN client library: docs/protocols/openadr3.md, "The VEN client library". */
export { VenClient, type VenClientOptions } from './ven-client.js';
export { queryString } from './query-string.js';
export {
  VenMqttListener,
  freshMqttClientId,
  type VenCollection,
  type VenMqttListenerOptions,
  type VenMqttStats,
} from './ven-mqtt-listener.js';
export { EventPoller, type EventChange, type EventPollerOptions, type PollOutcome } from './event-poller.js';
export * from './ven-types.js';
export { ApiError, isApiError } from '../../http-client/api-error.js';
export type { RetryPolicy } from '../../http-client/retry-policy.js';
