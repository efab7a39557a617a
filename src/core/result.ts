/** A value or a coded error, for operations whose failure is part of normal input handling. */
export type Result<T, E = TeError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

import type { TeError } from './errors.js';

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
