/**
 * Subscriptions: VENs and business logic write them; the VTN stamps the creator's clientID, which stays
 * the owner's when business logic later updates one. A VEN reads its own, business logic all. Sending
 * the notifications (webhooks, MQTT) is the notifiers' work; this stores what they need.
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
import type { Caller } from '../../server/auth/tokens.js';
import type { TypedApp } from '../../server/route-context.js';
import type { OpenAdrObjectRecord } from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, sendJsonText } from '../object-views.js';
import {
  SubscriptionRequestSchema,
  SubscriptionSchema,
  type SubscriptionRequest,
} from '../schemas/objects.js';
import { idParams, listOf, requestedTargets, SubscriptionSearchSchema } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';

const Params = idParams('subscriptionID');
const PARAM = 'params.subscriptionID';

export function registerSubscriptionRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/subscriptions',
    operation('read_ven_objects', {
      operationId: 'searchSubscriptions',
      summary: 'Search subscriptions (programID, clientName, objects, skip, limit)',
      querystring: SubscriptionSearchSchema,
      ok: [200, Type.Array(SubscriptionSchema)],
    }),
    async (request, reply) => {
      const { programID, clientName, objects, skip, limit } = request.query;
      const filters = {
        programId: programID,
        clientName,
        anyTarget: requestedTargets(request.query),
        subscribedToAny: objects === undefined ? undefined : listOf(objects),
      };
      const text = await vtn.searchOwned(callerOf(request), 'SUBSCRIPTION', filters, { skip, limit });
      return sendJsonText(reply, 200, text);
    },
  );

  app.post(
    '/subscriptions',
    operation('write_subscriptions', {
      operationId: 'createSubscription',
      summary: 'Create a subscription',
      body: SubscriptionRequestSchema,
      ok: [201, SubscriptionSchema],
      errors: [409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const now = vtn.nowMs();
      const record = await subscriptionRecord(
        vtn,
        caller,
        vtn.newId(),
        caller.clientId,
        request.body,
        now,
        now,
      );
      const stored = await vtn.create(caller, record);
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    '/subscriptions/:subscriptionID',
    operation('read_ven_objects', {
      operationId: 'searchSubscriptionByID',
      summary: 'One subscription',
      params: Params,
      ok: [200, SubscriptionSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const stored = await vtn.getOwned(
        callerOf(request),
        'SUBSCRIPTION',
        request.params.subscriptionID,
        PARAM,
      );
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.put(
    '/subscriptions/:subscriptionID',
    operation('write_subscriptions', {
      operationId: 'updateSubscription',
      summary: 'Update a subscription',
      params: Params,
      body: SubscriptionRequestSchema,
      ok: [200, SubscriptionSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await vtn.getOwned(caller, 'SUBSCRIPTION', request.params.subscriptionID, PARAM);
      const owner = existing.clientId ?? caller.clientId;
      const record = await subscriptionRecord(
        vtn,
        caller,
        existing.id,
        owner,
        request.body,
        existing.createdMs,
        vtn.nowMs(),
      );
      const stored = await vtn.replace(caller, record);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.delete(
    '/subscriptions/:subscriptionID',
    operation('write_subscriptions', {
      operationId: 'deleteSubscription',
      summary: 'Delete a subscription',
      params: Params,
      ok: [200, SubscriptionSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const deleted = await vtn.remove(
        callerOf(request),
        'SUBSCRIPTION',
        request.params.subscriptionID,
        PARAM,
      );
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
}

async function subscriptionRecord(
  vtn: VtnObjects,
  caller: Caller,
  id: string,
  clientId: string,
  request: unknown,
  createdMs: number,
  modifiedMs: number,
): Promise<OpenAdrObjectRecord> {
  const fields = keepKnownProperties(request, SubscriptionRequestSchema) as SubscriptionRequest;
  if (
    fields.programID !== undefined &&
    (await vtn.findVisible(caller, 'PROGRAM', fields.programID)) === undefined
  ) {
    throw new TeError('TE_ERR_UNKNOWN_REFERENCE', `no program '${fields.programID}' this client may see`, {
      path: 'programID',
      hint: 'subscribe to a program the client can read (GET /openadr3/programs), or leave programID out',
    });
  }
  const meta = { id, objectType: 'SUBSCRIPTION', createdMs, modifiedMs } as const;
  return {
    id,
    objectType: 'SUBSCRIPTION',
    programId: fields.programID,
    clientId,
    clientName: fields.clientName,
    targets: fields.targets ?? [],
    subscribedObjects: fields.objectOperations.flatMap((o) => o.objects),
    createdMs,
    modifiedMs,
    body: objectBody(meta, fields, { clientID: clientId }),
  };
}
