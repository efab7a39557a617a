/**
 * The OpenADR 3.1 VTN, served by the platform's API server under `/openadr3`: programs, events,
 * reports, subscriptions, VENs and resources, token discovery and issue, and the notifier list.
 * See docs/protocols/openadr3.md.
 */
import type { RouteContext, TypedApp } from '../server/route-context.js';

export const OPENADR3_BASE_PATH = '/openadr3';

export function registerOpenAdr3Vtn(app: TypedApp, ctx: RouteContext): void {
  app.register(
    async (scope: TypedApp) => {
      scope.get('/auth/server', { config: { public: true }, schema: { hide: true } }, async (request) => ({
        tokenURL: `${request.protocol}://${request.host}${OPENADR3_BASE_PATH}/auth/token`,
      }));
      void ctx;
    },
    { prefix: OPENADR3_BASE_PATH },
  );
}
