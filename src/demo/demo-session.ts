/**
 * The running demo as the API's /api/demo routes see it: its controllable clock, the scenario (seed,
 * market period, start) and the logins, which arrive once the community has registered its homes. Made
 * before the platform starts (the server is built with it), filled in as the demo comes up.
 */
import type { ControllableClock } from '../live/controllable-clock.js';
import type { DemoController, DemoLogin, DemoScenarioInfo } from '../server/routes/demo.js';

export class DemoSession implements DemoController {
  #homes = 0;
  #logins: readonly DemoLogin[] = [];

  constructor(
    readonly clock: ControllableClock,
    private readonly scenario: Omit<DemoScenarioInfo, 'homes'>,
  ) {}

  info(): DemoScenarioInfo {
    return { ...this.scenario, homes: this.#homes };
  }

  logins(): readonly DemoLogin[] {
    return this.#logins;
  }

  setHomes(homes: number): void {
    this.#homes = homes;
  }

  setLogins(logins: readonly DemoLogin[]): void {
    this.#logins = logins;
  }
}
