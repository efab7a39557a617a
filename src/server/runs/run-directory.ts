/**
 * Simulation and comparison runs as the CLI writes them (`tenet simulate`: kpis.json, timeseries.csv,
 * report.html; `tenet compare`: comparison.json), one directory each under the server's runs directory.
 * A run's id is its directory name. Nothing outside the runs directory is read: an id must match
 * RUN_ID_PATTERN (no slashes, no `..`), and the run's directory and files are resolved through their
 * symlinks and must still lie inside it. Files larger than MAX_RUN_FILE_BYTES are refused, unread.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { parseRunSeries, type SeriesColumn } from './run-series.js';

export const RUN_ID_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$';
export const MAX_RUN_FILE_BYTES = 50 * 1024 * 1024;
/** The listing stops here (newest first); a runs directory is a working folder, not an archive. */
export const MAX_LISTED_RUNS = 500;
export const MAX_SERIES_POINTS = 2000;

const ID = new RegExp(RUN_ID_PATTERN);

export type RunKind = 'simulation' | 'comparison';

export interface RunSummary {
  readonly id: string;
  readonly kind: RunKind;
  readonly name: string;
  readonly createdMs: number;
  readonly scenario: string;
  readonly designs: string[];
  /** Set when the run's document could not be read; the run is listed so it can be found and fixed. */
  readonly problem?: string;
}

export interface RunDocument extends RunSummary {
  readonly kpis?: unknown;
  readonly comparison?: unknown;
  readonly series: Record<string, SeriesColumn>;
  readonly seriesRows: number;
  readonly seriesStride: number;
}

const DOCUMENTS: readonly (readonly [string, RunKind])[] = [
  ['kpis.json', 'simulation'],
  ['comparison.json', 'comparison'],
];

export async function listRuns(runsDir: string): Promise<RunSummary[]> {
  const root = await realRoot(runsDir);
  if (root === undefined) return [];
  const entries = await readdir(root);
  const runs: RunSummary[] = [];
  for (const id of entries) {
    if (!validId(id)) continue;
    const located = await locate(root, id);
    if (!located.ok) continue;
    const read = await readDocument(located.value);
    runs.push(
      read.ok ? read.value.summary : { ...emptySummary(id, located.value), problem: read.error.code },
    );
  }
  runs.sort((a, b) => b.createdMs - a.createdMs || (a.id < b.id ? -1 : 1));
  return runs.slice(0, MAX_LISTED_RUNS);
}

export async function readRun(runsDir: string, id: string): Promise<Result<RunDocument, TeError>> {
  if (!validId(id)) return err(unknownRun(id));
  const root = await realRoot(runsDir);
  if (root === undefined) return err(unknownRun(id));
  const located = await locate(root, id);
  if (!located.ok) return located;
  const read = await readDocument(located.value);
  if (!read.ok) return read;
  const { summary, document } = read.value;
  let series: RunDocument['series'] = { timeMs: [] };
  let seriesRows = 0;
  let seriesStride = 1;
  if (located.value.kind === 'simulation') {
    const text = await readInside(located.value.dir, 'timeseries.csv', true);
    if (!text.ok) return text;
    if (text.value !== undefined) {
      const parsed = parseRunSeries(text.value, MAX_SERIES_POINTS);
      if (!parsed.ok) return parsed;
      series = parsed.value.columns;
      seriesRows = parsed.value.rows;
      seriesStride = parsed.value.stride;
    }
  }
  return ok({
    ...summary,
    ...(located.value.kind === 'simulation' ? { kpis: document } : { comparison: document }),
    series,
    seriesRows,
    seriesStride,
  });
}

function validId(id: string): boolean {
  return ID.test(id) && !id.includes('..');
}

async function realRoot(runsDir: string): Promise<string | undefined> {
  try {
    const root = await realpath(runsDir);
    return (await stat(root)).isDirectory() ? root : undefined;
  } catch {
    return undefined;
  }
}

interface LocatedRun {
  readonly id: string;
  readonly dir: string;
  readonly kind: RunKind;
  readonly file: string;
}

/** The run's real directory, inside the root, and which document it holds. */
async function locate(root: string, id: string): Promise<Result<LocatedRun, TeError>> {
  let dir: string;
  try {
    dir = await realpath(join(root, id));
    if (!dir.startsWith(root + sep) || !(await stat(dir)).isDirectory()) return err(unknownRun(id));
  } catch {
    return err(unknownRun(id));
  }
  for (const [file, kind] of DOCUMENTS) {
    try {
      await lstat(join(dir, file));
      return ok({ id, dir, kind, file });
    } catch {
      // not this kind
    }
  }
  return err(unknownRun(id));
}

async function readDocument(
  run: LocatedRun,
): Promise<Result<{ summary: RunSummary; document: unknown }, TeError>> {
  const text = await readInside(run.dir, run.file, false);
  if (!text.ok) return text;
  let document: unknown;
  try {
    document = JSON.parse(text.value as string);
  } catch {
    return err(malformedRun(run, 'is not valid JSON'));
  }
  const createdMs = Math.round((await stat(join(run.dir, run.file))).mtimeMs);
  const described = run.kind === 'simulation' ? describeSimulation(document) : describeComparison(document);
  if (described === undefined) {
    return err(
      malformedRun(
        run,
        `does not have the shape \`tenet ${run.kind === 'simulation' ? 'simulate' : 'compare'}\` writes`,
      ),
    );
  }
  return ok({ summary: { id: run.id, kind: run.kind, createdMs, ...described }, document });
}

type Described = Pick<RunSummary, 'name' | 'scenario' | 'designs'>;

function describeSimulation(document: unknown): Described | undefined {
  const doc = document as { scenario?: { scenarioName?: unknown; mechanism?: unknown }; te?: unknown };
  const scenario = doc?.scenario;
  if (typeof scenario?.scenarioName !== 'string' || typeof doc.te !== 'object' || doc.te === null) {
    return undefined;
  }
  const mechanism = typeof scenario.mechanism === 'string' ? scenario.mechanism : '';
  return {
    name: scenario.scenarioName,
    scenario: scenario.scenarioName,
    designs: mechanism === '' ? [] : [mechanism],
  };
}

function describeComparison(document: unknown): Described | undefined {
  const doc = document as { designs?: unknown; community?: { scenarioName?: unknown } | null };
  if (!Array.isArray(doc?.designs)) return undefined;
  const designs = doc.designs.map((d: { label?: unknown }) => (typeof d?.label === 'string' ? d.label : '?'));
  const scenario = typeof doc.community?.scenarioName === 'string' ? doc.community.scenarioName : '';
  return { name: scenario === '' ? 'comparison' : `${scenario}: ${designs.join(' vs ')}`, scenario, designs };
}

function emptySummary(id: string, run: LocatedRun): RunSummary {
  return { id, kind: run.kind, name: id, createdMs: 0, scenario: '', designs: [] };
}

/** A file of the run, refused when it leaves the run's directory or is too large; optional: absent is undefined. */
async function readInside(
  dir: string,
  file: string,
  optional: boolean,
): Promise<Result<string | undefined, TeError>> {
  let path: string;
  try {
    path = await realpath(join(dir, file));
  } catch {
    if (optional) return ok(undefined);
    return err(new TeError('TE_ERR_RUN_MALFORMED', `the run has no readable ${file}`, { path: file }));
  }
  if (!path.startsWith(dir + sep)) {
    return err(
      new TeError('TE_ERR_RUN_MALFORMED', `${file} points outside the run's directory`, {
        path: file,
        hint: 'runs are read only from inside the runs directory; copy the file in instead of linking it',
      }),
    );
  }
  const size = (await stat(path)).size;
  if (size > MAX_RUN_FILE_BYTES) {
    return err(
      new TeError('TE_ERR_INPUT_TOO_LARGE', `${file} is ${size} bytes, more than ${MAX_RUN_FILE_BYTES}`, {
        path: file,
        hint: 'run a shorter horizon, or open the file from the runs directory directly',
      }),
    );
  }
  return ok(await readFile(path, 'utf8'));
}

function unknownRun(id: string): TeError {
  return new TeError('TE_ERR_NOT_FOUND', `no run '${id.slice(0, 140)}'`, {
    path: 'params.runId',
    hint: 'GET /api/runs lists the runs; a run is a directory of the runs directory holding kpis.json or comparison.json',
  });
}

function malformedRun(run: LocatedRun, what: string): TeError {
  return new TeError('TE_ERR_RUN_MALFORMED', `${run.file} of run '${run.id}' ${what}`, {
    path: run.file,
    hint: `write the run again with tenet ${run.kind === 'simulation' ? 'simulate' : 'compare'}`,
  });
}
