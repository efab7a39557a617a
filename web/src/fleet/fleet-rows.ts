/**
 * The fleet table's rows: one per device from its newest sample, filtered (kind, state, text on the
 * ids) and sorted by any column. Rows keep their identity while their sample is unchanged, so a live
 * refresh of 1,000 devices re-renders only the rows whose device reported.
 */
import type { LatestDevice, TelemetrySample } from './fleet-contract';
import { sortRows, type SortState, type SortValue } from './table-sort';

export interface FleetRow {
  readonly deviceId: string;
  readonly participantId: string;
  readonly kind: string;
  readonly sample: TelemetrySample;
  /** The temperature the comfort band applies to: indoor air, else the water tank. */
  readonly tempF: number | undefined;
}

export type FleetColumn =
  | 'deviceId'
  | 'participantId'
  | 'kind'
  | 'state'
  | 'powerKw'
  | 'socPct'
  | 'tempF'
  | 'setpointF'
  | 'bidPricePerKwh'
  | 'bidQuantityKw'
  | 'timeMs';

export interface FleetFilter {
  /** '' for every kind. */
  readonly kind: string;
  /** '' for every state. */
  readonly state: string;
  /** Case-insensitive, matched against the device and participant ids. */
  readonly text: string;
}

export const NO_FILTER: FleetFilter = { kind: '', state: '', text: '' };

/**
 * Rows for the latest answer, reusing `previous` rows whose sample has not changed (same time and
 * values), so unchanged rows compare equal by reference.
 */
export function fleetRows(
  devices: readonly LatestDevice[],
  previous: ReadonlyMap<string, FleetRow> = new Map(),
): FleetRow[] {
  return devices.map((device) => {
    const old = previous.get(device.deviceId);
    if (
      old !== undefined &&
      old.participantId === device.participantId &&
      old.kind === device.kind &&
      sameSample(old.sample, device.sample)
    )
      return old;
    return {
      deviceId: device.deviceId,
      participantId: device.participantId,
      kind: device.kind,
      sample: device.sample,
      tempF: device.sample.indoorTempF ?? device.sample.tankTempF,
    };
  });
}

export function sameSample(a: TelemetrySample, b: TelemetrySample): boolean {
  if (a === b) return true;
  const keysA = Object.keys(a) as (keyof TelemetrySample)[];
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => a[key] === b[key]);
}

export function filterRows(rows: readonly FleetRow[], filter: FleetFilter): FleetRow[] {
  const text = filter.text.trim().toLowerCase();
  if (filter.kind === '' && filter.state === '' && text === '') return [...rows];
  return rows.filter(
    (row) =>
      (filter.kind === '' || row.kind === filter.kind) &&
      (filter.state === '' || (row.sample.state ?? '') === filter.state) &&
      (text === '' ||
        row.deviceId.toLowerCase().includes(text) ||
        row.participantId.toLowerCase().includes(text)),
  );
}

export function columnValue(row: FleetRow, column: FleetColumn): SortValue {
  switch (column) {
    case 'deviceId':
    case 'participantId':
    case 'kind':
      return row[column];
    case 'tempF':
      return row.tempF;
    default:
      return row.sample[column];
  }
}

export function sortFleet(rows: readonly FleetRow[], sort: SortState<FleetColumn>): FleetRow[] {
  return sortRows(rows, sort, columnValue);
}

/** The kinds and states present, sorted, for the filter menus. */
export function filterOptions(rows: readonly FleetRow[]): { kinds: string[]; states: string[] } {
  const kinds = new Set<string>();
  const states = new Set<string>();
  for (const row of rows) {
    kinds.add(row.kind);
    if (row.sample.state !== undefined) states.add(row.sample.state);
  }
  return { kinds: [...kinds].sort(), states: [...states].sort() };
}
