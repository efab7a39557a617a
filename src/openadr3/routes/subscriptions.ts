/**
 * Subscriptions: VENs and business logic write them; the VTN stamps the creator's clientID, which stays
 * the owner's when business logic later updates one. A VEN reads its own, business logic all. Sending
 * the notifications (webhooks, MQTT) is the notifiers' work; this stores what they need, refusing a
 * callbackUrl the running webhook notifier's policy would not call.
 */
import type { Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { TypedApp } from '../../server/route-context.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody } from '../object-views.js';
import {
  SubscriptionRequestSchema,
  SubscriptionSchema,
  type SubscriptionRequest,
} from '../schemas/objects.js';
import { listOf, requestedTargets, SubscriptionSearchSchema } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { callbackPolicyHint, callbackUrlRefusal } from '../notifications/callback-policy.js';
import { readOwned, registerObjectCollection, type ObjectCollection } from './object-collection.js';

const SUBSCRIPTIONS: ObjectCollection<Static<typeof SubscriptionSearchSchema>> = {
  path: '/subscriptions',
  param: 'subscriptionID',
  objectType: 'SUBSCRIPTION',
  operations: {
    search: ['searchSubscriptions', 'Search subscriptions (programID, clientName, objects, skip, limit)'],
    create: ['createSubscription', 'Create a subscription'],
    get: ['searchSubscriptionByID', 'One subscription'],
    update: ['updateSubscription', 'Update a subscription'],
    delete: ['deleteSubscription', 'Delete a subscription'],
  },
  scopes: { read: 'read_ven_objects', write: 'write_subscriptions' },
  schemas: {
    search: SubscriptionSearchSchema,
    request: SubscriptionRequestSchema,
    object: SubscriptionSchema,
  },
  search(vtn, caller, query) {
    const filters = {
      programId: query.programID,
      clientName: query.clientName,
      anyTarget: requestedTargets(query),
      subscribedToAny: query.objects === undefined ? undefined : listOf(query.objects),
    };
    return vtn.searchOwned(caller, 'SUBSCRIPTION', filters, { skip: query.skip, limit: query.limit });
  },
  read: (vtn, caller, id, path) => readOwned(vtn, caller, 'SUBSCRIPTION', id, path),
  checkRequest(request) {
    const policy = request.server.openadr3CallbackPolicy;
    if (policy === undefined) return;
    const operations = (request.body as SubscriptionRequest).objectOperations;
    operations.forEach((o, i) => {
      const refusal = callbackUrlRefusal(o.callbackUrl, policy);
      if (refusal === undefined) return;
      throw new TeError('TE_ERR_VALIDATION', `the callbackUrl '${o.callbackUrl}' ${refusal}`, {
        path: `objectOperations[${i}].callbackUrl`,
        hint: callbackPolicyHint(policy),
      });
    });
  },
  async record(vtn, caller, { id, request, createdMs, modifiedMs }, existing) {
    const fields = keepKnownProperties(request, SubscriptionRequestSchema) as SubscriptionRequest;
    const program = fields.programID;
    if (program !== undefined && (await vtn.findVisible(caller, 'PROGRAM', program)) === undefined) {
      throw new TeError('TE_ERR_UNKNOWN_REFERENCE', `no program '${program}' this client may see`, {
        path: 'programID',
        hint: 'subscribe to a program the client can read (GET /openadr3/programs), or leave programID out',
      });
    }
    const clientId = existing?.clientId ?? caller.clientId;
    const meta = { id, objectType: 'SUBSCRIPTION', createdMs, modifiedMs } as const;
    return {
      ...meta,
      programId: program,
      clientId,
      clientName: fields.clientName,
      targets: fields.targets ?? [],
      subscribedObjects: fields.objectOperations.flatMap((o) => o.objects),
      body: objectBody(meta, fields, { clientID: clientId }),
    };
  },
};

export function registerSubscriptionRoutes(app: TypedApp, vtn: VtnObjects): void {
  registerObjectCollection(app, vtn, SUBSCRIPTIONS);
}
