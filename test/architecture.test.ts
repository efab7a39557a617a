/** The dependency direction of DESIGN.md is enforced by lint; prove the rule fires and stays quiet. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('domain boundary lint rule', () => {
  it.each(['market', 'der', 'core', 'ledger', 'grid'])(
    'rejects outward imports from src/%s',
    async (module) => {
      const file = `src/${module}/boundary-probe.ts`;
      expect(
        await ruleIds(
          "import { TransactiveCycle } from '../engine/transactive-cycle.js';\nexport { TransactiveCycle };\n",
          file,
        ),
      ).toContain('no-restricted-imports');
      expect(
        await ruleIds("import { readFileSync } from 'node:fs';\nexport { readFileSync };\n", file),
      ).toContain('no-restricted-imports');
      expect(await ruleIds("import { runCli } from '../cli/main.js';\nexport { runCli };\n", file)).toContain(
        'no-restricted-imports',
      );
      expect(await ruleIds('export const x = Math.random();\n', file)).toContain('no-restricted-properties');
      expect(await ruleIds('export const t = Date.now();\n', file)).toContain('no-restricted-properties');
      expect(await ruleIds('export const d = new Date();\n', file)).toContain('no-restricted-syntax');
    },
  );

  it('allows domain modules to import downward and outer layers to import the domain', async () => {
    expect(
      await ruleIds(
        "import { TeError } from '../core/errors.js';\nexport { TeError };\n",
        'src/market/boundary-probe.ts',
      ),
    ).toEqual([]);
    expect(
      await ruleIds(
        "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n",
        'src/sim/boundary-probe.ts',
      ),
    ).toEqual([]);
    expect(await ruleIds('export const d = new Date(0);\n', 'src/core/boundary-probe.ts')).toEqual([]);
  });
});
