/**
 * The homes' comfort sliders as their occupants set them on the platform (PUT
 * /api/participants/{id}/preferences): the community hears each change on the event stream (as the
 * market operator, it sees every participant's) and hands it to that home's transactive thermostat and
 * water heater at the start of the next slot, never in the middle of one (a slot's bid and dispatch use
 * one slider). A home whose occupant never set one keeps the slider its population drew.
 */
import type { HvacAgent } from '../der/hvac-agent.js';
import type { WaterHeaterAgent } from '../der/water-heater-agent.js';
import type { Premises } from '../engine/ports.js';
import type { MarketEvent } from '../live/market-events.js';
import type { ClientCredentials } from '../http-client/api-transport.js';
import type { PlatformApiClient } from './api-client.js';
import type { RegisteredHome } from './home-registration.js';

export class HomeComfort {
  /** Sliders heard and not yet applied, by participant id; the last one heard wins. */
  readonly #pending = new Map<string, number>();
  #applied = 0;

  onEvent(event: MarketEvent): void {
    if (event.type !== 'preferences-changed') return;
    if (!Number.isFinite(event.comfortSlider)) return;
    this.#pending.set(event.participantId, Math.min(1, Math.max(0, event.comfortSlider)));
  }

  /** Sliders set before this run (a restart on the same data), read as the operator; failures are skipped. */
  async load(
    api: PlatformApiClient,
    operator: ClientCredentials,
    registered: readonly RegisteredHome[],
    signal: AbortSignal,
  ): Promise<void> {
    await Promise.all(
      registered.map(async (home) => {
        try {
          const preferences = await api.preferences(operator, home.participantId, signal);
          if (preferences.updatedMs !== undefined && !this.#pending.has(home.participantId))
            this.#pending.set(home.participantId, preferences.comfortSlider);
        } catch {
          // The home keeps its drawn slider; a later change still arrives as an event.
        }
      }),
    );
  }

  /** Applies the pending sliders to the homes' transactive HVAC and water heaters; call between slots. */
  applyPending(premises: readonly Premises[], registered: readonly RegisteredHome[]): void {
    if (this.#pending.size === 0) return;
    for (const home of registered) {
      const slider = this.#pending.get(home.participantId);
      if (slider === undefined) continue;
      for (const device of premises[home.homeIndex]?.devices ?? []) {
        if (device.mode !== 'transactive') continue;
        if (device.kind === 'hvac') (device as HvacAgent).setComfortSlider(slider);
        if (device.kind === 'water-heater') (device as WaterHeaterAgent).setComfortSlider(slider);
      }
      this.#applied++;
    }
    this.#pending.clear();
  }

  /** Slider changes applied to homes so far. */
  get applied(): number {
    return this.#applied;
  }
}
