/**
 * GET on a dashboard route that the generated schema (web/src/api/schema.d.ts) does not list yet: the
 * typed client's own auth and 401 handling, the answer typed by the caller's contract types (contracts A
 * and B of issue 8). Once `npm run generate:api` includes the route, callers can move to `api.GET`.
 */
import { dataOf, type ApiClient } from '../api/client';

export type QueryValue = string | number | undefined;

type UntypedGet = (
  path: string,
  init: { params: { query: Record<string, string | number> } },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export async function contractGet<T>(
  api: ApiClient,
  path: string,
  query: Readonly<Record<string, QueryValue>> = {},
): Promise<T> {
  const defined: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) defined[name] = value;
  const get = api.GET as unknown as UntypedGet;
  return (await dataOf(get(path, { params: { query: defined } }))) as T;
}
