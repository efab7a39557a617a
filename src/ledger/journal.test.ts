import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText } from './canonical-entry.js';
import { Journal } from './journal.js';
import { GENESIS_HASH, type LedgerEntry, type Sha256 } from './journal-entry.js';
import { SLOT, transferDraft, usd } from './ledger-example.fixture.js';
import { verifyJournal } from './verify-journal.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

function journalOf(count: number): Journal {
  const journal = new Journal(sha256);
  for (let i = 0; i < count; i++) {
    const result = journal.post([
      transferDraft(`e${i}`, 'participant:a:energy', 'market:clearing', 100 + i, {
        boughtWh: 10,
        soldWh: 10,
      }),
    ]);
    expect(result.ok).toBe(true);
  }
  return journal;
}

describe('journal: appending', () => {
  it('appends balanced entries in sequence and chains them by hash', () => {
    const entries = journalOf(3).entries();
    expect(entries.map((e) => e.sequence)).toEqual([0, 1, 2]);
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(entries[0])).toBe(true);
    expect(Object.isFrozen(entries[0]?.postings[0])).toBe(true);
    expect(verifyJournal(entries, sha256)).toMatchObject({
      ok: true,
      entryCount: 3,
      postingCount: 6,
      energyBoughtWh: 30,
    });
  });

  it.each([
    ['an unbalanced entry', { postings: [usd('a', -5), usd('b', 4)] }, 'TE_ERR_LEDGER_UNBALANCED'],
    ['a float amount', { postings: [usd('a', -0.5), usd('b', 0.5)] }, 'TE_ERR_LEDGER_AMOUNT'],
    ['an unsafe amount', { postings: [usd('a', -(2 ** 53)), usd('b', 2 ** 53)] }, 'TE_ERR_LEDGER_AMOUNT'],
    ['NaN', { postings: [usd('a', Number.NaN), usd('b', 0)] }, 'TE_ERR_LEDGER_AMOUNT'],
    ['an empty entry', { postings: [] }, 'TE_ERR_LEDGER_EMPTY_ENTRY'],
    ['a float in metadata', { metadata: { boughtWh: 1.5 } }, 'TE_ERR_VALIDATION'],
  ])('refuses %s with a coded error and leaves the journal unchanged', (_name, change, code) => {
    const journal = journalOf(1);
    const result = journal.append({ ...transferDraft('x', 'a', 'b', 1), ...change, sequence: 1 });
    expect(result.ok ? undefined : result.error.code).toBe(code);
    expect(journal.length).toBe(1);
  });

  it('balances per currency: USD and EUR each sum to zero or the entry is refused', () => {
    const journal = new Journal(sha256);
    const twoCurrencies = {
      postings: [
        usd('a', -5),
        usd('b', 5),
        { account: 'a', amountMinor: -3, currency: 'EUR' },
        { account: 'b', amountMinor: 3, currency: 'EUR' },
      ],
    };
    expect(journal.append({ ...transferDraft('x', 'a', 'b', 1), ...twoCurrencies, sequence: 0 }).ok).toBe(
      true,
    );
    const crossCurrency = { postings: [usd('a', -5), { account: 'b', amountMinor: 5, currency: 'EUR' }] };
    const refused = journal.append({ ...transferDraft('y', 'a', 'b', 1), ...crossCurrency, sequence: 1 });
    expect(refused.ok ? undefined : refused.error.code).toBe('TE_ERR_LEDGER_UNBALANCED');
  });

  it('refuses a duplicate id, a sequence gap and a repeated sequence', () => {
    const journal = journalOf(2);
    const codeOf = (r: { ok: boolean; error?: { code: string } }) => r.error?.code;
    expect(codeOf(journal.append({ ...transferDraft('e1', 'a', 'b', 1), sequence: 2 }))).toBe(
      'TE_ERR_LEDGER_DUPLICATE_ENTRY',
    );
    expect(codeOf(journal.append({ ...transferDraft('n', 'a', 'b', 1), sequence: 3 }))).toBe(
      'TE_ERR_LEDGER_SEQUENCE',
    );
    expect(codeOf(journal.append({ ...transferDraft('n', 'a', 'b', 1), sequence: 1 }))).toBe(
      'TE_ERR_LEDGER_SEQUENCE',
    );
    // A batch with one bad draft appends nothing.
    const batch = journal.post([transferDraft('ok', 'a', 'b', 1), transferDraft('bad', 'a', 'b', 0.5)]);
    expect(codeOf(batch)).toBe('TE_ERR_LEDGER_AMOUNT');
    expect(journal.length).toBe(2);
  });

  it('never changes past entries: they are frozen', () => {
    const entry = journalOf(1).entries()[0] as LedgerEntry;
    expect(() => {
      (entry as { kind: string }).kind = 'adjustment';
    }).toThrow(TypeError);
  });
});

describe('canonical form', () => {
  it('is the documented text: fixed key order, sorted metadata, integers as digits', () => {
    const text = canonicalEntryText({
      id: 'e"1',
      sequence: 0,
      slot: SLOT,
      timeMs: SLOT.endMs,
      kind: 'trade',
      postings: [usd('participant:a:energy', -1234), usd('market:clearing', 1234)],
      metadata: { tradeIds: ['t1', 't2'], boughtWh: 500, a: 'x' },
      prevHash: GENESIS_HASH,
    });
    expect(text).toBe(
      `{"id":"e\\"1","sequence":0,"slotStartMs":${SLOT.startMs},"slotEndMs":${SLOT.endMs},"timeMs":${SLOT.endMs},"kind":"trade",` +
        `"postings":[{"account":"participant:a:energy","amountMinor":-1234,"currency":"USD"},{"account":"market:clearing","amountMinor":1234,"currency":"USD"}],` +
        `"metadata":{"a":"x","boughtWh":500,"tradeIds":["t1","t2"]},"prevHash":"${GENESIS_HASH}"}`,
    );
  });

  it('gives the golden hash of docs/ledger.md for its worked example', () => {
    const journal = new Journal(sha256);
    const result = journal.append({
      id: 'm/0/trade/t1',
      sequence: 0,
      slot: { startMs: 0, endMs: 3_600_000 },
      timeMs: 3_600_000,
      kind: 'trade',
      postings: [usd('participant:a:energy', -1234), usd('market:clearing', 1234)],
      metadata: { boughtWh: 10000, tradeIds: ['t1'] },
    });
    expect(result.ok && result.value.hash).toBe(GOLDEN_HASH);
  });
});

// Computed independently: printf '%s' '<the text in docs/ledger.md>' | sha256sum
const GOLDEN_HASH = '8fa24410eeba046195c396c51f3b65a8c28b6e20f8889dc087d778569f884276';

describe('verifyJournal: tamper detection names the first broken entry', () => {
  const original = journalOf(5).entries();

  it('a changed amount breaks the entry hash (and the balance)', () => {
    const tampered = original.map((e, i) =>
      i === 2 ? { ...e, postings: [usd('participant:a:energy', -1), e.postings[1] ?? usd('x', 0)] } : e,
    );
    const report = verifyJournal(tampered, sha256);
    expect(report.ok).toBe(false);
    expect(report.chainBreak).toMatchObject({
      position: 2,
      entryId: 'e2',
      field: 'hash',
      found: original[2]?.hash,
    });
    expect(report.balanceBreak).toMatchObject({
      position: 2,
      entryId: 'e2',
      currency: 'USD',
      sumMinor: 101,
      reason: 'unbalanced',
    });
  });

  it('a changed amount that still balances, with the hash recomputed, breaks the next link', () => {
    const forged = {
      ...(original[1] as LedgerEntry),
      postings: [usd('participant:a:energy', -1), usd('market:clearing', 1)],
    };
    const rehashed = { ...forged, hash: verifyJournal([], sha256).lastHash };
    const report = verifyJournal([original[0], rehashed, ...original.slice(2)] as LedgerEntry[], sha256);
    expect(report.chainBreak).toMatchObject({ position: 1, entryId: 'e1', field: 'hash' });
    expect(report.balanceBreak).toBeUndefined();
  });

  it('reordering, deleting and inserting break the sequence at the first moved entry', () => {
    const swapped = [original[0], original[2], original[1], original[3], original[4]] as LedgerEntry[];
    expect(verifyJournal(swapped, sha256).chainBreak).toMatchObject({
      position: 1,
      entryId: 'e2',
      field: 'sequence',
      expected: '1',
      found: '2',
    });
    const deleted = [original[0], original[1], original[3], original[4]] as LedgerEntry[];
    expect(verifyJournal(deleted, sha256).chainBreak).toMatchObject({
      position: 2,
      entryId: 'e3',
      field: 'sequence',
    });
    const extra = {
      ...(original[2] as LedgerEntry),
      id: 'forged',
      sequence: 2,
      prevHash: original[1]?.hash ?? '',
    };
    const inserted = [original[0], original[1], extra, ...original.slice(2)] as LedgerEntry[];
    expect(verifyJournal(inserted, sha256).chainBreak).toMatchObject({
      position: 2,
      entryId: 'forged',
      field: 'hash',
    });
    // Renumbering after a deletion still fails: the next entry's prevHash names the deleted one.
    const renumbered = [
      original[0],
      original[1],
      { ...(original[3] as LedgerEntry), sequence: 2 },
    ] as LedgerEntry[];
    expect(verifyJournal(renumbered, sha256).chainBreak).toMatchObject({
      position: 2,
      entryId: 'e3',
      field: 'prevHash',
      expected: original[1]?.hash,
      found: original[2]?.hash,
    });
  });

  it('reports the energy invariant per slot', () => {
    const journal = new Journal(sha256);
    journal.post([
      transferDraft('b', 'participant:a:energy', 'market:clearing', 5, { boughtWh: 1000 }),
      transferDraft('s', 'market:clearing', 'participant:b:energy', 5, { soldWh: 999 }),
    ]);
    const report = verifyJournal(journal.entries(), sha256);
    expect(report.chainBreak).toBeUndefined();
    expect(report.energyBreak).toEqual({
      slotStartMs: SLOT.startMs,
      slotEndMs: SLOT.endMs,
      boughtWh: 1000,
      soldWh: 999,
    });
    expect(report.ok).toBe(false);
  });
});
