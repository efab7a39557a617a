/**
 * Who may see and change what: a pure table from role and resource-action to a scope. docs/access.md
 * holds the same table (a test keeps them equal) and the reasons. Routes ask `scopeOf` and then apply
 * the scope; nothing else in the server decides access.
 *
 * Scopes, narrowest first:
 * - none: refused (403).
 * - own: the caller's own participant only.
 * - represented: own, plus the participants whose aggregator is the caller's participant.
 * - anonymised: every participant's data, with pseudonymous ids (HMAC of the id) and no names.
 * - aggregate: sums and prices only; participant ids removed.
 * - all: everything.
 */
import type { Role } from '../auth/roles.js';

export const SCOPES = ['none', 'own', 'represented', 'anonymised', 'aggregate', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export const RESOURCE_ACTIONS = [
  'participants:read',
  'participants:write',
  'devices:read',
  'devices:write',
  'markets:read',
  'market-rules:write',
  'slots:read',
  'clearing-results:read',
  'orders:read',
  'orders:write',
  'meter-readings:read',
  'meter-readings:write',
  'statements:read',
  'kpis:read',
  'audit:read',
  'clients:write',
  'events:read',
  'envelopes:write',
  'sep-devices:read',
  'sep-devices:write',
  'device-telemetry:read',
  'device-telemetry:write',
  'preferences:read',
  'preferences:write',
  'market-curves:read',
  'order-book:read',
  'runs:read',
  'demo:read',
  'demo:write',
  'grid:read',
  'standards:read',
] as const;
export type ResourceAction = (typeof RESOURCE_ACTIONS)[number];

type Row = Readonly<Record<ResourceAction, Scope>>;

/** What a participant-like role (prosumer, facility manager, DER developer) may do: its own data only. */
const OWN_ONLY: Row = {
  'participants:read': 'own',
  'participants:write': 'none',
  'devices:read': 'own',
  'devices:write': 'own',
  'markets:read': 'all',
  'market-rules:write': 'none',
  'slots:read': 'all',
  'clearing-results:read': 'own',
  'orders:read': 'own',
  'orders:write': 'own',
  'meter-readings:read': 'own',
  'meter-readings:write': 'own',
  'statements:read': 'own',
  'kpis:read': 'aggregate',
  'audit:read': 'none',
  'clients:write': 'none',
  'events:read': 'own',
  'envelopes:write': 'none',
  'sep-devices:read': 'own',
  'sep-devices:write': 'none',
  'device-telemetry:read': 'own',
  'device-telemetry:write': 'own',
  'preferences:read': 'own',
  'preferences:write': 'own',
  'market-curves:read': 'aggregate',
  'order-book:read': 'aggregate',
  'runs:read': 'aggregate',
  'demo:read': 'all',
  'demo:write': 'none',
  'grid:read': 'own',
  'standards:read': 'all',
};

/** An aggregator or community microgrid operator acts for the participants it represents. */
const REPRESENTING: Row = {
  ...OWN_ONLY,
  'participants:read': 'represented',
  'devices:read': 'represented',
  'devices:write': 'represented',
  'clearing-results:read': 'represented',
  'orders:read': 'represented',
  'orders:write': 'represented',
  'meter-readings:read': 'represented',
  'meter-readings:write': 'represented',
  'statements:read': 'represented',
  'events:read': 'represented',
  'sep-devices:read': 'represented',
  'device-telemetry:read': 'represented',
  'device-telemetry:write': 'represented',
  'preferences:read': 'represented',
  'preferences:write': 'represented',
  'grid:read': 'represented',
};

/** Grid operation (utility, DSO): every meter and every fill, its own orders when it trades. */
const GRID_OPERATOR: Row = {
  ...OWN_ONLY,
  'participants:read': 'all',
  'devices:read': 'all',
  'devices:write': 'none',
  'clearing-results:read': 'all',
  'meter-readings:read': 'all',
  'meter-readings:write': 'all',
  'statements:read': 'none',
  'events:read': 'all',
  'envelopes:write': 'all',
  'sep-devices:read': 'all',
  'sep-devices:write': 'all',
  'device-telemetry:read': 'all',
  'device-telemetry:write': 'none',
  'preferences:read': 'none',
  'preferences:write': 'none',
  'grid:read': 'all',
};

export const ACCESS_MATRIX: Readonly<Record<Role, Row>> = {
  regulator: {
    'participants:read': 'none',
    'participants:write': 'none',
    'devices:read': 'none',
    'devices:write': 'none',
    'markets:read': 'all',
    'market-rules:write': 'none',
    'slots:read': 'all',
    'clearing-results:read': 'aggregate',
    'orders:read': 'none',
    'orders:write': 'none',
    'meter-readings:read': 'anonymised',
    'meter-readings:write': 'none',
    'statements:read': 'none',
    'kpis:read': 'aggregate',
    'audit:read': 'all',
    'clients:write': 'none',
    'events:read': 'aggregate',
    'envelopes:write': 'none',
    'sep-devices:read': 'none',
    'sep-devices:write': 'none',
    'device-telemetry:read': 'none',
    'device-telemetry:write': 'none',
    'preferences:read': 'none',
    'preferences:write': 'none',
    'market-curves:read': 'aggregate',
    'order-book:read': 'aggregate',
    'runs:read': 'aggregate',
    'demo:read': 'all',
    'demo:write': 'none',
    'grid:read': 'aggregate',
    'standards:read': 'all',
  },
  utility: { ...GRID_OPERATOR, 'statements:read': 'all' },
  dso: GRID_OPERATOR,
  'microgrid-operator': REPRESENTING,
  aggregator: REPRESENTING,
  'der-developer': OWN_ONLY,
  'facility-manager': OWN_ONLY,
  prosumer: OWN_ONLY,
  'market-operator': {
    'participants:read': 'all',
    'participants:write': 'all',
    'devices:read': 'all',
    'devices:write': 'all',
    'markets:read': 'all',
    'market-rules:write': 'all',
    'slots:read': 'all',
    'clearing-results:read': 'all',
    'orders:read': 'all',
    'orders:write': 'all',
    'meter-readings:read': 'all',
    'meter-readings:write': 'all',
    'statements:read': 'all',
    'kpis:read': 'all',
    'audit:read': 'all',
    'clients:write': 'all',
    'events:read': 'all',
    'envelopes:write': 'all',
    'sep-devices:read': 'all',
    'sep-devices:write': 'all',
    'device-telemetry:read': 'all',
    'device-telemetry:write': 'all',
    'preferences:read': 'all',
    'preferences:write': 'all',
    'market-curves:read': 'all',
    'order-book:read': 'all',
    'runs:read': 'all',
    'demo:read': 'all',
    'demo:write': 'all',
    'grid:read': 'all',
    'standards:read': 'all',
  },
};

export function scopeOf(role: Role, resourceAction: ResourceAction): Scope {
  return ACCESS_MATRIX[role][resourceAction];
}

/** Scopes that name individual participants (as opposed to pseudonyms or aggregates). */
export function isParticipantScope(scope: Scope): scope is 'own' | 'represented' | 'all' {
  return scope === 'own' || scope === 'represented' || scope === 'all';
}
