/**
 * The grid areas the market prices and charges by: the wholesale grid (where the supplier sits), the
 * substation (its capacity is the community's limit), and below it one area per feeder bus with homes
 * (or a single community area without a feeder). Grid fees per kWh are charged for every area a trade
 * crosses, so a trade between neighbours on one bus pays only the local fee.
 */
import { areaTree, type AreaTree } from '../market/mechanism/area-tree.js';
import type { HomeConnection } from './feeder/home-placement.js';
import type { Scenario } from './scenario/parse-scenario.js';

export interface MarketAreas {
  readonly tree: AreaTree;
  readonly premisesArea: Int32Array;
  readonly supplierArea: number;
}

export function marketAreas(
  scenario: Pick<Scenario, 'market' | 'wholesale' | 'population'>,
  connections: readonly HomeConnection[] | null,
): MarketAreas {
  const fees = scenario.market.gridFees;
  const localNames =
    connections === null ? ['community'] : [...new Set(connections.map((c) => `bus ${c.bus}`))].sort();
  const tree = areaTree([
    { name: 'grid', parent: null, feePerKwh: fees.gridPerKwh },
    {
      name: 'substation',
      parent: 'grid',
      feePerKwh: fees.substationPerKwh,
      capacityKw: scenario.wholesale.substationCapacityKw,
    },
    ...localNames.map((name) => ({ name, parent: 'substation', feePerKwh: fees.localPerKwh })),
  ]);
  const indexOf = new Map(tree.names.map((name, index) => [name, index]));
  const premisesArea = Int32Array.from({ length: scenario.population.homes }, (_, p) =>
    connections === null
      ? (indexOf.get('community') ?? 0)
      : (indexOf.get(`bus ${connections[p]?.bus ?? ''}`) ?? 0),
  );
  return { tree, premisesArea, supplierArea: indexOf.get('grid') ?? 0 };
}
