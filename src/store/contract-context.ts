/** What the parts of the store contract share: the open store, fresh ids, and result helpers. */
import type { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { StoreDatabase } from './database.js';

export interface ContractContext {
  readonly store: () => StoreDatabase;
  /** A market with one open slot and registered participants `p1`..`p3`, under fresh ids. */
  readonly freshSlot: () => Promise<{ marketId: string; slotStartMs: number }>;
}

export const SLOT_START_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const SLOT_MS = 900_000;

/** The value of an ok result, failing the test otherwise. */
export function expectOk<T>(result: Result<T, TeError>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The code of an error result, failing the test otherwise. */
export function errorCode<T>(result: Result<T, TeError>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error.code;
}
