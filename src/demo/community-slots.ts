/**
 * The community's slot loop. For the slot in progress and each after it: the homes bid from their state
 * at its start (if its gate is still ahead), wait for its clearing, read their fills, dispatch, step the
 * physics through the slot and post their meter readings when it ends. Physics never skips a slot: a
 * slot the community was too late for is stepped with no award, so the homes' state follows the clock.
 */
import { toIsoWithOffset, type TimeSlot } from '../core/time.js';
import type { WeatherSource } from '../engine/ports.js';
import type { Clock } from '../live/clock.js';
import { supplierPriceAt } from '../live/market-rules.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import type { MeterReadingInput, PlatformApiClient } from './api-client.js';
import type { ApiTransport, ClientCredentials } from '../http-client/api-transport.js';
import { slotWeather, type CommunityHomes } from './community-homes.js';
import { planHomeOrders } from './home-orders.js';
import { describeFailure, type RegisteredHome } from './home-registration.js';
import { readHomeFills, submitHomeOrders, type SubmissionSummary, type TradingHome } from './home-trading.js';
import { supplierRulesForSlot, type ScenarioMarketRules } from './scenario-market-rules.js';
import type { SlotClearing, SlotClearings } from './slot-clearings.js';
import type { OpenAdrHomes, OpenAdrHomesStats } from './openadr-homes.js';
import type { SepSiteLimits } from './sep-site-limits.js';
import type { HomeComfort } from './home-comfort.js';
import { communityTelemetry, SlotBids } from './home-telemetry.js';
import type { DeviceTelemetryInput } from './api-client.js';
import { TelemetryPosting, type DeviceTelemetryMode } from './telemetry-posting.js';

export type { DeviceTelemetryMode } from './telemetry-posting.js';

export interface CommunityStats {
  /** Slots the community submitted orders for. */
  readonly slotsBid: number;
  readonly ordersSent: number;
  /** Meter readings delivered, over REST or as OpenADR USAGE reports. */
  readonly readingsSent: number;
  /** Device samples delivered (POST /api/device-telemetry after each slot). */
  readonly telemetrySent: number;
  /** Comfort slider changes applied to homes (set by their occupants on the platform). */
  readonly comfortApplied: number;
  /** Requests sent again (network errors, 429, 503). */
  readonly retries: number;
  /** Home-slots sat out: an order refused or late, or the whole community too late for the gate. */
  readonly missedGates: number;
  /** The VEN homes' OpenADR traffic, when some homes are VENs. */
  readonly openAdr?: OpenAdrHomesStats;
}

export interface CommunitySlotsOptions {
  readonly api: PlatformApiClient;
  readonly transport: ApiTransport;
  readonly operator: ClientCredentials;
  readonly clock: Clock;
  readonly marketId: string;
  readonly scenario: Scenario;
  readonly weather: WeatherSource;
  readonly homes: CommunityHomes;
  readonly registered: readonly RegisteredHome[];
  readonly market: ScenarioMarketRules;
  readonly clearings: SlotClearings;
  readonly log: (line: string) => void;
  readonly stop: AbortSignal;
  /** The homes that are also OpenADR VENs. */
  readonly openAdr?: OpenAdrHomes;
  /** The 2030.5 homes' limits, applied to their PV and batteries in each slot's step. */
  readonly sepLimits?: SepSiteLimits;
  /** Comfort sliders the occupants set on the platform, applied at the start of each slot. */
  readonly comfort?: HomeComfort;
  /** How the homes' device telemetry is posted after each slot (default 'batched'; see DeviceTelemetryMode). */
  readonly deviceTelemetry?: DeviceTelemetryMode;
}

export class CommunitySlots {
  #slotsBid = 0;
  #ordersSent = 0;
  #readingsSent = 0;
  readonly #telemetry: TelemetryPosting;
  #missedGates = 0;
  readonly #pendingReadings = new Set<Promise<void>>();
  readonly #participantIds: string[];
  #supplierHour = Number.NaN;

  constructor(private readonly options: CommunitySlotsOptions) {
    const ids = options.homes.premises.map(() => '');
    for (const home of options.registered) ids[home.homeIndex] = home.participantId;
    this.#participantIds = ids;
    this.#telemetry = new TelemetryPosting({
      api: options.api,
      operator: options.operator,
      registered: options.registered,
      mode: options.deviceTelemetry ?? 'batched',
    });
  }

  stats(): CommunityStats {
    return {
      slotsBid: this.#slotsBid,
      ordersSent: this.#ordersSent,
      readingsSent: this.#readingsSent,
      telemetrySent: this.#telemetry.sent,
      comfortApplied: this.options.comfort?.applied ?? 0,
      retries: this.options.transport.retries,
      missedGates: this.#missedGates,
      ...(this.options.openAdr === undefined ? {} : { openAdr: this.options.openAdr.stats() }),
    };
  }

  /** Runs until the stop signal; never rejects. */
  async run(): Promise<void> {
    const { clock, scenario, stop } = this.options;
    const periodMs = scenario.marketPeriodMs;
    // The slot in progress: the live market's slots are aligned to the epoch, as the operator opens them.
    let startMs = Math.floor(clock.nowMs() / periodMs) * periodMs;
    while (!stop.aborted) {
      const slot = { startMs, endMs: startMs + periodMs };
      try {
        await this.#runSlot(slot);
      } catch (caught) {
        this.options.log(
          `demo community: slot ${this.#time(slot.startMs)} failed: ${describeFailure(caught)}`,
        );
      }
      startMs += periodMs;
    }
  }

  /** Waits for the readings already scheduled (those of slots not yet ended are dropped on stop). */
  async drainReadings(): Promise<void> {
    await Promise.allSettled([...this.#pendingReadings]);
  }

  async #runSlot(slot: TimeSlot): Promise<void> {
    const { clock, homes, market, stop } = this.options;
    const { cycle } = homes;
    const weather = slotWeather(this.options.weather, slot);
    this.options.comfort?.applyPending(homes.premises, this.options.registered);
    // Every slot's bids are collected, even one the community is too late for: agents keep their price
    // view from it, as they do in the simulator.
    const table = cycle.collectBids(slot, weather.snapshot);
    const reporting = this.options.deviceTelemetry !== 'off';
    const bids = reporting ? SlotBids.capture(cycle, table, homes.priceStatistics.meanPerKwh) : null;
    const filledKw = new Float64Array(table.rows);
    const gateClosureMs = slot.startMs - market.rules.gateClosureLeadMs;
    let clearing: SlotClearing | null = null;
    let summary: SubmissionSummary | null = null;
    const timing = { ordersMs: 0, gateSpareMs: 0, fillsMs: 0 };
    if (clock.nowMs() < gateClosureMs) {
      await this.#setSupplierPrice(slot);
      const ordersStartedMs = Date.now();
      summary = await submitHomeOrders(
        this.options.api,
        this.#tradingHomes(table, slot),
        clock,
        gateClosureMs,
        stop,
      );
      timing.ordersMs = Date.now() - ordersStartedMs;
      timing.gateSpareMs = gateClosureMs - clock.nowMs();
      this.#slotsBid++;
      this.#ordersSent += summary.ordersSent;
      this.#missedGates += summary.missed;
      // Half a period to clear: the rest is for stepping and bidding for the next slot before its gate.
      const giveUpMs = slot.startMs + (slot.endMs - slot.startMs) / 2;
      clearing = await this.options.clearings.waitFor(slot.startMs, giveUpMs, stop);
      if (stop.aborted) return;
      const fillsStartedMs = Date.now();
      const { unread, uninformed } =
        clearing === null
          ? { unread: 0, uninformed: 0 }
          : await this.#readFills(summary, slot, giveUpMs, filledKw);
      timing.fillsMs = Date.now() - fillsStartedMs;
      if (clearing === null)
        this.options.log(
          `demo community: slot ${this.#time(slot.startMs)} did not clear in time; homes get no award`,
        );
      if (unread > 0)
        this.options.log(
          `demo community: slot ${this.#time(slot.startMs)}: ${unread} homes could not read their fills`,
        );
      if (uninformed > 0)
        this.options.log(
          `demo community: slot ${this.#time(slot.startMs)}: ${uninformed} VEN homes had no OpenADR price event in time (no award; does the VTN publish the market?)`,
        );
    } else {
      this.#missedGates += this.options.registered.length;
      this.options.log(
        `demo community: slot ${this.#time(slot.startMs)}: too late for its gate, ${this.options.registered.length} homes sit it out`,
      );
    }
    if (stop.aborted) return;
    const clearingPrice = clearing?.pricePerKwh ?? Number.NaN;
    const signalPrice = Number.isFinite(clearingPrice) ? clearingPrice : this.#supplierPrice(slot);
    cycle.applyFills(table, filledKw, clearingPrice);
    cycle.dispatchDevices(slot, signalPrice, true);
    this.options.sepLimits?.limitSlot(weather.during);
    const communityKw = cycle.stepAndMeter(slot, weather.during);
    this.options.sepLimits?.countSlot(slot);
    if (clearing !== null && clearing.pricePerKwh !== null) {
      cycle.recordMarketPrice(clearing.pricePerKwh, clearing.status);
    }
    const telemetry = reporting
      ? communityTelemetry(cycle, slot, summary === null ? null : bids, clearing?.pricePerKwh ?? null)
      : [];
    this.#scheduleReadings(slot, telemetry);
    this.options.clearings.forgetBefore(slot.startMs);
    this.options.openAdr?.forgetBefore(slot.startMs);
    if (summary !== null) this.#logSlot(slot, summary, clearing, communityKw, timing);
  }

  /**
   * Every home that traded reads its fills once it knows the slot cleared: a REST home now (the
   * community heard it), a VEN home once its own price event came, so VEN homes never hold the others up.
   * A VEN home whose event does not come by `giveUpMs` gets no award. Returns the homes left unread.
   */
  async #readFills(
    summary: SubmissionSummary,
    slot: TimeSlot,
    giveUpMs: number,
    filledKw: Float64Array,
  ): Promise<{ unread: number; uninformed: number }> {
    const { api, marketId, stop, clock } = this.options;
    const openAdr = this.options.openAdr;
    const isVen = (s: SubmissionSummary['submissions'][number]) =>
      openAdr?.isVen(s.home.orders.participantId) === true;
    const read = (submissions: SubmissionSummary['submissions']) =>
      readHomeFills(api, marketId, slot.startMs, submissions, filledKw, stop);
    let uninformed = 0;
    const counts = await Promise.all([
      read(summary.submissions.filter((s) => !isVen(s))),
      ...summary.submissions.filter(isVen).map(async (submission) => {
        const participantId = submission.home.orders.participantId;
        if (await openAdr?.waitForSlot(participantId, slot.startMs, clock, giveUpMs))
          return read([submission]);
        uninformed += 1;
        return 0;
      }),
    ]);
    return { unread: counts.reduce((a, b) => a + b, 0), uninformed };
  }

  #tradingHomes(table: Parameters<typeof planHomeOrders>[0], slot: TimeSlot): TradingHome[] {
    const plans = planHomeOrders(table, this.#participantIds, this.options.marketId, slot.startMs);
    return this.options.registered.map((home) => ({
      orders: plans[home.homeIndex] ?? {
        homeIndex: home.homeIndex,
        participantId: home.participantId,
        orders: [],
      },
      credentials: home.credentials,
    }));
  }

  /**
   * Each home's premises reading for the slot, and its devices' telemetry (by premises index; empty for
   * none), sent by the home once the slot has ended.
   */
  #scheduleReadings(slot: TimeSlot, telemetry: readonly (readonly DeviceTelemetryInput[])[]): void {
    const { cycle } = this.options.homes;
    const hours = (slot.endMs - slot.startMs) / 3_600_000;
    const metered = cycle.premisesMeteredKw;
    const readings = this.options.registered.map((home) => ({
      home,
      reading: {
        meterId: home.participantId,
        timeMs: slot.startMs,
        energyWh: Math.round((metered[home.homeIndex] ?? 0) * hours * 1000),
      } satisfies MeterReadingInput,
      // A VEN home reports on the slot's price event (taken now: the slot is forgotten before it ends);
      // without one it posts over REST like the others.
      event: this.options.openAdr?.slotEvent(home.participantId, slot.startMs),
    }));
    const openAdr = this.options.openAdr;
    const posting = (async () => {
      await this.options.clock.sleepUntil(slot.endMs, this.options.stop);
      if (this.options.clock.nowMs() < slot.endMs) return; // stopped before the slot ended
      let failed = 0;
      let reason = '';
      const sendingTelemetry = this.#telemetry.post(telemetry);
      await Promise.all(
        readings.map(async ({ home, reading, event }) => {
          try {
            if (openAdr !== undefined && event !== undefined)
              await openAdr.sendUsageReport(home.participantId, event, slot, reading.energyWh);
            else await this.options.api.postMeterReadings(home.credentials, [reading]);
            this.#readingsSent++;
          } catch (caught) {
            failed++;
            reason = describeFailure(caught);
          }
        }),
      );
      const telemetryProblem = await sendingTelemetry;
      if (failed > 0) {
        this.options.log(
          `demo community: slot ${this.#time(slot.startMs)}: ${failed} meter readings could not be posted (${reason})`,
        );
      }
      if (telemetryProblem !== undefined) {
        this.options.log(`demo community: slot ${this.#time(slot.startMs)}: ${telemetryProblem}`);
      }
    })();
    this.#pendingReadings.add(posting);
    void posting.finally(() => this.#pendingReadings.delete(posting));
  }

  /** Where the scenario's offset is not whole hours, the supplier's price is set hour by hour. */
  async #setSupplierPrice(slot: TimeSlot): Promise<void> {
    const { market, scenario } = this.options;
    if (market.hourlyByUtc) return;
    const hour = Math.floor(slot.startMs / 3_600_000);
    if (hour === this.#supplierHour) return;
    try {
      await this.options.api.putMarketRules(
        this.options.operator,
        this.options.marketId,
        supplierRulesForSlot(market.rules, scenario, slot.startMs),
      );
      this.#supplierHour = hour;
    } catch (caught) {
      this.options.log(`demo community: could not update the supplier's price: ${describeFailure(caught)}`);
    }
  }

  #supplierPrice(slot: TimeSlot): number {
    const supplier = this.options.market.rules.supplier;
    return supplier === undefined
      ? this.options.homes.supplier.priceForSlot(slot)
      : supplierPriceAt(supplier, slot.startMs);
  }

  #logSlot(
    slot: TimeSlot,
    summary: SubmissionSummary,
    clearing: SlotClearing | null,
    communityKw: number,
    timing: { ordersMs: number; gateSpareMs: number; fillsMs: number },
  ): void {
    const price =
      clearing === null
        ? 'not cleared'
        : clearing.pricePerKwh === null
          ? `no single price (${clearing.status})`
          : `${clearing.pricePerKwh.toFixed(4)}/kWh (${clearing.status})`;
    const missed =
      summary.missed === 0
        ? ''
        : `; ${summary.missed} homes sat out (${[...summary.refusals].map(([code, n]) => `${code} x${n}`).join(', ')})`;
    this.options.log(
      `demo community: slot ${this.#time(slot.startMs)}: ${summary.ordersSent} orders, ${price}, community load ${communityKw.toFixed(1)} kW${missed} [orders in ${timing.ordersMs} ms, ${Math.round(timing.gateSpareMs / 1000)} s before the gate; fills read in ${timing.fillsMs} ms]`,
    );
  }

  #time(timeMs: number): string {
    return toIsoWithOffset(timeMs, this.options.scenario.utcOffsetMinutes);
  }
}
