/**
 * The dashboard's views: path, label in the navigation, and who sees the entry. The server's access
 * matrix is what actually protects data; hiding a view a role cannot read only spares it a page of
 * "your role cannot see this".
 */
import type { FunctionComponent } from 'preact';
import type { Role } from './api/session';
import { CommunityView } from './views/community-view';
import { FleetView } from './views/fleet-view';
import { GridView } from './views/grid-view';
import { MarketView } from './views/market-view';
import { ReportsView } from './views/reports-view';
import { RoleView, roleViewLabel } from './views/role-view';
import { StandardsView } from './views/standards-view';

export interface ViewRoute {
  readonly path: string;
  readonly label: (role: Role) => string;
  readonly roles: readonly Role[] | 'everyone';
  readonly view: FunctionComponent;
}

const GRID_ROLES: readonly Role[] = ['dso', 'utility', 'market-operator', 'regulator'];
const FLEET_ROLES: readonly Role[] = [
  'prosumer',
  'facility-manager',
  'der-developer',
  'aggregator',
  'microgrid-operator',
  'utility',
  'dso',
  'market-operator',
];

export const VIEW_ROUTES: readonly ViewRoute[] = [
  { path: '/', label: () => 'Community', roles: 'everyone', view: CommunityView },
  { path: '/market', label: () => 'Market', roles: 'everyone', view: MarketView },
  { path: '/grid', label: () => 'Grid', roles: GRID_ROLES, view: GridView },
  { path: '/fleet', label: () => 'DER fleet', roles: FLEET_ROLES, view: FleetView },
  { path: '/me', label: roleViewLabel, roles: 'everyone', view: RoleView },
  { path: '/reports', label: () => 'Reports', roles: 'everyone', view: ReportsView },
  { path: '/standards', label: () => 'Standards', roles: 'everyone', view: StandardsView },
];

export function routesFor(role: Role): readonly ViewRoute[] {
  return VIEW_ROUTES.filter((route) => route.roles === 'everyone' || route.roles.includes(role));
}

/** The route a path belongs to: its first segment ('/fleet/dev-1' is the fleet view). */
export function routeOf(path: string, role: Role): ViewRoute | undefined {
  const first = `/${path.split('/')[1] ?? ''}`;
  return routesFor(role).find((route) => route.path === first);
}
