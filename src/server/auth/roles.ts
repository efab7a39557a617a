/** The roles an API client can hold: the IEEE P825 user community plus the platform's market operator. */
export const ROLES = [
  'regulator',
  'utility',
  'dso',
  'microgrid-operator',
  'aggregator',
  'der-developer',
  'facility-manager',
  'prosumer',
  'market-operator',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
