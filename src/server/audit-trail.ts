/** Every successful change through the API leaves an audit record naming the client and its role. */
import { writeAuditRecord, type AuditRecord } from '../store/audit-repository.js';
import type { Caller } from './auth/tokens.js';
import type { RouteContext } from './route-context.js';

export function actorOf(caller: Pick<Caller, 'clientId' | 'role'>): string {
  return `${caller.clientId} (${caller.role})`;
}

/** The record of a change; writes that can (orders) store it in their own transaction. */
export function auditRecordOf(
  ctx: Pick<RouteContext, 'clock'>,
  caller: Pick<Caller, 'clientId' | 'role'>,
  action: string,
  target: string,
  details: unknown,
): AuditRecord {
  return {
    timeMs: ctx.clock.nowMs(),
    actor: actorOf(caller),
    action,
    target,
    details: { clientId: caller.clientId, role: caller.role, ...(details as object) },
  };
}

export async function recordAudit(
  ctx: RouteContext,
  caller: Pick<Caller, 'clientId' | 'role'>,
  action: string,
  target: string,
  details: unknown,
): Promise<void> {
  await writeAuditRecord(ctx.db, auditRecordOf(ctx, caller, action, target, details));
}
