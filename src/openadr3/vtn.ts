/**
 * The OpenADR 3.1 VTN, served by the platform's API server under `/openadr3`: programs, events,
 * reports, subscriptions, VENs and resources, token discovery and issue, and the notifier list, with
 * the spec's scopes and object privacy. The API server mounts it with one call; the change feed is on
 * the server instance (`app.openadr3Changes`) for the notifiers, the object writes
 * (`app.openadr3Objects`) for the market publisher. See docs/protocols/openadr3.md.
 */
import type { RouteContext, TypedApp } from '../server/route-context.js';
import { OPENADR3_BASE_PATH } from './base-path.js';
import { OpenAdrChangeFeed } from './object-changes.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerEventRoutes } from './routes/events.js';
import { registerNotifierRoutes } from './routes/notifiers.js';
import { checkOperationScope } from './routes/operation.js';
import { registerProgramRoutes } from './routes/programs.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerResourceRoutes } from './routes/resources.js';
import { registerSubscriptionRoutes } from './routes/subscriptions.js';
import { registerVenRoutes } from './routes/vens.js';
import { VtnObjects } from './vtn-objects.js';
import { openAdrValidatorCompiler, routeNotFound, sendOpenAdrError } from './vtn-problems.js';

export { OPENADR3_BASE_PATH };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every committed change to an OpenADR object on this instance (for webhooks and MQTT). */
    openadr3Changes: OpenAdrChangeFeed;
    /** The VTN's object writes (audit, change feed), for the market publisher and the envelope API. */
    openadr3Objects: VtnObjects;
  }
}

export function registerOpenAdr3Vtn(app: TypedApp, ctx: RouteContext): void {
  const changes = new OpenAdrChangeFeed((error) =>
    app.log.error({ err: error }, 'an OpenADR change listener failed'),
  );
  app.decorate('openadr3Changes', changes);
  const objects = new VtnObjects(ctx, changes);
  app.decorate('openadr3Objects', objects);
  app.register(
    async (scope: TypedApp) => {
      scope.setValidatorCompiler(openAdrValidatorCompiler());
      scope.setErrorHandler((error, request, reply) => sendOpenAdrError(error, request, reply));
      scope.setNotFoundHandler((request, reply) => sendOpenAdrError(routeNotFound(request), request, reply));
      scope.addHook('preValidation', checkOperationScope);
      registerAuthRoutes(scope, ctx);
      registerNotifierRoutes(scope);
      registerProgramRoutes(scope, objects);
      registerEventRoutes(scope, objects);
      registerReportRoutes(scope, objects);
      registerSubscriptionRoutes(scope, objects);
      registerVenRoutes(scope, objects);
      registerResourceRoutes(scope, objects);
    },
    { prefix: OPENADR3_BASE_PATH },
  );
}
