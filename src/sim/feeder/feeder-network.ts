/**
 * The feeder as the simulation runs it: the published loads scaled down to a background share (the homes
 * replace them), one injection per bus that carries the metered load of the homes there, and, when asked,
 * automatic control on regulators that the data gives only fixed taps.
 */
import type { Injection, Load, Network, Phase, Regulator, RegulatorControl } from '../../grid/network.js';
import type { HomeConnection } from './home-placement.js';

export interface FeederOptions {
  /** Share of the feeder's own published loads kept as background load (0 = homes only). */
  readonly backgroundLoadFactor: number;
  /** 'as-given' keeps the data's taps; 'automatic' adds band control where a regulator has none. */
  readonly regulators: 'as-given' | 'automatic';
}

/** Band control a utility would set: 122 V ± 1 V on the 120 V relay base, no line-drop compensation. */
function defaultRegulatorControl(nominalLineToNeutralV: number): RegulatorControl {
  return {
    bandCenterV: 122,
    bandwidthV: 2,
    ptRatio: nominalLineToNeutralV / 120,
    ctRatingA: 600,
    ldcResistanceV: 0,
    ldcReactanceV: 0,
    timeDelayS: 30,
  };
}

export interface FeederWithHomes {
  readonly network: Network;
  /** Index in `network.injections` of the homes' injection at each bus. */
  readonly injectionOfBus: ReadonlyMap<string, number>;
}

export function feederWithHomes(
  feeder: Network,
  connections: readonly HomeConnection[],
  options: FeederOptions,
  nominalKvLLOf: (bus: string) => number,
): FeederWithHomes {
  const scaleLoad = <T extends Pick<Load, 'phasePowers'>>(load: T): T => ({
    ...load,
    phasePowers: load.phasePowers.map((p) => ({
      ...p,
      pKw: p.pKw * options.backgroundLoadFactor,
      qKvar: p.qKvar * options.backgroundLoadFactor,
    })),
  });
  const phasesByBus = new Map<string, Set<Phase>>();
  for (const c of connections) phasesByBus.set(c.bus, (phasesByBus.get(c.bus) ?? new Set()).add(c.phase));
  const injectionOfBus = new Map<string, number>();
  const homeInjections: Injection[] = [...phasesByBus.keys()].sort().map((bus, k) => {
    injectionOfBus.set(bus, feeder.injections.length + k);
    // A placeholder power so the solver compiles a branch for every phase; each slot overwrites it.
    const phases = [...(phasesByBus.get(bus) ?? [])].sort();
    return { name: `homes@${bus}`, bus, phasePowers: phases.map((phase) => ({ phase, pKw: 1, qKvar: 0 })) };
  });
  const regulators: Regulator[] =
    options.regulators === 'automatic'
      ? feeder.regulators.map((r) =>
          r.control !== undefined
            ? r
            : { ...r, control: defaultRegulatorControl((nominalKvLLOf(r.to) * 1000) / Math.sqrt(3)) },
        )
      : [...feeder.regulators];
  const keepLoads = options.backgroundLoadFactor > 0;
  return {
    network: {
      ...feeder,
      loads: keepLoads ? feeder.loads.map(scaleLoad) : [],
      distributedLoads: keepLoads ? feeder.distributedLoads.map(scaleLoad) : [],
      injections: [...feeder.injections, ...homeInjections],
      regulators,
    },
    injectionOfBus,
  };
}
