/** Meter readings, clearing results, audit log and registry parts of the store contract. */
import { expect, it } from 'vitest';
import { listAuditRecords, writeAuditRecord } from './audit-repository.js';
import {
  getClearingResult,
  storeClearingResult,
  type ClearingResultRecord,
} from './clearing-result-repository.js';
import { errorCode, expectOk, type ContractContext } from './contract-context.js';
import {
  countMeterReadings,
  ingestMeterReadings,
  readMeterReadings,
  type MeterReading,
} from './meter-reading-repository.js';
import {
  getParticipant,
  getSlot,
  listParticipantDevices,
  registerDevice,
  registerParticipant,
} from './registry-repository.js';

const MAX_MINOR = Number.MAX_SAFE_INTEGER; // 2^53 - 1: the largest amount that survives as a JS number
const FAR_FUTURE_MS = 32_503_680_000_000; // year 3000: epoch ms beyond 32 bits by far

export function describeRecordsContract(ctx: ContractContext): void {
  it('ingests readings idempotently: a resent reading keeps the first and is not counted as new', async () => {
    const db = ctx.store().db;
    const meterId = `meter-${Math.random().toString(36).slice(2)}`;
    const batch: MeterReading[] = Array.from({ length: 2_500 }, (_, k) => ({
      meterId,
      timeMs: FAR_FUTURE_MS + k * 60_000,
      energyWh: k,
    }));
    expect(expectOk(await ingestMeterReadings(db, batch))).toEqual({ received: 2_500, inserted: 2_500 });
    const resent = [
      ...batch.slice(0, 10).map((r) => ({ ...r, energyWh: -1 })),
      { meterId, timeMs: 1, energyWh: 2 ** 40 },
    ];
    expect(expectOk(await ingestMeterReadings(db, resent))).toEqual({ received: 11, inserted: 1 });
    const stored = await readMeterReadings(db, meterId, 0, FAR_FUTURE_MS + 3 * 60_000);
    expect(stored).toEqual([{ meterId, timeMs: 1, energyWh: 2 ** 40 }, ...batch.slice(0, 3)]);
    const repeatedInBatch = [
      { meterId, timeMs: 2, energyWh: 7 },
      { meterId, timeMs: 2, energyWh: 8 },
    ];
    expect(expectOk(await ingestMeterReadings(db, repeatedInBatch)).inserted).toBe(1);
    expect((await readMeterReadings(db, meterId, 2, 3))[0]?.energyWh).toBe(7);
    expect(errorCode(await ingestMeterReadings(db, [{ meterId, timeMs: 3, energyWh: 1.5 }]))).toBe(
      'TE_ERR_VALIDATION',
    );
    expect(errorCode(await ingestMeterReadings(db, [{ meterId: '', timeMs: 3, energyWh: 1 }]))).toBe(
      'TE_ERR_VALIDATION',
    );
  });

  it('loses and duplicates no reading under concurrent overlapping batches', async () => {
    const db = ctx.store().db;
    const before = await countMeterReadings(db);
    const prefix = `conc-${Math.random().toString(36).slice(2)}`;
    const meters = Array.from({ length: 20 }, (_, m) => `${prefix}-${m}`);
    // Eight writers, each sending every meter's readings for overlapping windows, in its own order.
    const writers = Array.from({ length: 8 }, (_, w) => {
      const readings: MeterReading[] = [];
      for (const meterId of w % 2 === 0 ? meters : [...meters].reverse()) {
        for (let t = w * 50; t < w * 50 + 200; t++)
          readings.push({ meterId, timeMs: t * 1_000, energyWh: t });
      }
      return ingestMeterReadings(db, readings);
    });
    const outcomes = (await Promise.all(writers)).map(expectOk);
    const distinct = meters.length * (7 * 50 + 200);
    expect(outcomes.reduce((sum, o) => sum + o.inserted, 0)).toBe(distinct);
    expect((await countMeterReadings(db)) - before).toBe(distinct);
    const one = await readMeterReadings(db, `${prefix}-3`, 0, Number.MAX_SAFE_INTEGER);
    expect(one.map((r) => r.timeMs)).toEqual(Array.from({ length: 550 }, (_, t) => t * 1_000));
  });

  it('stores a clearing result with the slot, once, with bigint-sized amounts intact', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const result: ClearingResultRecord = {
      ...slot,
      mechanism: 'uniform-price',
      price: 0.123456789,
      status: 'cleared',
      tradedEnergyWh: 2 ** 45,
      tradedValueMinor: MAX_MINOR,
      fills: [{ participant: 'p1', side: 'buy', quantityWh: 1200, amountMinor: -MAX_MINOR }],
      clearedAtMs: FAR_FUTURE_MS,
    };
    expect(expectOk(await storeClearingResult(db, result)).outcome).toBe('stored');
    expect(expectOk(await storeClearingResult(db, result)).outcome).toBe('already-stored');
    expect(errorCode(await storeClearingResult(db, { ...result, price: 0.2 }))).toBe(
      'TE_ERR_SLOT_ALREADY_CLEARED',
    );
    expect(await getClearingResult(db, slot.marketId, slot.slotStartMs)).toEqual(result);
    const stored = await getSlot(db, slot.marketId, slot.slotStartMs);
    expect([stored?.status, stored?.clearedAtMs]).toEqual(['cleared', FAR_FUTURE_MS]);
    expect(errorCode(await storeClearingResult(db, { ...result, slotStartMs: 7 }))).toBe(
      'TE_ERR_UNKNOWN_SLOT',
    );
    expect(errorCode(await storeClearingResult(db, { ...result, tradedValueMinor: 2 ** 53 }))).toBe(
      'TE_ERR_VALIDATION',
    );
  });

  it('writes audit records in order and registers participants and devices idempotently', async () => {
    const db = ctx.store().db;
    const target = `order:${Math.random().toString(36).slice(2)}`;
    const first = await writeAuditRecord(db, {
      timeMs: FAR_FUTURE_MS,
      actor: 'p1',
      action: 'submit',
      target,
      details: { a: 1 },
    });
    const second = await writeAuditRecord(db, {
      timeMs: 5,
      actor: 'operator',
      action: 'cancel',
      target,
      details: null,
    });
    expect(second).toBeGreaterThan(first);
    const records = await listAuditRecords(db, { target });
    expect(records.map((r) => [r.id, r.timeMs, r.actor, r.action, r.details])).toEqual([
      [first, FAR_FUTURE_MS, 'p1', 'submit', { a: 1 }],
      [second, 5, 'operator', 'cancel', null],
    ]);
    const id = `pp-${Math.random().toString(36).slice(2)}`;
    await registerParticipant(db, { id, role: 'consumer', name: 'First', createdMs: FAR_FUTURE_MS });
    await registerParticipant(db, { id, role: 'consumer', name: 'Second', createdMs: 1 });
    expect(await getParticipant(db, id)).toEqual({
      id,
      role: 'consumer',
      name: 'First',
      createdMs: FAR_FUTURE_MS,
    });
    await registerDevice(db, { id: `${id}-pv`, participantId: id, kind: 'pv', params: { peakW: 5_000 } });
    // Foreign keys hold on both databases: a device needs a registered participant.
    await expect(
      registerDevice(db, { id: `${id}-ghost`, participantId: `${id}-nobody`, kind: 'pv', params: {} }),
    ).rejects.toThrow();
    expect(await listParticipantDevices(db, id)).toEqual([
      { id: `${id}-pv`, participantId: id, kind: 'pv', params: { peakW: 5_000 } },
    ]);
  });
}
