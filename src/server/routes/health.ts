/** Liveness for load balancers and the CLI: no auth, no store access. */
import { Type } from '@sinclair/typebox';
import { problemResponses } from '../problem.js';
import type { TypedApp } from '../route-context.js';

export function registerHealthRoute(app: TypedApp, instanceRole: () => string | undefined): void {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness, and the role of this instance (e.g. clearing leader) when known',
        tags: ['health'],
        response: {
          200: Type.Object(
            { status: Type.Literal('ok'), role: Type.Optional(Type.String()) },
            { additionalProperties: false },
          ),
          ...problemResponses(),
        },
      },
    },
    async () => {
      const role = instanceRole();
      return { status: 'ok' as const, ...(role === undefined ? {} : { role }) };
    },
  );
}
