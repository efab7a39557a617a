/**
 * The MQTT notifier's topic names (Definition, "MQTT notifier"): one topic per object collection and
 * operation, named like the spec's example for programs (`programs/create`, `programs/update`,
 * `programs/delete`, and `programs/+` for all of them), for each of the document's twelve topic
 * operations. An optional prefix keeps several VTNs apart on one shared broker.
 */
import type { OpenAdrOperation } from '../object-changes.js';

export interface OperationTopics {
  readonly CREATE: string;
  readonly UPDATE: string;
  readonly DELETE: string;
  readonly ALL: string;
}

/** The topics of one collection path such as `programs` or `vens/{id}/events`. */
export function operationTopics(prefix: string, path: string): OperationTopics {
  const base = `${prefix}${path}`;
  return {
    CREATE: `${base}/create`,
    UPDATE: `${base}/update`,
    DELETE: `${base}/delete`,
    ALL: `${base}/+`,
  };
}

export function topicFor(prefix: string, path: string, operation: OpenAdrOperation): string {
  return operationTopics(prefix, path)[operation];
}

/** The collection path below `/notifiers/mqtt/topics` of a topic request, e.g. `vens/v1/events`. */
export function topicPathOf(requestPath: string): string {
  const marker = '/notifiers/mqtt/topics/';
  const at = requestPath.indexOf(marker);
  const path = at < 0 ? requestPath : requestPath.slice(at + marker.length);
  return path.split('?')[0] as string;
}
