/**
 * OpenADR 3.1's OAuth scopes, granted by the caller's tenet role (docs/protocols/openadr3.md holds the
 * same table; a test keeps them equal). Business logic (BL) reads everything and writes programs and
 * events; a VEN reads what is targeted to it or belongs to it and writes its reports, subscriptions,
 * VENs and resources. Each operation needs the scope the published document names for it.
 */
import type { Role } from '../server/auth/roles.js';
import type { Caller } from '../server/auth/tokens.js';
import { forbidden } from '../server/problem.js';

export const OPENADR_SCOPES = [
  'read_all',
  'read_bl',
  'read_targets',
  'read_ven_objects',
  'write_programs',
  'write_events',
  'write_reports',
  'write_subscriptions',
  'write_vens',
] as const;
export type OpenAdrScope = (typeof OPENADR_SCOPES)[number];

/** The utility or market operator running the programs. */
const BUSINESS_LOGIC: readonly OpenAdrScope[] = [
  'read_all',
  'read_bl',
  'write_programs',
  'write_events',
  'write_subscriptions',
  'write_vens',
];

/** A grid operator reads everything and publishes events (operating envelopes) in existing programs. */
const GRID_OPERATOR: readonly OpenAdrScope[] = ['read_all', 'read_bl', 'write_events', 'write_subscriptions'];

/** A customer system, or an aggregator's or microgrid's cloud VEN for its members. */
const VEN: readonly OpenAdrScope[] = [
  'read_targets',
  'read_ven_objects',
  'write_reports',
  'write_subscriptions',
  'write_vens',
];

export const OPENADR_SCOPES_BY_ROLE: Readonly<Record<Role, readonly OpenAdrScope[]>> = {
  // The regulator's view is tenet's own API (anonymised readings, KPIs, audit), not the VTN.
  regulator: [],
  utility: BUSINESS_LOGIC,
  dso: GRID_OPERATOR,
  'microgrid-operator': VEN,
  aggregator: VEN,
  'der-developer': VEN,
  'facility-manager': VEN,
  prosumer: VEN,
  'market-operator': BUSINESS_LOGIC,
};

export function scopesOf(role: Role): readonly OpenAdrScope[] {
  return OPENADR_SCOPES_BY_ROLE[role];
}

/** `read_all` covers the narrower reads: business logic sees every object. */
export function hasScope(caller: Caller, scope: OpenAdrScope): boolean {
  const granted = scopesOf(caller.role);
  if (granted.includes(scope)) return true;
  return (scope === 'read_targets' || scope === 'read_ven_objects') && granted.includes('read_all');
}

export function requireScope(caller: Caller, scope: OpenAdrScope): void {
  if (hasScope(caller, scope)) return;
  const roles = (Object.keys(OPENADR_SCOPES_BY_ROLE) as Role[]).filter((role) =>
    OPENADR_SCOPES_BY_ROLE[role].includes(scope),
  );
  throw forbidden(
    `this operation needs the OpenADR scope '${scope}', which role '${caller.role}' does not have`,
    `roles with '${scope}': ${roles.join(', ')} (docs/protocols/openadr3.md)`,
  );
}

/** Business logic sees every object in full and may grant targets; everyone else is served as a VEN. */
export function isBusinessLogic(caller: Caller): boolean {
  return scopesOf(caller.role).includes('read_all');
}
