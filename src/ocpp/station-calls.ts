/**
 * Types of the CSMS-initiated calls `callStation` offers, after OCPP 2.0.1 part 2 (the JSON schemas,
 * which ocpp-rpc checks at run time, stay the authority: these types only keep callers honest).
 */

export interface ChargingSchedulePeriod {
  readonly startPeriod: number;
  readonly limit: number;
  readonly numberPhases?: number;
}

export interface ChargingSchedule {
  readonly id: number;
  readonly chargingRateUnit: 'W' | 'A';
  readonly chargingSchedulePeriod: readonly ChargingSchedulePeriod[];
  readonly startSchedule?: string;
  readonly duration?: number;
  readonly minChargingRate?: number;
}

export type ChargingProfilePurpose =
  'ChargingStationExternalConstraints' | 'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile';

export interface ChargingProfile {
  readonly id: number;
  readonly stackLevel: number;
  readonly chargingProfilePurpose: ChargingProfilePurpose;
  readonly chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  readonly recurrencyKind?: 'Daily' | 'Weekly';
  readonly validFrom?: string;
  readonly validTo?: string;
  readonly transactionId?: string;
  readonly chargingSchedule: readonly ChargingSchedule[];
}

interface StatusInfo {
  readonly reasonCode: string;
  readonly additionalInfo?: string;
}

export interface CsmsRequest {
  SetChargingProfile: { readonly evseId: number; readonly chargingProfile: ChargingProfile };
  ClearChargingProfile: {
    readonly chargingProfileId?: number;
    readonly chargingProfileCriteria?: {
      readonly evseId?: number;
      readonly chargingProfilePurpose?: ChargingProfilePurpose;
      readonly stackLevel?: number;
    };
  };
  GetCompositeSchedule: {
    readonly duration: number;
    readonly evseId: number;
    readonly chargingRateUnit?: 'W' | 'A';
  };
  /** The station answers, then sends its profiles in ReportChargingProfiles with the same requestId. */
  GetChargingProfiles: {
    readonly requestId: number;
    readonly evseId?: number;
    readonly chargingProfile: {
      readonly chargingProfilePurpose?: ChargingProfilePurpose;
      readonly stackLevel?: number;
      readonly chargingProfileId?: readonly number[];
      readonly chargingLimitSource?: readonly ('EMS' | 'Other' | 'SO' | 'CSO')[];
    };
  };
}

export interface CsmsResponse {
  SetChargingProfile: { readonly status: 'Accepted' | 'Rejected'; readonly statusInfo?: StatusInfo };
  ClearChargingProfile: { readonly status: 'Accepted' | 'Unknown'; readonly statusInfo?: StatusInfo };
  GetCompositeSchedule: {
    readonly status: 'Accepted' | 'Rejected';
    readonly statusInfo?: StatusInfo;
    readonly schedule?: {
      readonly evseId: number;
      readonly duration: number;
      readonly scheduleStart: string;
      readonly chargingRateUnit: 'W' | 'A';
      readonly chargingSchedulePeriod: readonly ChargingSchedulePeriod[];
    };
  };
  GetChargingProfiles: { readonly status: 'Accepted' | 'NoProfiles'; readonly statusInfo?: StatusInfo };
}

export type CsmsAction = keyof CsmsRequest;
