import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TeError } from '../core/errors.js';
import { MAX_INVENTORY_BYTES, parseStandardsInventory, readStandardsInventory } from './load-inventory.js';
import { SEGMENT_IDS } from './standards-schema.js';

/** One standard as YAML lines under `standards:`, with `overrides` replacing or adding keys. */
function entry(overrides: Record<string, string> = {}): string {
  const keys: Record<string, string> = {
    id: 'ieee-1547-2018',
    name: 'IEEE 1547',
    body: 'IEEE',
    version: "'2018'",
    segments: '[generation]',
    scope: 'Interconnection of DER.',
    status: 'partial',
    covered: 'Inverter functions.',
    notCovered: 'Islanding.',
    modules: '[src/der/inverter]',
    tests: '[src/der/inverter/ride-through.test.ts]',
    ...overrides,
  };
  return Object.entries(keys)
    .filter(([, value]) => value !== '')
    .map(([key, value], i) => `${i === 0 ? '  - ' : '    '}${key}: ${value}`)
    .join('\n');
}

const inventoryText = (...entries: string[]) => `title: Test inventory\nstandards:\n${entries.join('\n')}\n`;

function problemsOf(text: string): TeError[] {
  const result = parseStandardsInventory(text, 'inv.yaml');
  if (result.ok) throw new Error('expected problems');
  return result.error;
}

const summary = (problems: readonly TeError[]) => problems.map((p) => `${p.code} ${p.path}: ${p.message}`);

describe('standards inventory loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-standards-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a valid inventory with every key as written', () => {
    const result = parseStandardsInventory(inventoryText(entry()), 'inv.yaml');
    expect(result.ok && result.value).toEqual({
      title: 'Test inventory',
      standards: [
        {
          id: 'ieee-1547-2018',
          name: 'IEEE 1547',
          body: 'IEEE',
          version: '2018',
          segments: ['generation'],
          scope: 'Interconnection of DER.',
          status: 'partial',
          covered: 'Inverter functions.',
          notCovered: 'Islanding.',
          modules: ['src/der/inverter'],
          tests: ['src/der/inverter/ride-through.test.ts'],
        },
      ],
    });
  });

  it('refuses malformed YAML with its line and column', () => {
    const problems = problemsOf('title: x\nstandards:\n  - id: [unclosed\n');
    expect(problems[0]?.code).toBe('TE_ERR_INVALID_YAML');
    expect(problems[0]?.path).toMatch(/^inv\.yaml:\d+:\d+$/);
  });

  it('names an unknown segment at its entry and lists the segments', () => {
    const problems = problemsOf(inventoryText(entry({ segments: '[generation, wholesale]' })));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('TE_ERR_VALIDATION');
    expect(problems[0]?.path).toBe('inv.yaml:7 standards[0].segments[1]');
    expect(problems[0]?.hint).toBe(`a segment: one of ${SEGMENT_IDS.join(', ')}`);
    expect(SEGMENT_IDS).toEqual([
      'generation',
      'transmission-distribution',
      'retail-aggregator',
      'customer-premise',
      'communication-network',
      'data-management',
      'service-provider',
      'markets',
    ]);
  });

  it('refuses an unknown key with a suggestion, and a bad status', () => {
    const problems = problemsOf(inventoryText(entry({ scop: 'typo', status: 'done' })));
    expect(summary(problems)).toEqual([
      "TE_ERR_UNKNOWN_KEY inv.yaml:14 standards[0].scop: unknown key 'scop'",
      'TE_ERR_VALIDATION inv.yaml:9 standards[0].status: Expected union value; got "done"',
    ]);
    expect(problems[0]?.hint).toBe("did you mean 'scope'?");
  });

  it('refuses a duplicate id, pointing at the second one and naming the first', () => {
    const problems = problemsOf(inventoryText(entry(), entry({ name: 'again' })));
    expect(summary(problems)).toEqual([
      "TE_ERR_VALIDATION inv.yaml:14 standards[1].id: id 'ieee-1547-2018' is already used by standards[0]",
    ]);
  });

  it('requires modules, tests and what is covered of an implemented standard', () => {
    const problems = problemsOf(
      inventoryText(entry({ status: 'implemented', modules: '', tests: '[]', covered: '', notCovered: '' })),
    );
    expect(summary(problems)).toEqual([
      'TE_ERR_VALIDATION inv.yaml:3 standards[0].modules: a standard marked implemented must list its modules',
      'TE_ERR_VALIDATION inv.yaml:10 standards[0].tests: a standard marked implemented must list its tests',
      'TE_ERR_VALIDATION inv.yaml:3 standards[0].covered: a standard marked implemented must say what is covered',
    ]);
  });

  it('requires what is not covered of a partial one, and the route of an interoperable-via one', () => {
    expect(summary(problemsOf(inventoryText(entry({ notCovered: '' }))))).toEqual([
      'TE_ERR_VALIDATION inv.yaml:3 standards[0].notCovered: a partial standard must say what is not covered',
    ]);
    const via = problemsOf(
      inventoryText(
        entry({ status: 'interoperable-via', modules: '', tests: '', covered: '', notCovered: '' }),
      ),
    );
    expect(summary(via)).toEqual([
      'TE_ERR_VALIDATION inv.yaml:3 standards[0].via: an interoperable-via standard must say what it goes through',
    ]);
  });

  it('refuses code claimed for a planned standard', () => {
    const problems = problemsOf(inventoryText(entry({ status: 'planned', covered: '', notCovered: '' })));
    expect(summary(problems)).toEqual([
      'TE_ERR_VALIDATION inv.yaml:10 standards[0].modules: a planned standard claims no modules',
      'TE_ERR_VALIDATION inv.yaml:11 standards[0].tests: a planned standard claims no tests',
    ]);
  });

  it('refuses an oversized inventory as text and as a file, without reading the file', async () => {
    const text = `# ${'x'.repeat(MAX_INVENTORY_BYTES)}\n${inventoryText(entry())}`;
    expect(problemsOf(text).map((p) => p.code)).toEqual(['TE_ERR_INPUT_TOO_LARGE']);
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, '');
    truncateSync(file, MAX_INVENTORY_BYTES + 1);
    const read = await readStandardsInventory(file);
    expect(!read.ok && read.error.map((p) => [p.code, p.path])).toEqual([['TE_ERR_INPUT_TOO_LARGE', file]]);
  });

  it('says a missing file is missing', async () => {
    const read = await readStandardsInventory(join(dir, 'absent.yaml'));
    expect(!read.ok && read.error[0]?.code).toBe('TE_ERR_FILE_NOT_FOUND');
  });

  it('reads the shipped inventory, which covers every segment', async () => {
    const read = await readStandardsInventory();
    if (!read.ok) throw new Error(summary(read.error).join('\n'));
    const segmentsUsed = new Set(read.value.standards.flatMap((s) => s.segments));
    expect([...SEGMENT_IDS].filter((segment) => !segmentsUsed.has(segment))).toEqual([]);
    expect(read.value.standards.length).toBeGreaterThanOrEqual(30);
  });
});
