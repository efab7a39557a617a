/**
 * Mirror usage points in the store: a device keeps the Location it was given when it created its usage
 * point and posts its readings there for as long as it runs, so the usage point must survive a restart and
 * be known to every instance. Ids are derived from the device and the usage point's mRID, so the same
 * usage point posted to two instances at once is one row.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../live/clock.js';
import type { StoreSchema } from '../../store/schema.js';
import { isUniqueViolation } from '../../store/store-errors.js';
import type { MirrorUsagePoint } from '../metering-mirror.js';
import type { SepDevice, SepMirrorStore, SepMirrorUsagePoint } from '../server/registry.js';

interface SepMirrorUsagePointTable {
  id: string;
  device_id: string;
  mrid: string;
  body: string;
  created_ms: number;
  changed_ms: number;
}

type MirrorSchema = { sep_mirror_usage_points: SepMirrorUsagePointTable };

function mirrors(db: Kysely<StoreSchema>): Kysely<MirrorSchema> {
  return db.withTables<MirrorSchema>() as unknown as Kysely<MirrorSchema>;
}

/** The path segment of a device's usage point: 16 hex digits of SHA-256 over device id and mRID. */
export function mirrorIdOf(deviceId: string, mRID: string): string {
  return createHash('sha256').update(`${deviceId}\u0000${mRID.toUpperCase()}`).digest('hex').slice(0, 16);
}

export class StoreSepMirrorStore implements SepMirrorStore {
  readonly #db: Kysely<StoreSchema>;
  readonly #clock: Clock;

  constructor(db: Kysely<StoreSchema>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async list(device: SepDevice): Promise<readonly SepMirrorUsagePoint[]> {
    const rows = await mirrors(this.#db)
      .selectFrom('sep_mirror_usage_points')
      .selectAll()
      .where('device_id', '=', device.id)
      .orderBy('created_ms')
      .orderBy('id')
      .execute();
    return rows.map(usagePointOf);
  }

  async get(id: string): Promise<SepMirrorUsagePoint | undefined> {
    const row = await mirrors(this.#db)
      .selectFrom('sep_mirror_usage_points')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : usagePointOf(row);
  }

  async save(device: SepDevice, usagePoint: MirrorUsagePoint, id?: string): Promise<string> {
    const nowMs = this.#clock.nowMs();
    const body = JSON.stringify(usagePoint);
    const update = (key: string) =>
      mirrors(this.#db)
        .updateTable('sep_mirror_usage_points')
        .set({ mrid: usagePoint.mRID, body, changed_ms: nowMs })
        .where('id', '=', key)
        .where('device_id', '=', device.id)
        .executeTakeFirst();
    if (id !== undefined) {
      await update(id);
      return id;
    }
    const key = mirrorIdOf(device.id, usagePoint.mRID);
    try {
      await mirrors(this.#db)
        .insertInto('sep_mirror_usage_points')
        .values({
          id: key,
          device_id: device.id,
          mrid: usagePoint.mRID,
          body,
          created_ms: nowMs,
          changed_ms: nowMs,
        })
        .execute();
    } catch (error) {
      // The same usage point created a moment ago (another instance, a retry): update it instead.
      if (!isUniqueViolation(error)) throw error;
      await update(key);
    }
    return key;
  }
}

function usagePointOf(row: SepMirrorUsagePointTable): SepMirrorUsagePoint {
  return { id: row.id, deviceId: row.device_id, usagePoint: JSON.parse(row.body) as MirrorUsagePoint };
}
