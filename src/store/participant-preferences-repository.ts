/**
 * A participant's preferences, one row each: for now the comfort slider its transactive thermostats and
 * water heaters bid by (0 = most comfort, 1 = most savings, as in the scenario's population).
 */
import type { Kysely } from 'kysely';
import type { StoreSchema } from './schema.js';

interface ParticipantPreferencesTable {
  participant_id: string;
  comfort_slider: number;
  updated_ms: number;
}

type Db = Kysely<StoreSchema>;

export interface ParticipantPreferences {
  readonly participantId: string;
  readonly comfortSlider: number;
  readonly updatedMs: number;
}

function preferenceTables(db: Db) {
  return db.withTables<{ participant_preferences: ParticipantPreferencesTable }>();
}

/** The participant's stored preferences, or undefined when it never set any. */
export async function readParticipantPreferences(
  db: Db,
  participantId: string,
): Promise<ParticipantPreferences | undefined> {
  const row = await preferenceTables(db)
    .selectFrom('participant_preferences')
    .selectAll()
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        participantId: row.participant_id,
        comfortSlider: Number(row.comfort_slider),
        updatedMs: Number(row.updated_ms),
      };
}

/** Replaces the participant's preferences (the participant must exist). */
export async function writeParticipantPreferences(
  db: Db,
  preferences: ParticipantPreferences,
): Promise<void> {
  const values = {
    participant_id: preferences.participantId,
    comfort_slider: preferences.comfortSlider,
    updated_ms: preferences.updatedMs,
  };
  await preferenceTables(db)
    .insertInto('participant_preferences')
    .values(values)
    .onConflict((oc) =>
      oc.column('participant_id').doUpdateSet({
        comfort_slider: values.comfort_slider,
        updated_ms: values.updated_ms,
      }),
    )
    .execute();
}
