/**
 * The typed API client: openapi-fetch over the types generated from the server's OpenAPI document
 * (schema.d.ts), so a renamed field or route fails the dashboard's typecheck, not a user's screen.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiProblem } from './problem';
import type { paths } from './schema';
import type { Session } from './session';

export type ApiClient = ReturnType<typeof createClient<paths>>;

/** The JSON body of a route's 200 answer, as the server documents it. */
export type AnswerOf<
  Path extends keyof paths,
  Method extends 'get' | 'put' | 'post' = 'get',
> = paths[Path][Method] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

export function createApiClient(session: Session | undefined, onUnauthorized: () => void): ApiClient {
  const client = createClient<paths>({ baseUrl: '' });
  const auth: Middleware = {
    onRequest({ request }) {
      if (session !== undefined) request.headers.set('authorization', `Bearer ${session.token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** The data of an openapi-fetch answer, or its problem thrown as an ApiProblem. */
export async function dataOf<T>(
  answer: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await answer;
  if (error !== undefined || data === undefined) {
    const body = (error ?? {}) as Record<string, unknown>;
    throw new ApiProblem({ ...body, status: response.status } as ApiProblem['problem']);
  }
  return data;
}
