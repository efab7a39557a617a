/**
 * What stations tell the CSMS that only matters while they are connected, kept in memory per CSMS
 * instance: connector status (StatusNotification), the transaction running on each EVSE
 * (TransactionEvent, to address a TxProfile) and the latest charging-profile report
 * (ReportChargingProfiles). A restart forgets it; stations resend status on BootNotification (OCPP
 * 2.0.1 part 2, G01) and the CSMS can ask for profiles again with GetChargingProfiles.
 */
import type { ChargingProfile } from './station-calls.js';

export interface ConnectorState {
  readonly evseId: number;
  readonly connectorId: number;
  /** Available, Occupied, Reserved, Unavailable or Faulted. */
  readonly status: string;
  readonly timestampMs: number;
}

export interface ProfileReport {
  readonly requestId: number;
  readonly receivedMs: number;
  /** True until a message without `tbc` arrives. */
  readonly incomplete: boolean;
  readonly entries: readonly {
    readonly evseId: number;
    readonly chargingLimitSource: string;
    readonly chargingProfile: readonly ChargingProfile[];
  }[];
}

interface StationMemory {
  readonly connectors: Map<string, ConnectorState>;
  readonly transactions: Map<number, string>;
  report: ProfileReport | undefined;
}

/** Bounds what one station can make the CSMS hold: ids and counts come from the station. */
const MAX_CONNECTORS_PER_STATION = 64;
const MAX_REPORT_ENTRIES = 256;

export class StationStates {
  readonly #stations = new Map<string, StationMemory>();

  #of(stationId: string): StationMemory {
    let memory = this.#stations.get(stationId);
    if (memory === undefined) {
      memory = { connectors: new Map(), transactions: new Map(), report: undefined };
      this.#stations.set(stationId, memory);
    }
    return memory;
  }

  setConnector(stationId: string, state: ConnectorState): void {
    const { connectors } = this.#of(stationId);
    const key = `${state.evseId}/${state.connectorId}`;
    if (!connectors.has(key) && connectors.size >= MAX_CONNECTORS_PER_STATION) return;
    connectors.set(key, state);
  }

  connectors(stationId: string): ConnectorState[] {
    const connectors = [...(this.#stations.get(stationId)?.connectors.values() ?? [])];
    return connectors.sort((a, b) => a.evseId - b.evseId || a.connectorId - b.connectorId);
  }

  startTransaction(stationId: string, evseId: number, transactionId: string): void {
    const { transactions } = this.#of(stationId);
    if (!transactions.has(evseId) && transactions.size >= MAX_CONNECTORS_PER_STATION) return;
    transactions.set(evseId, transactionId);
  }

  endTransaction(stationId: string, transactionId: string): number | undefined {
    const transactions = this.#stations.get(stationId)?.transactions;
    for (const [evseId, id] of transactions ?? []) {
      if (id !== transactionId) continue;
      transactions?.delete(evseId);
      return evseId;
    }
    return undefined;
  }

  activeTransaction(stationId: string, evseId: number): string | undefined {
    return this.#stations.get(stationId)?.transactions.get(evseId);
  }

  /** Messages of one requestId accumulate; a new requestId starts a new report. */
  addReport(
    stationId: string,
    message: {
      requestId: number;
      evseId: number;
      chargingLimitSource: string;
      chargingProfile: readonly ChargingProfile[];
      tbc?: boolean;
    },
    receivedMs: number,
  ): void {
    const memory = this.#of(stationId);
    const previous = memory.report?.requestId === message.requestId ? memory.report.entries : [];
    const entry = {
      evseId: message.evseId,
      chargingLimitSource: message.chargingLimitSource,
      chargingProfile: message.chargingProfile,
    };
    memory.report = {
      requestId: message.requestId,
      receivedMs,
      incomplete: message.tbc === true,
      entries: previous.length >= MAX_REPORT_ENTRIES ? previous : [...previous, entry],
    };
  }

  report(stationId: string): ProfileReport | undefined {
    return this.#stations.get(stationId)?.report;
  }

  /** A removed station's memory goes with it. */
  forget(stationId: string): void {
    this.#stations.delete(stationId);
  }
}
