/**
 * Bringing the homes onto the platform through the operator's credentials: each home a prosumer
 * participant with its devices and an API client of its own (whose secret the platform shows once),
 * optionally naming an aggregator that represents it (it still trades as itself).
 * Participants and devices already there (a restart on the same data) are kept; the API client is new
 * each run, since an earlier run's secret cannot be read back.
 */
import type { DerAgent } from '../der/types.js';
import type { Premises } from '../engine/ports.js';
import type { PlatformApiClient } from './api-client.js';
import { isApiError } from '../http-client/api-error.js';
import type { ClientCredentials } from '../http-client/api-transport.js';

export interface RegisteredHome {
  /** Index into the community's premises. */
  readonly homeIndex: number;
  readonly participantId: string;
  readonly credentials: ClientCredentials;
}

export interface RegistrationOutcome {
  readonly homes: readonly RegisteredHome[];
  /** Homes that could not be registered (each was logged); they stay out of the market. */
  readonly failed: number;
  readonly existing: number;
}

/** API ids allow letters, digits and . _ : - only. */
export function apiIdFor(engineId: string): string {
  return engineId.replace(/[^A-Za-z0-9._:-]/g, '.');
}

export async function registerHomes(
  api: PlatformApiClient,
  operator: ClientCredentials,
  premises: readonly Premises[],
  runTag: string,
  log: (line: string) => void,
  /** The participant that represents a home as its aggregator, if any (the demo's aggregator login). */
  aggregatorOf: (homeIndex: number) => string | undefined = () => undefined,
): Promise<RegistrationOutcome> {
  let existing = 0;
  const outcomes = await Promise.all(
    premises.map(async (home, homeIndex): Promise<RegisteredHome | null> => {
      const participantId = apiIdFor(home.id);
      const aggregatorId = aggregatorOf(homeIndex);
      try {
        const participant = await api.createParticipant(operator, {
          id: participantId,
          role: 'prosumer',
          name: `Demo ${home.id} (${home.classes.join(', ') || 'base load only'})`,
          ...(aggregatorId === undefined ? {} : { aggregatorId }),
        });
        if (participant === 'exists') existing++;
        await Promise.all(
          home.devices.map((device) =>
            api.createDevice(operator, {
              id: apiIdFor(device.id),
              participantId,
              kind: device.kind,
              params: deviceParams(device),
            }),
          ),
        );
        const credentials = await api.createClient(operator, {
          clientId: `${participantId}.${runTag}`,
          role: 'prosumer',
          participantId,
        });
        // Its first token now: issuing one checks the secret (deliberately slow), which must not eat
        // into the first gate.
        await api.transport.token(credentials);
        return { homeIndex, participantId, credentials };
      } catch (caught) {
        log(
          `${participantId}: could not be registered, it stays out of the market: ${describeFailure(caught)}`,
        );
        return null;
      }
    }),
  );
  const homes = outcomes.filter((home): home is RegisteredHome => home !== null);
  return { homes, failed: premises.length - homes.length, existing };
}

/**
 * What the registry shows of a device: its control mode and its scalar parameters (numbers, strings,
 * flags, short number lists). Nested parameter sets (inverter settings, profiles) stay with the model.
 */
function deviceParams(device: DerAgent): Record<string, unknown> {
  const params = (device as { params?: unknown }).params;
  const shown: Record<string, unknown> = {};
  if (typeof params === 'object' && params !== null) {
    for (const [key, value] of Object.entries(params)) {
      if (!PARAM_KEY.test(key)) continue;
      if (isScalar(value)) shown[key] = value;
      else if (Array.isArray(value) && value.length <= MAX_PARAM_LIST && value.every(isFiniteNumber)) {
        shown[key] = value;
      }
    }
  }
  return { ...shown, mode: device.mode };
}

const PARAM_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_PARAM_LIST = 48;
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const isScalar = (value: unknown): boolean =>
  isFiniteNumber(value) || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 200);

export function describeFailure(caught: unknown): string {
  if (isApiError(caught)) return caught.toLine();
  return caught instanceof Error ? caught.message : String(caught);
}
