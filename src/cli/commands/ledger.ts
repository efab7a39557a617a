/**
 * tenet ledger verify [--data-dir DIR]
 * Reads the settlement journal from the store (PostgreSQL when DATABASE_URL is set, else SQLite in the data
 * directory) and checks it: the hash chain, every entry's balance per currency, and energy sold = energy
 * bought per slot. Exit 0 when it verifies, 1 with the first break of each kind when it does not.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TeError } from '../../core/errors.js';
import type { Sha256 } from '../../ledger/journal-entry.js';
import type { verifyJournal } from '../../ledger/verify-journal.js';
import { verifyStoredLedger } from '../../live/stored-ledger-verification.js';
import { DEFAULT_SQLITE_FILE, openStoreDatabase, selectStoreConfig } from '../../store/database.js';
import { parseCommandArgs } from '../command-args.js';
import { reportErrors } from '../command-output.js';
import type { CliCommand } from '../io.js';

const USAGE = `Usage: tenet ledger verify [--data-dir DIR] [--json]

Checks the settlement journal: the hash chain, the balance of every entry per currency, and energy
sold = energy bought in every slot. Uses PostgreSQL when DATABASE_URL is set, otherwise the SQLite file in
DIR (default ./data). Exit status: 0 verified, 1 a break was found, 2 bad usage or no ledger.`;

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

export const ledgerCommand: CliCommand = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
    'ledger',
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    return reportErrors(io, [
      new TeError('TE_ERR_USAGE', 'the ledger command is: tenet ledger verify', {
        hint: 'tenet ledger --help',
      }),
    ]);
  }
  const dataDir = resolve(io.cwd, values['data-dir'] ?? 'data');
  const databaseUrl = io.env.DATABASE_URL;
  if (databaseUrl === undefined && !existsSync(join(dataDir, DEFAULT_SQLITE_FILE))) {
    return reportErrors(io, [
      new TeError('TE_ERR_FILE_NOT_FOUND', `no ledger database in '${dataDir}'`, {
        path: join(dataDir, DEFAULT_SQLITE_FILE),
        hint: 'give the data directory of a tenet server with --data-dir, or set DATABASE_URL',
      }),
    ]);
  }
  const store = openStoreDatabase(
    selectStoreConfig({ dataDir, ...(databaseUrl === undefined ? {} : { databaseUrl }) }),
  );
  try {
    // Page by page: a journal of millions of entries is verified in bounded memory. The store keeps each
    // entry as the ledger serialised it; the verifier re-derives every hash from it.
    const report = await verifyStoredLedger(store.db, sha256);
    if (values.json === true) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout.write(`${describeReport(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
};

function describeReport(report: ReturnType<typeof verifyJournal>): string {
  if (report.ok) {
    return `ledger verified: ${report.entryCount} entries, ${report.postingCount} postings, ${report.slotCount} slots, energy ${report.energyBoughtWh} Wh bought = sold; last hash ${report.lastHash}`;
  }
  const lines = ['ledger does NOT verify:'];
  const chain = report.chainBreak;
  if (chain !== undefined) {
    lines.push(
      `  chain broken at entry ${chain.position} (${chain.entryId}): ${chain.field} is ${chain.found}, expected ${chain.expected}`,
    );
  }
  const balance = report.balanceBreak;
  if (balance !== undefined) {
    lines.push(
      `  entry ${balance.position} (${balance.entryId}) does not balance in ${balance.currency}: ${balance.reason}, sum ${balance.sumMinor}`,
    );
  }
  const energy = report.energyBreak;
  if (energy !== undefined) {
    lines.push(
      `  slot starting ${new Date(energy.slotStartMs).toISOString()}: ${energy.boughtWh} Wh bought but ${energy.soldWh} Wh sold`,
    );
  }
  return lines.join('\n');
}
