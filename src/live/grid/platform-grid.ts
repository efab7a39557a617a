/**
 * The grid monitor's configuration on the live platform: the `grid` section of the server configuration
 * (a feeder file and a CSV of connections, for `tenet serve`), or a feeder and connections handed in
 * directly (`tenet demo` places its homes as the simulator does). Reading the feeder file is the CLI's
 * job (`loadNetwork`), so this module stays below it.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { parseCsvTable, rowError, text } from '../../grid/formats/csv-table.js';
import type { Network, Phase } from '../../grid/network.js';
import type { FeederOptions } from '../../sim/feeder/feeder-network.js';
import type { ConfiguredMarket } from '../server-config.js';
import { GridFeeder } from './grid-feeder.js';
import type { GridConnection } from './grid-state.js';

export const GridConfigSchema = Type.Object(
  {
    feeder: Type.String({
      minLength: 1,
      description:
        'feeder directory (Kersting or radial CSV) or OpenDSS .dss file, relative to the working directory',
    }),
    connections: Type.String({
      minLength: 1,
      description: 'CSV with header participantId,bus,phase: where each participant’s premises meter is',
    }),
    marketId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'the market on the feeder (default the first)',
      }),
    ),
    substationCapacityKw: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1e7,
        description: "the substation's capacity (default the market's supplier capacity)",
      }),
    ),
    backgroundLoadFactor: Type.Number({
      minimum: 0,
      maximum: 10,
      default: 0,
      description: "share of the feeder's published loads kept beside the metered participants",
    }),
    regulators: Type.Union([Type.Literal('automatic'), Type.Literal('as-given')], {
      default: 'automatic',
      description: "'automatic' gives regulators with only fixed taps a 122 V ± 1 V band control",
    }),
    publishEnvelopes: Type.Boolean({
      default: false,
      description:
        "after each solve, publish every registered connection's envelope for the next slot as the DSO (OpenADR events; IEEE 2030.5 DERControls, CSIP-AUS limits with ieee2030_5.siteLimits: csip-aus)",
    }),
  },
  { additionalProperties: false },
);

export type GridConfig = Static<typeof GridConfigSchema>;

/** What the platform needs to run the grid monitor. */
export interface PlatformGridOptions {
  readonly network: Network;
  readonly connections: readonly GridConnection[];
  /** Default: the first configured market. */
  readonly marketId?: string;
  /** Default: that market's supplier capacity. */
  readonly substationCapacityKw?: number;
  readonly feederOptions?: Partial<FeederOptions>;
  /** Publish each solve's envelopes for the next slot (src/live/grid/grid-envelope-publisher.ts). */
  readonly publishEnvelopes?: boolean;
}

const MAX_CONNECTIONS_BYTES = 16 * 1024 * 1024;
const PHASES: readonly string[] = ['a', 'b', 'c'];

/** The feeder and connections the configuration names, read from disk. Throws coded errors. */
export async function loadConfiguredGrid(
  config: GridConfig,
  cwd: string,
  loadNetwork: (path: string) => Promise<Network>,
): Promise<PlatformGridOptions> {
  const network = await loadNetwork(config.feeder);
  const path = resolve(cwd, config.connections);
  const size = await stat(path).then(
    (info) => info.size,
    () => {
      throw new TeError('TE_ERR_FILE_NOT_FOUND', 'no such connections file', {
        path: 'grid.connections',
        hint: `expected a CSV (participantId,bus,phase) at ${path}`,
      });
    },
  );
  if (size > MAX_CONNECTIONS_BYTES) {
    throw new TeError('TE_ERR_INPUT_TOO_LARGE', 'the connections file is over 16 MiB', {
      path: config.connections,
    });
  }
  return {
    network,
    connections: parseConnectionsCsv(await readFile(path, 'utf8'), config.connections),
    ...(config.marketId === undefined ? {} : { marketId: config.marketId }),
    ...(config.substationCapacityKw === undefined
      ? {}
      : { substationCapacityKw: config.substationCapacityKw }),
    feederOptions: { backgroundLoadFactor: config.backgroundLoadFactor, regulators: config.regulators },
    publishEnvelopes: config.publishEnvelopes,
  };
}

/** `participantId,bus,phase` rows (phase a, b or c); errors name the file and line. */
export function parseConnectionsCsv(csv: string, file: string): GridConnection[] {
  return parseCsvTable(file, csv, ['participantid', 'bus', 'phase']).map((row) => {
    const phase = text(row, 'phase').toLowerCase();
    if (!PHASES.includes(phase)) throw rowError(row, `phase '${phase}' is not a, b or c`);
    return { participantId: text(row, 'participantid'), bus: text(row, 'bus'), phase: phase as Phase };
  });
}

/** The monitor's feeder for the configured markets: the market and capacity defaulted and checked. */
export function platformGridFeeder(
  grid: PlatformGridOptions,
  markets: readonly ConfiguredMarket[],
): GridFeeder {
  const market = grid.marketId === undefined ? markets[0] : markets.find((m) => m.id === grid.marketId);
  if (market === undefined) {
    throw new TeError('TE_ERR_CONFIG', `the grid's market '${grid.marketId ?? ''}' is not configured`, {
      path: 'grid.marketId',
      hint: `name one of ${markets.map((m) => m.id).join(', ')}`,
    });
  }
  const capacityKw = grid.substationCapacityKw ?? market.rules.supplier?.capacityKw;
  if (capacityKw === undefined) {
    throw new TeError(
      'TE_ERR_CONFIG',
      `market '${market.id}' has no supplier to take the substation capacity from`,
      {
        path: 'grid.substationCapacityKw',
        hint: 'give the substation capacity in kW',
      },
    );
  }
  return new GridFeeder({
    marketId: market.id,
    network: grid.network,
    connections: grid.connections,
    substationCapacityKw: capacityKw,
    ...(grid.feederOptions === undefined ? {} : { feederOptions: grid.feederOptions }),
  });
}
