/**
 * The inventory's evidence must exist: every module path names a file or folder of the repository, and
 * every test path a test file the test runner actually runs. A test keeps the shipped inventory to this,
 * so an entry cannot outlive the code it points at.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TeError } from '../core/errors.js';
import { INVENTORY_REPO_PATH } from './load-inventory.js';
import type { StandardsInventory } from './standards-schema.js';

/**
 * A test-runner include glob ('src/**\/*.test.ts') as a regular expression over repository paths:
 * `**\/` is any number of folders, `*` any characters within one path segment.
 */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? '';
    if (glob.startsWith('**/', i)) {
      pattern += '(?:[^/]+/)*';
      i += 2;
    } else if (char === '*') pattern += '[^/]*';
    else pattern += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

/** Every module or test path that does not hold, located at its entry and coded. */
export function evidenceProblems(
  inventory: StandardsInventory,
  repoRoot: string,
  testIncludeGlobs: readonly string[],
): TeError[] {
  const includes = testIncludeGlobs.map(globToRegExp);
  const problems: TeError[] = [];
  inventory.standards.forEach((standard, index) => {
    const where = (key: string, i: number) => `${INVENTORY_REPO_PATH} standards[${index}].${key}[${i}]`;
    (standard.modules ?? []).forEach((path, i) => {
      if (!existsSync(join(repoRoot, path))) {
        problems.push(
          new TeError('TE_ERR_FILE_NOT_FOUND', `module '${path}' of ${standard.id} does not exist`, {
            path: where('modules', i),
            hint: 'point at the file or folder that implements it now, or change the status',
          }),
        );
      }
    });
    (standard.tests ?? []).forEach((path, i) => {
      const absolute = join(repoRoot, path);
      if (!existsSync(absolute) || !statSync(absolute).isFile()) {
        const what = existsSync(absolute) ? 'is a folder, not a test file' : 'does not exist';
        problems.push(
          new TeError('TE_ERR_FILE_NOT_FOUND', `test file '${path}' of ${standard.id} ${what}`, {
            path: where('tests', i),
            hint: 'name a test file that exists (a folder is not enough)',
          }),
        );
      } else if (!includes.some((include) => include.test(path))) {
        problems.push(
          new TeError('TE_ERR_VALIDATION', `'${path}' of ${standard.id} is not a file the test runner runs`, {
            path: where('tests', i),
            hint: `test files match ${testIncludeGlobs.join(', ')}`,
          }),
        );
      }
    });
  });
  return problems;
}
