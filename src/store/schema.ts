/**
 * The store's tables as Kysely sees them. Money is integer minor units and time is epoch milliseconds,
 * both BIGINT columns read back as JS numbers (safe integers; see `database.ts`). JSON columns hold text,
 * the same on SQLite and PostgreSQL, and are parsed by the repositories.
 */
import type { Generated } from 'kysely';

export interface ParticipantTable {
  id: string;
  role: string;
  name: string;
  created_ms: number;
  /** The aggregator participant that represents this one in the market, if any (0002). */
  aggregator_id: string | null;
}

export interface DeviceTable {
  id: string;
  participant_id: string;
  kind: string;
  /** JSON text. */
  params: string;
}

export interface MarketTable {
  id: string;
  name: string;
  slot_duration_ms: number;
  created_ms: number;
  /** JSON text: the market's rules (mechanism, price cap, gate closure, tariffs); null before 0002. */
  rules: string | null;
}

export type SlotStatus = 'open' | 'closed' | 'cleared';

export interface SlotTable {
  market_id: string;
  start_ms: number;
  end_ms: number;
  gate_closure_ms: number;
  status: SlotStatus;
  cleared_at_ms: number | null;
  /** Next order sequence to hand out; bumping it locks the slot row, serialising submissions per slot. */
  next_order_sequence: number;
  /** When the slot's settlement entries were appended to the ledger (0002). */
  settled_at_ms: number | null;
}

export type OrderStatus = 'live' | 'cancelled';

export interface OrderTable {
  market_id: string;
  slot_start_ms: number;
  participant_id: string;
  client_order_id: string;
  side: 'buy' | 'sell';
  /** JSON text: `[{ price, quantity }, ...]`. */
  steps: string;
  green: number;
  sequence: number;
  status: OrderStatus;
  /** 0 for the submission, +1 for every replace or cancel; also the key of its history row. */
  revision: number;
  updated_ms: number;
}

export type OrderAction = 'submit' | 'replace' | 'cancel';

export interface OrderHistoryTable {
  market_id: string;
  slot_start_ms: number;
  participant_id: string;
  client_order_id: string;
  revision: number;
  action: OrderAction;
  side: 'buy' | 'sell';
  steps: string;
  green: number;
  sequence: number;
  at_ms: number;
}

export interface ClearingResultTable {
  market_id: string;
  slot_start_ms: number;
  mechanism: string;
  price: number;
  status: string;
  traded_energy_wh: number;
  traded_value_minor: number;
  /** JSON text. */
  fills: string;
  cleared_at_ms: number;
}

export interface MeterReadingTable {
  /** A device or premises id. */
  meter_id: string;
  time_ms: number;
  energy_wh: number;
}

export interface LedgerEntryTable {
  sequence: number;
  entry_id: string;
  previous_hash: string;
  hash: string;
  time_ms: number;
  /** JSON text: the entry as the ledger serialised it. */
  body: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  time_ms: number;
  actor: string;
  action: string;
  target: string;
  /** JSON text. */
  details: string;
}

export interface ApiClientTable {
  client_id: string;
  /** `scrypt$<salt hex>$<hash hex>`: the secret itself is never stored. */
  secret_hash: string;
  role: string;
  participant_id: string | null;
  created_ms: number;
  disabled: number;
}

export interface StoreSchema {
  api_clients: ApiClientTable;
  participants: ParticipantTable;
  devices: DeviceTable;
  markets: MarketTable;
  slots: SlotTable;
  orders: OrderTable;
  order_history: OrderHistoryTable;
  clearing_results: ClearingResultTable;
  meter_readings: MeterReadingTable;
  ledger_entries: LedgerEntryTable;
  audit_log: AuditLogTable;
  openadr_objects: OpenAdrObjectTable;
  openadr_targets: OpenAdrTargetTable;
}

/**
 * An OpenADR 3 object (0003). `body` is the object as the VTN serves it to business logic (JSON text);
 * the other columns repeat what searches and privacy rules filter on.
 */
export interface OpenAdrObjectTable {
  /** Insertion order: searches page in it. */
  seq: Generated<number>;
  id: string;
  /** PROGRAM, EVENT, REPORT, SUBSCRIPTION, VEN or RESOURCE. */
  object_type: string;
  /** The program of an event, the VEN of a resource: deleting it deletes this row. */
  parent_id: string | null;
  program_id: string | null;
  event_id: string | null;
  ven_id: string | null;
  /** The OAuth client the object belongs to (reports, subscriptions, VENs, resources). */
  client_id: string | null;
  client_name: string | null;
  name: string | null;
  /** Unique when set: `PROGRAM:<programName>`, `VEN:<venName>`, `RESOURCE:<venID>:<resourceName>`. */
  name_key: string | null;
  /** 1 when the object has targets (rows in openadr_targets), else 0. */
  targeted: number;
  /** Subscriptions: the object types they name, as `,EVENT,PROGRAM,`. */
  subscribed_objects: string | null;
  /** Events: when the last interval ends (epoch ms); null when it never ends or cannot be told. */
  ends_ms: number | null;
  created_ms: number;
  modified_ms: number;
  body: string;
}

/** One target value of an OpenADR object (0003). */
export interface OpenAdrTargetTable {
  object_id: string;
  target: string;
}
