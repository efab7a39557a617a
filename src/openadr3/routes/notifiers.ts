/**
 * The notifier list (`GET /notifiers`) and the MQTT topic names. Webhooks (subscriptions with a
 * callbackUrl) are the notifier every VTN has. The MQTT binding is listed, and its topic operations
 * answer, once the platform has started the MQTT notifier and set `app.openadr3Mqtt` to its binding
 * (src/openadr3/notifications/); until then they answer 404 (which the spec allows: "not found").
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
import { forbidden } from '../../server/problem.js';
import type { TypedApp } from '../../server/route-context.js';
import type { MqttBinding } from '../notifications/mqtt-notifier.js';
import { operationTopics, topicPathOf } from '../notifications/mqtt-topics.js';
import { ObjectIdSchema } from '../schemas/common.js';
import { hasScope, type OpenAdrScope } from '../scopes.js';
import { operation } from './operation.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The MQTT notifier's binding, when the platform started one (read at request time). */
    openadr3Mqtt?: MqttBinding | undefined;
  }
}

const NotifiersSchema = Type.Object({
  WEBHOOK: Type.Boolean({ description: 'always true' }),
  MQTT: Type.Optional(
    Type.Object({
      URIS: Type.Array(Type.String()),
      serialization: Type.Literal('JSON'),
      authentication: Type.Object({
        method: Type.Union([Type.Literal('ANONYMOUS'), Type.Literal('OAUTH2_BEARER_TOKEN')]),
        username: Type.Optional(Type.String()),
      }),
    }),
  ),
});

const TopicsSchema = Type.Object({
  topics: Type.Object({
    CREATE: Type.Optional(Type.String()),
    UPDATE: Type.String(),
    DELETE: Type.String(),
    ALL: Type.Optional(Type.String()),
  }),
});

/** The topic operations of the published document with the scope each needs. */
const MQTT_TOPIC_OPERATIONS: readonly [string, string, OpenAdrScope, string][] = [
  ['/notifiers/mqtt/topics/programs', 'listAllMqttNotifierTopicsPrograms', 'read_all', 'programs'],
  ['/notifiers/mqtt/topics/programs/:programID', 'listAllMqttNotifierTopicsProgram', 'read_all', 'a program'],
  ['/notifiers/mqtt/topics/events', 'listAllMqttNotifierTopicsEvents', 'read_bl', 'events'],
  [
    '/notifiers/mqtt/topics/programs/:programID/events',
    'listAllMqttNotifierTopicsProgramEvents',
    'read_all',
    "a program's events",
  ],
  ['/notifiers/mqtt/topics/reports', 'listAllMqttNotifierTopicsReports', 'read_bl', 'reports'],
  [
    '/notifiers/mqtt/topics/subscriptions',
    'listAllMqttNotifierTopicsSubscriptions',
    'read_bl',
    'subscriptions',
  ],
  ['/notifiers/mqtt/topics/vens', 'listAllMqttNotifierTopicsVens', 'read_bl', 'VENs'],
  ['/notifiers/mqtt/topics/vens/:venID', 'listAllMqttNotifierTopicsVen', 'read_ven_objects', 'a VEN'],
  ['/notifiers/mqtt/topics/resources', 'listAllMqttNotifierTopicsResources', 'read_bl', 'resources'],
  [
    '/notifiers/mqtt/topics/vens/:venID/events',
    'listAllMqttNotifierTopicsVenEvents',
    'read_ven_objects',
    "a VEN's events",
  ],
  [
    '/notifiers/mqtt/topics/vens/:venID/programs',
    'listAllMqttNotifierTopicsVenPrograms',
    'read_ven_objects',
    "a VEN's programs",
  ],
  [
    '/notifiers/mqtt/topics/vens/:venID/resources',
    'listAllMqttNotifierTopicsVenResources',
    'read_ven_objects',
    "a VEN's resources",
  ],
];

export function registerNotifierRoutes(app: TypedApp): void {
  app.get(
    '/notifiers',
    {
      ...operation('read_targets', {
        operationId: 'listAllNotifiers',
        summary: 'The notifier bindings this VTN supports',
        ok: [200, NotifiersSchema],
      }),
      // The document asks read_all, which would hide notifier discovery from the VENs it is for.
      config: {},
    },
    async (request) => {
      const caller = callerOf(request);
      if (!hasScope(caller, 'read_targets'))
        throw forbidden(`role '${caller.role}' has no OpenADR read scope`);
      const mqtt = request.server.openadr3Mqtt;
      if (mqtt === undefined) return { WEBHOOK: true };
      const { URIS, serialization, authentication } = mqtt;
      return { WEBHOOK: true, MQTT: { URIS: [...URIS], serialization, authentication } };
    },
  );

  for (const [path, operationId, scope, what] of MQTT_TOPIC_OPERATIONS) {
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
    app.get(
      path,
      operation(scope, {
        operationId,
        summary: `MQTT topic names for ${what}`,
        ...(params.length === 0
          ? {}
          : {
              params: Type.Object(Object.fromEntries(params.map((p) => [p, ObjectIdSchema])), {
                additionalProperties: false,
              }),
            }),
        ok: [200, TopicsSchema],
        errors: [404],
      }),
      async (request) => {
        const mqtt = request.server.openadr3Mqtt;
        if (mqtt !== undefined)
          return { topics: operationTopics(mqtt.topicPrefix, topicPathOf(request.url)) };
        throw new TeError('TE_ERR_NOT_FOUND', 'the MQTT notifier is not enabled on this VTN', {
          hint: 'GET /openadr3/notifiers lists the notifiers; subscribe with a webhook (POST /openadr3/subscriptions)',
        });
      },
    );
  }
}
