/**
 * Reading a feeder from disk for the CLI: a directory of Kersting CSV tables (substation.csv,
 * line_segments.csv, ...) or of a radial case (buses.csv, branches.csv), detected by its files, or an
 * OpenDSS script (`.dss`). The parsers themselves are pure (src/grid/formats, src/grid/opendss); this file
 * only does the I/O.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { TeError } from '../core/errors.js';
import { KERSTING_REQUIRED_FILES, parseKerstingCsv } from '../grid/formats/kersting-csv.js';
import { parseRadialCsv, RADIAL_REQUIRED_FILES } from '../grid/formats/radial-csv.js';
import type { Network } from '../grid/network.js';
import { readOpenDss } from '../grid/opendss/read-opendss.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * `warn` receives what the OpenDSS reader skipped or simplified (reporting commands, dropped regulator
 * impedance, ...); CSV feeders produce none.
 */
export async function loadFeeder(
  path: string,
  cwd: string,
  warn: (message: string) => void = () => {},
): Promise<Network> {
  const full = resolve(cwd, path);
  let info;
  try {
    info = await stat(full);
  } catch {
    throw new TeError('TE_ERR_FILE_NOT_FOUND', 'no such feeder file or directory', {
      path,
      hint: 'give a directory of feeder CSV files (see the feeders README) or a .dss file',
    });
  }
  if (info.isFile()) {
    if (path.toLowerCase().endsWith('.dss')) {
      const result = readOpenDss(basename(full), dssFileResolver(dirname(full)));
      if (!result.ok) throw result.error;
      result.value.warnings.forEach(warn);
      return result.value.network;
    }
    throw new TeError('TE_ERR_FEEDER_FORMAT', 'not a feeder directory or .dss file', { path });
  }
  const names = (await readdir(full)).filter((name) => name.toLowerCase().endsWith('.csv'));
  const files = new Map<string, string>();
  for (const name of names) {
    const file = join(full, name);
    if ((await stat(file)).size > MAX_FILE_BYTES) {
      throw new TeError('TE_ERR_INPUT_TOO_LARGE', 'a feeder file is over 64 MiB', { path: join(path, name) });
    }
    files.set(name, await readFile(file, 'utf8'));
  }
  const label = path.replace(/\/+$/, '').split('/').at(-1) ?? path;
  const prefixed = (caught: unknown): never => {
    if (caught instanceof TeError && caught.path !== undefined) {
      throw new TeError(caught.code, caught.message, {
        path: join(path, caught.path),
        ...(caught.hint === undefined ? {} : { hint: caught.hint }),
      });
    }
    throw caught;
  };
  if (RADIAL_REQUIRED_FILES.every((f) => files.has(f))) {
    try {
      return parseRadialCsv(files, label);
    } catch (caught) {
      return prefixed(caught);
    }
  }
  if (KERSTING_REQUIRED_FILES.every((f) => files.has(f))) {
    try {
      return parseKerstingCsv(files, { name: label });
    } catch (caught) {
      return prefixed(caught);
    }
  }
  throw new TeError(
    'TE_ERR_FEEDER_FORMAT',
    'the directory holds neither a Kersting CSV feeder nor a radial case',
    {
      path,
      hint: 'expected substation.csv and line_segments.csv, or buses.csv and branches.csv',
    },
  );
}

/**
 * Files an OpenDSS script names (Redirect, Compile, BusCoords), relative to the entry script's directory.
 * Scripts written on Windows often differ from the files in letter case, so a missing name is looked up
 * case-insensitively in its directory.
 */
function dssFileResolver(directory: string): (path: string) => string | undefined {
  return (path) => {
    const full = isAbsolute(path) ? path : join(directory, path);
    const candidates = [full];
    try {
      const lower = basename(full).toLowerCase();
      const match = readdirSync(dirname(full)).find((name) => name.toLowerCase() === lower);
      if (match !== undefined) candidates.push(join(dirname(full), match));
    } catch {
      return undefined;
    }
    for (const candidate of candidates) {
      try {
        const info = statSync(candidate);
        if (!info.isFile()) continue;
        if (info.size > MAX_FILE_BYTES) {
          throw new TeError('TE_ERR_INPUT_TOO_LARGE', 'an OpenDSS file is over 64 MiB', { path });
        }
        return readFileSync(candidate, 'utf8');
      } catch (caught) {
        if (caught instanceof TeError) throw caught;
      }
    }
    return undefined;
  };
}
