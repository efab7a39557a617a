import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import vitestConfig from '../../vitest.config.js';
import { evidenceProblems, globToRegExp } from './inventory-paths.js';
import { readStandardsInventory } from './load-inventory.js';
import type { Standard, StandardsInventory } from './standards-schema.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEST_INCLUDES = vitestConfig.test?.include ?? [];

const standard = (modules: string[], tests: string[]): Standard => ({
  id: 'x',
  name: 'X',
  body: 'B',
  version: '1',
  segments: ['markets'],
  scope: 'S.',
  status: 'implemented',
  covered: 'C.',
  modules,
  tests,
});

describe('standards inventory evidence', () => {
  it('reads the test runner’s include globs', () => {
    expect(TEST_INCLUDES).toContain('src/**/*.test.ts');
    const include = globToRegExp('src/**/*.test.ts');
    expect(include.test('src/a.test.ts')).toBe(true);
    expect(include.test('src/standards/load-inventory.test.ts')).toBe(true);
    expect(include.test('src/standards/load-inventory.ts')).toBe(false);
    expect(include.test('test/a.test.ts')).toBe(false);
    expect(include.test('src/a.test.tsx')).toBe(false);
    expect(globToRegExp('web/src/**/*.test.ts').test('web/src/standards/standards-filter.test.ts')).toBe(
      true,
    );
  });

  it('holds for every module and test path of the shipped inventory', async () => {
    const read = await readStandardsInventory();
    if (!read.ok) throw new Error(read.error.map((e) => e.toLine()).join('\n'));
    const problems = evidenceProblems(read.value, REPO_ROOT, TEST_INCLUDES);
    expect(problems.map((p) => p.toLine())).toEqual([]);
    const withEvidence = read.value.standards.filter((s) => (s.tests ?? []).length > 0);
    expect(withEvidence.length).toBeGreaterThanOrEqual(15);
  });

  it('names a missing module, a folder given as a test and a file the runner does not run', () => {
    const inventory: StandardsInventory = {
      title: 't',
      standards: [
        standard(['src/standards', 'src/no-such-module.ts'], ['src/standards']),
        standard([], ['src/standards/load-inventory.ts', 'src/standards/load-inventory.test.ts']),
      ],
    };
    const problems = evidenceProblems(inventory, REPO_ROOT, TEST_INCLUDES);
    expect(problems.map((p) => `${p.code} ${p.path}: ${p.message}`)).toEqual([
      "TE_ERR_FILE_NOT_FOUND standards/inventory.yaml standards[0].modules[1]: module 'src/no-such-module.ts' of x does not exist",
      "TE_ERR_FILE_NOT_FOUND standards/inventory.yaml standards[0].tests[0]: test file 'src/standards' of x is a folder, not a test file",
      "TE_ERR_VALIDATION standards/inventory.yaml standards[1].tests[0]: 'src/standards/load-inventory.ts' of x is not a file the test runner runs",
    ]);
  });
});
