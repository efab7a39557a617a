/**
 * Text with a NUL character (U+0000) is refused at the door: PostgreSQL cannot store it in a text column,
 * so it would otherwise surface as a 500 deep in a repository (the OpenAPI fuzz test found one in an
 * OpenADR search query), and no legitimate id, name or payload needs it.
 */
import type { FastifyInstance } from 'fastify';
import { TeError } from '../core/errors.js';

const MAX_DEPTH = 64;

export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['query', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const) {
      const path = nulPath(value, part, 0);
      if (path !== undefined) {
        throw new TeError('TE_ERR_VALIDATION', 'text may not contain the NUL character (U+0000)', {
          path,
          hint: 'remove the \\u0000 character',
        });
      }
    }
  });
}

/** Where the first NUL is, as a key path, or undefined. */
function nulPath(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}.${key.split('\u0000').join('\\u0000')}`;
    const found = nulPath(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
