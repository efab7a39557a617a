/**
 * The calls the demo community makes to the platform API, typed. Each call names the client it acts as:
 * the market operator registers homes and sets rules; each home trades and meters as itself.
 */
import type { StoredFills } from '../live/clearing-fills.js';
import type { MarketRules } from '../live/market-rules.js';
import type { Side } from '../market/types.js';
import type { DeviceTelemetrySample } from '../store/device-telemetry-repository.js';
import { isApiError } from '../http-client/api-error.js';
import type { ApiTransport, ClientCredentials } from '../http-client/api-transport.js';

export interface ParticipantRegistration {
  readonly id: string;
  readonly role: 'prosumer';
  readonly name: string;
  readonly aggregatorId?: string;
}

export interface DeviceRegistration {
  readonly id: string;
  readonly participantId: string;
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface OrderStep {
  /** Currency per kWh. */
  readonly price: number;
  /** kW averaged over the slot. */
  readonly quantity: number;
}

export interface OrderSubmission {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly participantId: string;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly steps: readonly OrderStep[];
  readonly green?: boolean;
}

export interface OrderAcceptance {
  readonly order: unknown;
  readonly outcome: string;
  /** The server had this client order id already (a retry after a lost answer): 200, not 201. */
  readonly replayed: boolean;
}

export interface SlotResult {
  /** Clearing price per kWh; null where there is no single price or nothing traded. */
  readonly price: number | null;
  readonly status: string;
  readonly fills: StoredFills;
}

export interface MeterReadingInput {
  readonly meterId: string;
  readonly timeMs: number;
  /** Integer Wh over the interval starting at timeMs; import positive. */
  readonly energyWh: number;
}

/**
 * One device sample as POST /api/device-telemetry takes it (docs/api.md): the same record the store
 * keeps, so the two cannot drift apart.
 */
export type DeviceTelemetryInput = DeviceTelemetrySample;

export interface ParticipantPreferences {
  readonly participantId: string;
  readonly comfortSlider: number;
  /** Absent when the participant never set its preferences (the slider is then the platform's default). */
  readonly updatedMs?: number;
}

/** Whether a registration was new or found already there (a restart, or a retry after a lost answer). */
export type Registration = 'created' | 'exists';

export class PlatformApiClient {
  constructor(readonly transport: ApiTransport) {}

  async createParticipant(
    as: ClientCredentials,
    participant: ParticipantRegistration,
  ): Promise<Registration> {
    return this.#register(as, '/api/participants', participant, `register participant ${participant.id}`);
  }

  async createDevice(as: ClientCredentials, device: DeviceRegistration): Promise<Registration> {
    return this.#register(as, '/api/devices', device, `register device ${device.id}`);
  }

  /** A new API client; its secret is shown only in this answer. */
  async createClient(
    as: ClientCredentials,
    client: { readonly clientId: string; readonly role: string; readonly participantId: string },
  ): Promise<ClientCredentials> {
    const response = await this.transport.request<{ clientId?: unknown; clientSecret?: unknown }>({
      method: 'POST',
      path: '/api/clients',
      json: client,
      as,
      what: `create API client ${client.clientId}`,
    });
    const { clientId, clientSecret } = response.body;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      throw new TypeError(
        `create API client ${client.clientId}: the answer has no clientId and clientSecret`,
      );
    }
    return { clientId, clientSecret };
  }

  async putMarketRules(as: ClientCredentials, marketId: string, rules: MarketRules): Promise<void> {
    await this.transport.request({
      method: 'PUT',
      path: `/api/markets/${encodeURIComponent(marketId)}/rules`,
      json: rules,
      as,
      what: `set the rules of market ${marketId}`,
    });
  }

  /** Idempotent by client order id: sending the same order again is acknowledged, not doubled. */
  async submitOrder(
    as: ClientCredentials,
    order: OrderSubmission,
    signal?: AbortSignal,
  ): Promise<OrderAcceptance> {
    const response = await this.transport.request<{ order?: unknown; outcome?: unknown }>({
      method: 'POST',
      path: '/api/orders',
      json: order,
      as,
      what: `order ${order.clientOrderId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return {
      order: response.body.order,
      outcome: typeof response.body.outcome === 'string' ? response.body.outcome : 'accepted',
      replayed: response.status === 200,
    };
  }

  async slotResult(
    as: ClientCredentials,
    marketId: string,
    slotStartMs: number,
    signal?: AbortSignal,
  ): Promise<SlotResult> {
    const response = await this.transport.request<SlotResult>({
      method: 'GET',
      path: `/api/markets/${encodeURIComponent(marketId)}/slots/${slotStartMs}/result`,
      as,
      what: `result of slot ${slotStartMs} in ${marketId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return response.body;
  }

  async postMeterReadings(
    as: ClientCredentials,
    readings: readonly MeterReadingInput[],
    signal?: AbortSignal,
  ): Promise<void> {
    await this.transport.request({
      method: 'POST',
      path: '/api/meter-readings',
      json: { readings },
      as,
      what: `${readings.length} meter reading(s) from ${readings[0]?.meterId ?? 'nobody'}`,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async postDeviceTelemetry(
    as: ClientCredentials,
    samples: readonly DeviceTelemetryInput[],
    signal?: AbortSignal,
  ): Promise<void> {
    await this.transport.request({
      method: 'POST',
      path: '/api/device-telemetry',
      json: { samples },
      as,
      what: `${samples.length} device sample(s) from ${samples[0]?.deviceId ?? 'nobody'}`,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async preferences(
    as: ClientCredentials,
    participantId: string,
    signal?: AbortSignal,
  ): Promise<ParticipantPreferences> {
    const response = await this.transport.request<ParticipantPreferences>({
      method: 'GET',
      path: `/api/participants/${encodeURIComponent(participantId)}/preferences`,
      as,
      what: `preferences of ${participantId}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return response.body;
  }

  async #register(as: ClientCredentials, path: string, body: unknown, what: string): Promise<Registration> {
    try {
      // 201: new; 200: the same registration was there already (the platform keeps the first).
      const response = await this.transport.request({ method: 'POST', path, json: body, as, what });
      return response.status === 201 ? 'created' : 'exists';
    } catch (caught) {
      // A 409 from a platform that refuses repeats: registered already.
      if (isApiError(caught) && caught.status === 409) return 'exists';
      throw caught;
    }
  }
}
