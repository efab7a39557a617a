/**
 * A cleared schedule as an OCPP 2.0.1 SetChargingProfile request. Kept pure so the mapping is tested
 * without a station.
 */
import { NOMINAL_PHASE_VOLTAGE_V, type ChargingNeed } from './charging-needs.js';
import type { ChargingProfilePurpose, CsmsRequest } from './station-calls.js';

export interface SlotPower {
  readonly startMs: number;
  /** The power bought for the slot, kW averaged over it. */
  readonly kw: number;
}

/**
 * Profile ids are tenet's own range, fixed per purpose and EVSE, so a later profile replaces an earlier
 * one instead of piling up; stack level 1 keeps them above a station's own level-0 defaults.
 */
export const PROFILE_STACK_LEVEL = 1;
const PROFILE_ID_BASE: Readonly<Record<'TxDefaultProfile' | 'TxProfile', number>> = {
  TxDefaultProfile: 825_000_000,
  TxProfile: 825_500_000,
};

export function chargingProfileId(purpose: 'TxDefaultProfile' | 'TxProfile', evseId: number): number {
  return PROFILE_ID_BASE[purpose] + evseId;
}

export function profileRequest(input: {
  readonly evseId: number;
  /** Consecutive cleared slots, oldest first (at least one). */
  readonly slots: readonly SlotPower[];
  readonly slotDurationMs: number;
  readonly transactionId: string | undefined;
  /** The EVSE's stored need: AC needs get a per-phase current limit. */
  readonly need: ChargingNeed | undefined;
}): CsmsRequest['SetChargingProfile'] {
  const { evseId, slots, slotDurationMs, transactionId, need } = input;
  const firstMs = slots[0]?.startMs ?? 0;
  const endMs = (slots[slots.length - 1]?.startMs ?? firstMs) + slotDurationMs;
  const purpose: ChargingProfilePurpose = transactionId === undefined ? 'TxDefaultProfile' : 'TxProfile';
  const ac = need?.maxCurrentA !== undefined;
  const phases = need?.phases ?? 1;
  const limitOf = (kw: number) =>
    ac ? Math.round((kw * 1000 * 10) / (phases * NOMINAL_PHASE_VOLTAGE_V)) / 10 : Math.round(kw * 1000);
  return {
    evseId,
    chargingProfile: {
      id: chargingProfileId(purpose, evseId),
      stackLevel: PROFILE_STACK_LEVEL,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Absolute',
      validFrom: new Date(firstMs).toISOString(),
      validTo: new Date(endMs).toISOString(),
      ...(transactionId === undefined ? {} : { transactionId }),
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: ac ? 'A' : 'W',
          startSchedule: new Date(firstMs).toISOString(),
          duration: Math.round((endMs - firstMs) / 1000),
          chargingSchedulePeriod: slots.map((slot) => ({
            startPeriod: Math.round((slot.startMs - firstMs) / 1000),
            limit: limitOf(slot.kw),
            ...(ac ? { numberPhases: phases } : {}),
          })),
        },
      ],
    },
  };
}
