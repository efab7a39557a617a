/**
 * standards/inventory.yaml → a validated inventory. Every problem is reported at once with the file, line
 * and key path (the scenario files' way, config/yaml-layers.ts), and the rules a schema cannot say are
 * checked after it: ids are unique, an implemented or partial standard names its modules and tests, an
 * interoperable-via one names what it goes through, a planned or not-planned one claims no code.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { parseYamlLayer, validateYamlLayers, type YamlDocumentKind } from '../config/yaml-layers.js';
import {
  STATUSES_WITH_EVIDENCE,
  StandardsInventorySchema,
  type Standard,
  type StandardsInventory,
} from './standards-schema.js';

/** The inventory shipped with tenet; found from src/ and from the built dist/ alike. */
export const INVENTORY_PATH = fileURLToPath(new URL('../../standards/inventory.yaml', import.meta.url));
/** The inventory's place in the repository, as messages and the generated docs name it. */
export const INVENTORY_REPO_PATH = 'standards/inventory.yaml';
export const MAX_INVENTORY_BYTES = 512 * 1024;

const INVENTORY_DOCUMENT: YamlDocumentKind = {
  noun: 'standards inventory',
  maxBytes: MAX_INVENTORY_BYTES,
  tooLargeHint: 'the inventory lists standards with a sentence or two each; keep specifications out of it',
  startFromHint: `start from ${INVENTORY_REPO_PATH}: a title and a list under 'standards'`,
};

export function parseStandardsInventory(
  text: string,
  sourceName: string,
): Result<StandardsInventory, TeError[]> {
  const layer = parseYamlLayer(text, sourceName, INVENTORY_DOCUMENT);
  if (!layer.ok) return layer;
  const { document, problems, locate } = validateYamlLayers(StandardsInventorySchema, [layer.value]);
  if (problems.length > 0) return err(problems);
  const inventory = document as StandardsInventory;
  const ruleProblems = checkInventoryRules(inventory.standards, locate);
  return ruleProblems.length > 0 ? err(ruleProblems) : ok(inventory);
}

/** Reads and validates the inventory file (by default the one shipped with tenet). */
export async function readStandardsInventory(
  path: string = INVENTORY_PATH,
): Promise<Result<StandardsInventory, TeError[]>> {
  let text: string;
  try {
    // Refuse an oversized file before reading it whole.
    const { size } = await stat(path);
    if (size > MAX_INVENTORY_BYTES) {
      return err([
        new TeError(
          'TE_ERR_INPUT_TOO_LARGE',
          `standards inventory is ${size} bytes; the limit is ${MAX_INVENTORY_BYTES}`,
          { path, hint: INVENTORY_DOCUMENT.tooLargeHint },
        ),
      ]);
    }
    text = await readFile(path, 'utf8');
  } catch (caught) {
    const missing = (caught as NodeJS.ErrnoException).code === 'ENOENT';
    return err([
      new TeError(
        missing ? 'TE_ERR_FILE_NOT_FOUND' : 'TE_ERR_FILE_READ',
        missing
          ? 'the standards inventory is missing'
          : `cannot read the standards inventory: ${(caught as Error).message}`,
        { path, hint: `tenet ships it as ${INVENTORY_REPO_PATH}; reinstall or restore it` },
      ),
    ]);
  }
  return parseStandardsInventory(text, path);
}

function checkInventoryRules(standards: readonly Standard[], locate: (pointer: string) => string): TeError[] {
  const problems: TeError[] = [];
  const firstIndexOfId = new Map<string, number>();
  standards.forEach((standard, index) => {
    const at = (key: string) => locate(`/standards/${index}/${key}`);
    const earlier = firstIndexOfId.get(standard.id);
    if (earlier === undefined) firstIndexOfId.set(standard.id, index);
    else {
      problems.push(
        new TeError('TE_ERR_VALIDATION', `id '${standard.id}' is already used by standards[${earlier}]`, {
          path: at('id'),
          hint: 'give each standard its own id (add the edition, e.g. ieee-2030-5-2018)',
        }),
      );
    }
    const needsEvidence = STATUSES_WITH_EVIDENCE.includes(standard.status);
    for (const key of ['modules', 'tests'] as const) {
      const paths = standard[key] ?? [];
      if (needsEvidence && paths.length === 0) {
        problems.push(
          new TeError('TE_ERR_VALIDATION', `a standard marked ${standard.status} must list its ${key}`, {
            path: at(key),
            hint:
              key === 'modules'
                ? 'name the source files or folders that implement it'
                : 'name the test files that show conformance; without them, mark it planned',
          }),
        );
      }
      if ((standard.status === 'planned' || standard.status === 'not-planned') && paths.length > 0) {
        problems.push(
          new TeError('TE_ERR_VALIDATION', `a ${standard.status} standard claims no ${key}`, {
            path: at(key),
            hint: 'mark it partial or implemented if code and tests show it, else remove the list',
          }),
        );
      }
    }
    if (needsEvidence && standard.covered === undefined) {
      problems.push(
        new TeError('TE_ERR_VALIDATION', `a standard marked ${standard.status} must say what is covered`, {
          path: at('covered'),
          hint: 'one or two sentences: which parts of the standard tenet implements',
        }),
      );
    }
    if (standard.status === 'partial' && standard.notCovered === undefined) {
      problems.push(
        new TeError('TE_ERR_VALIDATION', 'a partial standard must say what is not covered', {
          path: at('notCovered'),
          hint: 'name the parts of the standard tenet does not implement',
        }),
      );
    }
    if (standard.status === 'interoperable-via' && standard.via === undefined) {
      problems.push(
        new TeError('TE_ERR_VALIDATION', 'an interoperable-via standard must say what it goes through', {
          path: at('via'),
          hint: 'name the standard or gateway by which tenet reaches systems that speak it',
        }),
      );
    }
  });
  return problems;
}
