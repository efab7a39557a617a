/**
 * Community now (`/`): the energy flowing between the grid, the substation, the homes and their
 * devices; the price now and next; what the market last decided and why; the headline numbers.
 * Flows reload on telemetry and grid solves, the market part on cleared slots, both throttled.
 */
import { useApp } from '../app-context';
import {
  loadFlows,
  loadMarketNow,
  type Flows,
  type MarketNow,
  type SlotPrice,
} from '../community/community-data';
import { communityLoadKw, flowLayout } from '../community/flow-model';
import { FlowDiagram } from '../components/flow-diagram';
import { Panel, Stat } from '../components/panel';
import { formatEnergyKwh, formatPercent, formatPowerKw, formatPricePerKwh, formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { MarketNone } from './market-none';
import { clearingStory } from '../market/clearing-story';
import { followLink } from '../router';

export function CommunityView() {
  const { api, session, marketId } = useApp();
  const flows = useResource(
    () => (marketId === undefined ? Promise.resolve(undefined) : loadFlows(api, session, marketId)),
    [marketId],
    { refreshOn: ['telemetry-received', 'grid-solved', 'slot-settled'], minIntervalMs: 5_000 },
  );
  const market = useResource(
    () => (marketId === undefined ? Promise.resolve(undefined) : loadMarketNow(api, session, marketId)),
    [marketId],
    { refreshOn: ['slot-cleared'], minIntervalMs: 2_000, pollMs: 30_000 },
  );
  if (marketId === undefined) return <MarketNone view="community" />;
  return (
    <>
      <HeadlineStats flows={flows.data} market={market.data} />
      <Panel
        title="Energy flows now"
        subtitle="Power by device kind from the latest telemetry; arrow width grows with power"
        resource={flows}
        wide
        testId="flows-panel"
        isEmpty={(data) =>
          data === undefined || (data.kinds === undefined && data.substationKw === undefined)
        }
        empty="No telemetry or metered import yet: the picture fills when the homes report (every market period)."
      >
        {(data) => data !== undefined && <FlowsBody flows={data} />}
      </Panel>
      <Panel
        title="Price now and next"
        subtitle="Clearing prices of the current and the next market slot"
        resource={market}
        testId="price-panel"
        isEmpty={(data) => data === undefined || (data.current === undefined && data.next === undefined)}
        empty="No market slots around now: slots open as the market runs."
      >
        {(data) =>
          data !== undefined && (
            <div class="stats price-now">
              <SlotPriceStat label="Now" slot={data.current} currency={data.currency} testId="price-now" />
              <SlotPriceStat label="Next" slot={data.next} currency={data.currency} testId="price-next" />
            </div>
          )
        }
      </Panel>
      <Panel
        title="What the market decided and why"
        subtitle="The newest cleared slot"
        resource={market}
        testId="decision-panel"
        isEmpty={(data) => data?.decision === undefined}
        empty={emptyDecision(market.data)}
      >
        {(data) => data?.decision !== undefined && <Decision market={data} />}
      </Panel>
    </>
  );
}

function emptyDecision(market: MarketNow | undefined): string {
  if (market?.firstGateMs === undefined)
    return 'No slot has cleared yet: the first clears at its gate closure.';
  return `No slot has cleared yet: the first clears at ${formatTime(market.firstGateMs)}.`;
}

function HeadlineStats({ flows, market }: { flows: Flows | undefined; market: MarketNow | undefined }) {
  const kinds = flows?.kinds;
  const pv = kinds?.find((k) => k.kind === 'pv');
  const battery = kinds?.find((k) => k.kind === 'battery');
  const noTelemetry = flows?.telemetry === 'refused' ? 'not visible to your role' : 'no telemetry yet';
  return (
    <section
      class="panel panel-wide community-stats"
      data-testid="community-stats"
      aria-label="Headline numbers"
    >
      <div class="stats">
        <Stat
          label="Community load"
          value={kinds === undefined ? '–' : formatPowerKw(communityLoadKw(kinds))}
          detail={kinds === undefined ? noTelemetry : 'devices drawing power'}
          testId="stat-load"
        />
        <Stat
          label="PV output"
          value={pv === undefined ? '–' : formatPowerKw(Math.max(0, -pv.powerKw))}
          detail={pv === undefined ? noTelemetry : `${pv.devices} systems`}
          testId="stat-pv"
        />
        <Stat
          label="Batteries"
          value={battery?.socPct === undefined ? '–' : `${formatPercent(battery.socPct)} charged`}
          detail={battery === undefined ? noTelemetry : batteryDetail(battery.powerKw)}
          testId="stat-battery"
        />
        <Stat
          label="Price now"
          value={formatPricePerKwh(market?.current?.pricePerKwh, market?.currency)}
          detail={
            market === undefined
              ? 'loading…'
              : market.current === undefined
                ? 'no slot now'
                : `slot from ${formatTime(market.current.startMs)}`
          }
          testId="stat-price"
        />
        <Stat
          label="Traded today"
          value={market === undefined ? '–' : formatEnergyKwh(market.tradedTodayWh / 1000)}
          detail={market === undefined ? 'loading…' : 'energy in cleared slots since midnight'}
          testId="stat-traded"
        />
      </div>
    </section>
  );
}

function batteryDetail(powerKw: number): string {
  if (powerKw > 0.05) return `charging ${formatPowerKw(powerKw)}`;
  if (powerKw < -0.05) return `discharging ${formatPowerKw(-powerKw)}`;
  return 'idle';
}

function FlowsBody({ flows }: { flows: Flows }) {
  const kinds = flows.kinds ?? [];
  const layout = flowLayout({ kinds, substationKw: flows.substationKw, homesKw: flows.homesKw });
  return (
    <div class="flows">
      {flows.telemetry === 'refused' && (
        <p class="notice notice-info" data-testid="aggregate-note">
          Your role may not read device telemetry, so the picture shows the community from aggregates only:
          {flows.substationSource === 'grid-state'
            ? ' the substation from the grid operator’s power flow.'
            : ' the substation from the community’s metered import (newest settled slot).'}
        </p>
      )}
      {flows.telemetry === 'none' && (
        <p class="hint">No device telemetry has arrived yet; the devices appear when the homes report.</p>
      )}
      <FlowDiagram layout={layout} kinds={kinds} />
      <p class="flow-legend">
        <span class="flow-key flow-key-import">drawing power (import)</span>
        <span class="flow-key flow-key-export">feeding back (export)</span>
        <span class="hint">
          Substation:{' '}
          {flows.substationSource === 'grid-state'
            ? `grid power flow${flows.capacityKw === undefined ? '' : `, capacity ${formatPowerKw(flows.capacityKw)}`}`
            : flows.substationSource === 'metered-import'
              ? 'metered import, newest settled slot'
              : 'not known yet'}
          {flows.newestSampleMs === undefined ? '' : ` · telemetry at ${formatTime(flows.newestSampleMs)}`}
          {flows.telemetry !== 'ok'
            ? ''
            : flows.participants === 1
              ? ' · devices of 1 home'
              : ` · devices of ${flows.participants} homes`}
        </span>
      </p>
    </div>
  );
}

function SlotPriceStat(props: {
  label: string;
  slot: SlotPrice | undefined;
  currency: string;
  testId: string;
}) {
  const { slot } = props;
  const value =
    slot?.pricePerKwh === undefined ? 'not cleared' : formatPricePerKwh(slot.pricePerKwh, props.currency);
  const detail =
    slot === undefined
      ? 'no slot'
      : slot.pricePerKwh !== undefined
        ? `${formatTime(slot.startMs)}–${formatTime(slot.endMs)}`
        : `${formatTime(slot.startMs)}–${formatTime(slot.endMs)}, clears at ${formatTime(slot.gateClosureMs)}`;
  return <Stat label={props.label} value={value} detail={detail} testId={props.testId} />;
}

function Decision({ market }: { market: MarketNow }) {
  const decision = market.decision;
  if (decision === undefined) return null;
  const link = `/market?slot=${decision.slotStartMs}`;
  return (
    <div class="decision">
      <p class="decision-story" data-testid="decision-story">
        {decision.curves === undefined
          ? `Cleared ${formatEnergyKwh(decision.tradedEnergyWh / 1000)} at ${formatPricePerKwh(decision.pricePerKwh, market.currency)}.`
          : clearingStory(decision.curves, {
              currency: market.currency,
              ...(decision.supplierPricePerKwh === undefined
                ? {}
                : { supplierPricePerKwh: decision.supplierPricePerKwh }),
            })}
      </p>
      <p class="hint">
        Slot {formatTime(decision.slotStartMs)}
        {market.mechanism === undefined ? '' : ` · ${market.mechanism}`} ·{' '}
        <a href={link} onClick={(e) => followLink(e, link)}>
          see its supply and demand curves
        </a>
      </p>
    </div>
  );
}
