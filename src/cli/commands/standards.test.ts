import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStandardsInventory } from '../../standards/load-inventory.js';
import { SEGMENT_IDS } from '../../standards/standards-schema.js';
import { runInProcess } from '../run-in-process.fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tenet-standards-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL_INVENTORY = `title: Two standards
standards:
  - id: a-std
    name: A protocol
    body: IEEE
    version: '2018'
    segments: [generation, markets]
    scope: Does A.
    status: partial
    covered: Half of A.
    notCovered: The other half.
    modules: [src/a]
    tests: [src/a/a.test.ts]
  - id: b-std
    name: B format
    body: IEC
    version: '1'
    segments: [markets]
    scope: Does B.
    status: not-planned
    note: Why not.
`;
writeFileSync(join(dir, 'small.yaml'), SMALL_INVENTORY);

describe('tenet standards', () => {
  it('prints every segment with its standards, evidence and a status count', async () => {
    const { status, stdout, stderr } = await runInProcess(['standards', '--file', 'small.yaml'], dir);
    expect([status, stderr]).toEqual([0, '']);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Two standards');
    expect(lines).toContain(
      'Generation [generation]: bulk and distributed generators, inverters and their grid-support functions',
    );
    expect(lines).toContain('  A protocol: partial  [a-std]');
    expect(lines).toContain('      IEEE, 2018. Does A.');
    expect(lines).toContain('      modules: src/a');
    expect(lines).toContain('      tests: src/a/a.test.ts');
    expect(lines).toContain('      not covered: The other half.');
    expect(lines.filter((line) => line === '  (no standard listed)')).toHaveLength(SEGMENT_IDS.length - 2);
    // A standard in two segments is listed under both, but counted once.
    expect(lines.filter((line) => line.startsWith('  A protocol'))).toHaveLength(2);
    expect(lines).toContain('2 standards: 1 partial, 1 not-planned');
  });

  it('filters by segment, case-insensitively', async () => {
    const { status, stdout } = await runInProcess(
      ['standards', '--file', 'small.yaml', '--segment', 'Generation'],
      dir,
    );
    expect(status).toBe(0);
    expect(stdout).toContain('Generation [generation]');
    expect(stdout).not.toContain('Markets [markets]');
    expect(stdout).not.toContain('B format');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 standard: 1 partial');
  });

  it('refuses an unknown segment with a coded error listing the segments', async () => {
    const { status, stdout, stderr } = await runInProcess(['standards', '--segment', 'wholesale'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `TE_ERR_USAGE at --segment: unknown segment 'wholesale' (the segments are: ${SEGMENT_IDS.join(', ')})\n`,
    );
  });

  it('prints JSON in the API’s shape: title, the segments asked for, their standards', async () => {
    const { status, stdout } = await runInProcess(
      ['standards', '--file', 'small.yaml', '--segment', 'markets', '--json'],
      dir,
    );
    expect(status).toBe(0);
    const view = JSON.parse(stdout) as {
      title: string;
      segments: { id: string; label: string }[];
      standards: { id: string; segments: string[]; modules?: string[] }[];
    };
    expect(Object.keys(view)).toEqual(['title', 'segments', 'standards']);
    expect(view.title).toBe('Two standards');
    expect(view.segments).toEqual([
      {
        id: 'markets',
        label: 'Markets',
        description: 'market rules, baselines, settlement and the business exchanges of energy markets',
      },
    ]);
    expect(view.standards.map((s) => s.id)).toEqual(['a-std', 'b-std']);
    expect(view.standards[0]?.modules).toEqual(['src/a']);
  });

  it('prints the shipped inventory as JSON with all eight segments and every standard', async () => {
    const shipped = await readStandardsInventory();
    if (!shipped.ok) throw new Error('the shipped inventory does not load');
    const { status, stdout } = await runInProcess(['standards', '--json'], dir);
    expect(status).toBe(0);
    const view = JSON.parse(stdout) as { segments: { id: string }[]; standards: { id: string }[] };
    expect(view.segments.map((s) => s.id)).toEqual([...SEGMENT_IDS]);
    expect(view.standards.map((s) => s.id)).toEqual(shipped.value.standards.map((s) => s.id));
  });

  it('reports an invalid inventory file with its coded, located problems', async () => {
    writeFileSync(join(dir, 'bad.yaml'), SMALL_INVENTORY.replace('segments: [markets]', 'segments: [moon]'));
    const { status, stderr } = await runInProcess(['standards', '--file', 'bad.yaml'], dir);
    expect(status).toBe(2);
    expect(stderr).toMatch(
      /^TE_ERR_VALIDATION at .*bad\.yaml:18 standards\[1\]\.segments\[0\]: Expected union value/,
    );
  });

  it('is listed in tenet --help', async () => {
    const { stdout } = await runInProcess(['--help'], dir);
    expect(stdout).toContain('  standards  the standards a TE platform meets');
  });
});
