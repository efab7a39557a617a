/**
 * docs/standards.md from standards/inventory.yaml (`npm run generate:standards`). The page is generated so
 * it cannot drift from the inventory the CLI, the API and the dashboard read; a test regenerates it and
 * fails when the committed page differs.
 */
import { readStandardsInventory } from '../src/standards/load-inventory.js';
import { standardsMarkdown } from '../src/standards/standards-markdown.js';

export const STANDARDS_DOC_FILE = new URL('../docs/standards.md', import.meta.url);

export async function generateStandardsDoc(): Promise<string> {
  const inventory = await readStandardsInventory();
  if (!inventory.ok) throw new Error(inventory.error.map((problem) => problem.toLine()).join('\n'));
  return standardsMarkdown(inventory.value);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(STANDARDS_DOC_FILE, await generateStandardsDoc());
  console.log(`wrote ${STANDARDS_DOC_FILE.pathname}`);
}
