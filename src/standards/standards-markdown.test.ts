import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateStandardsDoc, STANDARDS_DOC_FILE } from '../../tools/generate-standards-docs.js';
import { standardsMarkdown } from './standards-markdown.js';
import type { StandardsInventory } from './standards-schema.js';

const INVENTORY: StandardsInventory = {
  title: 'Test inventory',
  standards: [
    {
      id: 'a-std',
      name: 'A | B protocol',
      body: 'IEEE',
      version: '2018',
      segments: ['generation', 'markets'],
      scope: 'Does A.',
      status: 'partial',
      covered: 'Half.',
      notCovered: 'The other half.',
      modules: ['src/a'],
      tests: ['src/a/a.test.ts'],
    },
    {
      id: 'b-std',
      name: 'B',
      body: 'IEC',
      version: '1',
      segments: ['markets'],
      scope: 'Does B.',
      status: 'not-planned',
      note: 'Why not.',
    },
  ],
};

describe('docs/standards.md', () => {
  it('counts each segment’s standards by status, escapes table cells and links the evidence', () => {
    const text = standardsMarkdown(INVENTORY);
    const lines = text.split('\n');
    expect(lines).toContain('| [Generation](#generation) | 1 | 0 | 1 | 0 | 0 | 0 |');
    expect(lines).toContain('| [Markets](#markets) | 2 | 0 | 1 | 0 | 0 | 1 |');
    expect(lines).toContain('| [Service provider](#service-provider) | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(lines).toContain('| all (each once) | 2 | 0 | 1 | 0 | 0 | 1 |');
    expect(lines).toContain('| [A \\| B protocol](#a-std) | IEEE | 2018 | partial |');
    expect(lines).toContain('- **Segments:** Generation, Markets');
    expect(lines).toContain('- **Modules:** [`src/a`](../src/a)');
    expect(lines).toContain('- **Tests:** [`src/a/a.test.ts`](../src/a/a.test.ts)');
    expect(lines).toContain('- **Note:** Why not.');
    // One section per standard, however many segments it is in.
    expect(lines.filter((line) => line === '<a id="a-std"></a>')).toHaveLength(1);
    expect(text.endsWith('- **Note:** Why not.\n')).toBe(true);
  });

  it('is what the inventory generates (else: npm run generate:standards)', async () => {
    const committed = readFileSync(STANDARDS_DOC_FILE, 'utf8');
    const generated = await generateStandardsDoc();
    expect(generated === committed, 'docs/standards.md is stale: run `npm run generate:standards`').toBe(
      true,
    );
  });
});
