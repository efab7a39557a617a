/**
 * IEEE 2030.5 devices in the store: which certificate (LFDI) belongs to which participant, its
 * registration PIN, and which other devices it may read for (an aggregator's gateway). Every write checks
 * its input here, so the table holds only ids that are path segments, LFDIs the server can match and PINs
 * with a valid check digit; the write and its audit record commit together.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../../core/errors.js';
import { writeAuditRecord, type AuditRecord } from '../../store/audit-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import { isUniqueViolation } from '../../store/store-errors.js';
import { sfdiCheckDigit, sfdiFromLfdi } from '../identity.js';

export interface SepDeviceTable {
  id: string;
  lfdi: string;
  sfdi: number;
  pin: number;
  participant_id: string;
  /** JSON array of device ids. */
  sees: string;
  enabled: number;
  created_ms: number;
  changed_ms: number;
}

type SepSchema = { sep_devices: SepDeviceTable };
type Db = Kysely<StoreSchema>;

/** The table is this module's own: the shared store schema type stays as it is. */
function sepTables(db: Db): Kysely<SepSchema & StoreSchema> {
  return db.withTables<SepSchema>();
}

export interface StoredSepDevice {
  readonly id: string;
  readonly lfdi: string;
  readonly sfdi: number;
  readonly pin: number;
  readonly participantId: string;
  readonly sees: readonly string[];
  readonly enabled: boolean;
  readonly createdMs: number;
  readonly changedMs: number;
}

export interface NewSepDevice {
  readonly id: string;
  readonly lfdi: string;
  readonly pin: number;
  readonly participantId: string;
  readonly sees?: readonly string[] | undefined;
  readonly enabled?: boolean | undefined;
}

/** Ids become path segments under `{base}/edev/`, so only these characters. */
export const SEP_DEVICE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const DEVICE_ID = new RegExp(SEP_DEVICE_ID_PATTERN);
export const MAX_SEEN_DEVICES = 1000;

/**
 * A 2030.5 registration PIN: six decimal digits (0 to 999999, leading zeros allowed), the last one the
 * check digit of the five before it, computed as for the SFDI (all six digits sum to a multiple of 10).
 */
export function isValidSepPin(pin: number): boolean {
  if (!Number.isSafeInteger(pin) || pin < 0 || pin > 999_999) return false;
  const digits = String(pin).padStart(6, '0');
  return sfdiCheckDigit(digits.slice(0, 5)) === Number(digits.slice(5));
}

/** The device as stored, or the first thing wrong with the input as a coded error. */
export function checkedSepDevice(input: NewSepDevice, nowMs: number): StoredSepDevice {
  if (!DEVICE_ID.test(input.id)) {
    throw invalid(
      'id',
      `device id ${JSON.stringify(input.id)} is not allowed`,
      'use 1 to 64 letters, digits, "_" or "-"',
    );
  }
  if (!/^[0-9A-Fa-f]{40}$/.test(input.lfdi)) {
    throw invalid(
      'lfdi',
      'an LFDI is 40 hex digits',
      "the first 40 hex digits of the SHA-256 of the device certificate's DER",
    );
  }
  if (!isValidSepPin(input.pin)) {
    const hint =
      Number.isSafeInteger(input.pin) && input.pin >= 0 && input.pin <= 999_999
        ? `the check digit of ${String(input.pin).padStart(6, '0').slice(0, 5)} is ${sfdiCheckDigit(String(input.pin).padStart(6, '0').slice(0, 5))}`
        : 'a PIN has six digits, the last a check digit (IEEE 2030.5, as for the SFDI)';
    throw invalid('pin', `${String(input.pin)} is not a valid 2030.5 registration PIN`, hint);
  }
  const sees = [...new Set(input.sees ?? [])];
  if (sees.length > MAX_SEEN_DEVICES) {
    throw invalid('sees', `a device may see at most ${MAX_SEEN_DEVICES} others`);
  }
  for (const [k, id] of sees.entries()) {
    if (!DEVICE_ID.test(id)) throw invalid(`sees[${k}]`, `device id ${JSON.stringify(id)} is not allowed`);
    if (id === input.id) throw invalid(`sees[${k}]`, 'a device always sees itself; do not list it');
  }
  const lfdi = input.lfdi.toUpperCase();
  return {
    id: input.id,
    lfdi,
    sfdi: sfdiFromLfdi(lfdi),
    pin: input.pin,
    participantId: input.participantId,
    sees,
    enabled: input.enabled ?? true,
    createdMs: nowMs,
    changedMs: nowMs,
  };
}

/**
 * Stores a checked device with its audit record. The participant must exist, and every device it sees
 * must be registered to the same participant or to one the device's participant is the aggregator of:
 * a certificate never reads another household's device otherwise.
 */
export async function insertSepDevice(db: Db, device: StoredSepDevice, audit?: AuditRecord): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const participant = await trx
        .selectFrom('participants')
        .select('id')
        .where('id', '=', device.participantId)
        .executeTakeFirst();
      if (participant === undefined) {
        throw new TeError(
          'TE_ERR_UNKNOWN_PARTICIPANT',
          `participant '${device.participantId}' is not registered`,
          {
            path: 'participantId',
            hint: 'register the participant first',
          },
        );
      }
      await checkSeen(trx, device);
      await sepTables(trx).insertInto('sep_devices').values(rowOf(device)).execute();
      if (audit !== undefined) await writeAuditRecord(trx, audit);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new TeError(
      'TE_ERR_ALREADY_EXISTS',
      `device '${device.id}' or LFDI ${device.lfdi} is already registered`,
      {
        path: 'id',
        hint: 'a certificate belongs to one device; delete the old registration first',
      },
    );
  }
}

async function checkSeen(trx: Db, device: StoredSepDevice): Promise<void> {
  if (device.sees.length === 0) return;
  const rows = await sepTables(trx)
    .selectFrom('sep_devices as d')
    .innerJoin('participants as p', 'p.id', 'd.participant_id')
    .select(['d.id', 'd.participant_id', 'p.aggregator_id'])
    .where('d.id', 'in', [...device.sees])
    .execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const [k, id] of device.sees.entries()) {
    const seen = found.get(id);
    if (seen === undefined)
      throw invalid(`sees[${k}]`, `no 2030.5 device '${id}'`, 'register the devices it sees first');
    if (seen.participant_id !== device.participantId && seen.aggregator_id !== device.participantId) {
      throw new TeError(
        'TE_ERR_FORBIDDEN',
        `device '${id}' belongs to a participant '${device.participantId}' does not represent`,
        {
          path: `sees[${k}]`,
          hint: "a device may see only its own participant's devices, or those of participants it is the aggregator of",
        },
      );
    }
  }
}

export async function getSepDevice(db: Db, id: string): Promise<StoredSepDevice | undefined> {
  const row = await sepTables(db)
    .selectFrom('sep_devices')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : deviceOf(row);
}

/** Devices in id order: all, or those of the given participants; at most `page.limit`, after `page.afterId`. */
export async function listSepDevices(
  db: Db,
  participants: 'all' | ReadonlySet<string>,
  page: { readonly limit?: number; readonly afterId?: string | undefined } = {},
): Promise<StoredSepDevice[]> {
  if (participants !== 'all' && participants.size === 0) return [];
  let query = sepTables(db).selectFrom('sep_devices').selectAll().orderBy('id');
  if (participants !== 'all') query = query.where('participant_id', 'in', [...participants]);
  if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return (await query.execute()).map(deviceOf);
}

/** Deletes the device with its audit record; false when there was none. */
export async function deleteSepDevice(db: Db, id: string, audit?: AuditRecord): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await sepTables(trx).deleteFrom('sep_devices').where('id', '=', id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    if (audit !== undefined) await writeAuditRecord(trx, audit);
    return true;
  });
}

/** Every participant's aggregator (null: none), for the visibility rule of `sees`. */
export async function participantAggregators(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('participants').select(['id', 'aggregator_id']).execute();
  return new Map(rows.map((r) => [r.id, r.aggregator_id]));
}

function rowOf(device: StoredSepDevice): SepDeviceTable {
  return {
    id: device.id,
    lfdi: device.lfdi,
    sfdi: device.sfdi,
    pin: device.pin,
    participant_id: device.participantId,
    sees: JSON.stringify(device.sees),
    enabled: device.enabled ? 1 : 0,
    created_ms: device.createdMs,
    changed_ms: device.changedMs,
  };
}

function deviceOf(row: SepDeviceTable): StoredSepDevice {
  return {
    id: row.id,
    lfdi: row.lfdi,
    sfdi: Number(row.sfdi),
    pin: Number(row.pin),
    participantId: row.participant_id,
    sees: parseSees(row.sees),
    enabled: Number(row.enabled) === 1,
    createdMs: Number(row.created_ms),
    changedMs: Number(row.changed_ms),
  };
}

function parseSees(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function invalid(path: string, message: string, hint?: string): TeError {
  return new TeError('TE_ERR_VALIDATION', message, { path, ...(hint === undefined ? {} : { hint }) });
}
