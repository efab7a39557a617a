/**
 * Test helper (under test/, not shipped: the schema is not in the repo): validates documents against the IEEE 2030.5 schema with xmllint-wasm (no native build).
 * The schema's licence forbids committing it, so it is read at run time from TENET_SEP_XSD or from
 * ../shared/specs/ieee2030.5/sep.xsd beside the checkout; when neither exists the check is skipped and
 * says so, and everything else in the tests still runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

const DEFAULT_XSD = fileURLToPath(new URL('../../../shared/specs/ieee2030.5/sep.xsd', import.meta.url));

/** Where the schema was found, or undefined. An explicit TENET_SEP_XSD that does not exist is not replaced. */
export function sepXsdPath(): string | undefined {
  const configured = process.env['TENET_SEP_XSD'];
  const path = configured !== undefined && configured !== '' ? configured : DEFAULT_XSD;
  return existsSync(path) ? path : undefined;
}

export const SEP_XSD_MISSING =
  'IEEE 2030.5 schema validation skipped: sep.xsd not found; set TENET_SEP_XSD to its path ' +
  `or place it at ${DEFAULT_XSD}`;

/** The schema text, read once per test file (it is 10,000 lines). */
export const SEP_XSD: string | undefined = (() => {
  const path = sepXsdPath();
  if (path === undefined) {
    console.warn(SEP_XSD_MISSING);
    return undefined;
  }
  return readFileSync(path, 'utf8');
})();

/**
 * Validates one or more documents in a single xmllint run (starting the wasm module costs more than a
 * document). Resolves when all are valid; rejects listing every error otherwise. Resolves with 'skipped'
 * when the schema is not available.
 */
export async function validateSepDocument(xml: string | readonly string[]): Promise<'valid' | 'skipped'> {
  if (SEP_XSD === undefined) return 'skipped';
  const documents = (typeof xml === 'string' ? [xml] : xml).map((contents, index) => ({
    fileName: `document-${index}.xml`,
    contents,
  }));
  const result = await validateXML({ xml: documents, schema: { fileName: 'sep.xsd', contents: SEP_XSD } });
  if (!result.valid) {
    const errors = result.errors.map(
      (e) => `${e.loc?.fileName ?? ''}:${e.loc?.lineNumber ?? ''} ${e.message}`,
    );
    throw new Error(`not valid against sep.xsd:\n${errors.join('\n')}`);
  }
  return 'valid';
}
