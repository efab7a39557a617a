/**
 * Recognising database errors the repositories turn into coded results, the same way for both drivers:
 * PostgreSQL reports SQLSTATE codes, better-sqlite3 reports `SQLITE_CONSTRAINT_*` / `SQLITE_BUSY` codes.
 */

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** A primary key or unique constraint refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The transaction lost a race (deadlock, serialisation failure, busy file) and may simply run again. */
export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
}

/** Thrown inside a transaction to roll it back and run it again (an optimistic check found a newer row). */
export class ConcurrentWrite extends Error {
  constructor() {
    super('a concurrent write changed the row; retrying');
    this.name = 'ConcurrentWrite';
  }
}

const MAX_ATTEMPTS = 8;

/** Runs `attempt` again when it lost a race, up to a few times, then lets the last error through. */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const again = error instanceof ConcurrentWrite || isTransient(error);
      if (!again || tries >= MAX_ATTEMPTS) throw error;
    }
  }
}
