/**
 * One API client per stakeholder role, made by the operator at demo start, so a visitor of the dashboard
 * can sign in as a prosumer, an aggregator, the DSO, the utility, the regulator or the market operator
 * and see what that role sees. The secrets stay in the demo's memory (served to loopback callers only by
 * GET /api/demo/logins). The aggregator is a participant of its own that a tenth of the homes name as
 * their aggregator; the homes still trade as themselves, so the community's market is unchanged.
 */
import type { Premises } from '../engine/ports.js';
import type { ApiTransport, ClientCredentials } from '../http-client/api-transport.js';
import type { DemoLogin } from '../server/routes/demo.js';
import type { RegisteredHome } from './home-registration.js';

export const DEMO_AGGREGATOR_ID = 'demo-aggregator';

/** Every tenth home (the first, the eleventh, …) is represented by the demo aggregator. */
export function demoAggregatorOf(homeIndex: number): string | undefined {
  return homeIndex % 10 === 0 ? DEMO_AGGREGATOR_ID : undefined;
}

/** Registers the demo aggregator participant (before the homes that name it); a rerun finds it there. */
export async function registerDemoAggregator(
  transport: ApiTransport,
  operator: ClientCredentials,
): Promise<void> {
  await transport.request({
    method: 'POST',
    path: '/api/participants',
    json: { id: DEMO_AGGREGATOR_ID, role: 'aggregator', name: 'Demo aggregator (a tenth of the homes)' },
    as: operator,
    what: `register participant ${DEMO_AGGREGATOR_ID}`,
  });
}

/** The first registered home with both PV and a battery, else the first with PV, else the first. */
export function demoProsumer(
  premises: readonly Premises[],
  registered: readonly RegisteredHome[],
): RegisteredHome | undefined {
  const has = (home: RegisteredHome, kind: string) =>
    premises[home.homeIndex]?.devices.some((device) => device.kind === kind) === true;
  return (
    registered.find((home) => has(home, 'pv') && has(home, 'battery')) ??
    registered.find((home) => has(home, 'pv')) ??
    registered[0]
  );
}

interface LoginPlan {
  readonly role: DemoLogin['role'];
  readonly label: string;
  readonly participantId?: string;
}

/**
 * Creates the clients, one per role, tagged with the run so a second community on the same platform
 * makes its own. A role whose client cannot be made is left out (and logged); the demo goes on.
 */
export async function createDemoLogins(options: {
  readonly transport: ApiTransport;
  readonly operator: ClientCredentials;
  readonly premises: readonly Premises[];
  readonly registered: readonly RegisteredHome[];
  readonly aggregatedHomes: number;
  readonly runTag: string;
  readonly log: (line: string) => void;
}): Promise<DemoLogin[]> {
  const { transport, operator, runTag } = options;
  const prosumer = demoProsumer(options.premises, options.registered);
  const plans: LoginPlan[] = [
    ...(prosumer === undefined
      ? []
      : [
          {
            role: 'prosumer' as const,
            label: `Prosumer (${prosumer.participantId})`,
            participantId: prosumer.participantId,
          },
        ]),
    {
      role: 'aggregator',
      label: `Aggregator (${options.aggregatedHomes} homes)`,
      participantId: DEMO_AGGREGATOR_ID,
    },
    { role: 'dso', label: 'DSO (distribution system operator)' },
    { role: 'utility', label: 'Utility' },
    { role: 'regulator', label: 'Regulator' },
    { role: 'market-operator', label: 'Market operator' },
  ];
  const made = await Promise.all(
    plans.map(async (plan): Promise<DemoLogin | null> => {
      const clientId = `demo-${plan.role}.${runTag}`;
      try {
        const response = await transport.request<{ clientSecret?: unknown }>({
          method: 'POST',
          path: '/api/clients',
          json: {
            clientId,
            role: plan.role,
            ...(plan.participantId === undefined ? {} : { participantId: plan.participantId }),
          },
          as: operator,
          what: `create the demo's ${plan.role} login`,
        });
        const secret = response.body.clientSecret;
        if (typeof secret !== 'string') throw new TypeError('the answer has no clientSecret');
        return { ...plan, clientId, clientSecret: secret };
      } catch (caught) {
        options.log(
          `demo community: no ${plan.role} login (${caught instanceof Error ? caught.message : String(caught)})`,
        );
        return null;
      }
    }),
  );
  return made.filter((login): login is DemoLogin => login !== null);
}
