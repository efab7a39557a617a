/** Each role's own view after login: built by its own change (issue 8). */
import type { Role } from '../api/session';
import { EmptyState } from '../components/panel';

export function roleViewLabel(role: Role): string {
  switch (role) {
    case 'prosumer':
    case 'facility-manager':
    case 'der-developer':
      return 'My home';
    case 'aggregator':
    case 'microgrid-operator':
      return 'Portfolio';
    case 'regulator':
      return 'Oversight';
    case 'market-operator':
      return 'Operations';
    case 'utility':
    case 'dso':
      return 'Network';
  }
}

export function RoleView() {
  return <EmptyState text="This view is being built." />;
}
