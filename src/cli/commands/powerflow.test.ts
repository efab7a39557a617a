import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../run-in-process.fixture.js';

const FEEDERS = new URL('../../../test/fixtures/feeders/', import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { status, stdout, stderr } = await runInProcess(['powerflow', ...args], FEEDERS);
  return { code: status, out: stdout, err: stderr };
}

describe('tenet powerflow', () => {
  it('prints the JSON result for IEEE 13 with line-to-line voltages', async () => {
    const { code, out } = await run(['ieee-13', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as {
      converged: boolean;
      buses: Record<string, Record<string, { vPu: number }>>;
    };
    expect(json.converged).toBe(true);
    expect(json.buses['671']!['a']!.vPu).toBeCloseTo(0.99, 2);
    expect(Object.keys(json.buses['671']!)).toEqual(['a', 'b', 'c', 'ab', 'bc', 'ca']);
  });

  it('reports phase a only for a balanced case, and a readable table without --json', async () => {
    const json = JSON.parse((await run(['radial/case33bw', '--json'])).out) as {
      buses: Record<string, object>;
    };
    expect(Object.keys(json.buses['18']!)).toEqual(['a']);
    const table = await run(['radial/case33bw']);
    expect(table.out).toContain('losses: 202.68 kW');
  });

  it('turns bad input into one coded line and exit status 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenet-pf-'));
    cpSync(join(FEEDERS, 'ieee-13'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'line_segments.csv'),
      'bus1,bus2,length,unit,config\n650,60,0,ft,rg60\n60,632,2000,ft,999\n',
    );
    const bad = await run([dir]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^TE_ERR_FEEDER_FORMAT at .*line_segments\.csv:3: config '999'/);
    expect(bad.err).not.toContain('    at ');
    const missing = await run(['no-such-feeder']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^TE_ERR_FILE_NOT_FOUND/);
  });
});
