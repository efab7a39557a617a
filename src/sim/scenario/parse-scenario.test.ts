import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse-scenario.js';

const defaultText = readFileSync(new URL('../../../scenarios/default.yaml', import.meta.url), 'utf8');

function problemsOf(text: string) {
  const result = parseScenario(text, 'test.yaml');
  if (result.ok) throw new Error('expected problems');
  return result.error;
}

describe('parseScenario', () => {
  it('accepts the default scenario and resolves its times', () => {
    const result = parseScenario(defaultText, 'default.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.startMs).toBe(Date.parse('2026-07-15T07:00:00Z'));
    expect(result.value.endMs - result.value.startMs).toBe(86_400_000);
    expect(result.value.marketPeriodMs).toBe(300_000);
    expect(result.value.utcOffsetMinutes).toBe(-420);
    expect(result.value.population.homes).toBe(300);
    expect(result.value.population.battery.transactiveShare).toBe(1);
  });

  it('fills defaults for omitted sections', () => {
    const minimal = defaultText.replace(/^retail:[\s\S]*?^population:/m, 'population:');
    const result = parseScenario(minimal, 'min.yaml');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.retail.fixedTariffPerKwh).toBe(0.12);
  });

  it('names an unknown key with its line and a suggestion', () => {
    const text = defaultText.replace('  homes: 300', '  homse: 300');
    const problems = problemsOf(text);
    const unknown = problems.find((p) => p.code === 'TE_ERR_UNKNOWN_KEY');
    expect(unknown?.message).toContain("'homse'");
    expect(unknown?.hint).toContain("did you mean 'homes'?");
    const line = text.split('\n').findIndex((l) => l.includes('homse')) + 1;
    expect(unknown?.path).toBe(`test.yaml:${line} population.homse`);
    // the missing `homes` is reported too, in the same pass
    expect(problems.some((p) => p.path?.endsWith('population.homes'))).toBe(true);
  });

  it('reports a wrong type and an out-of-range value with their paths and lines', () => {
    const text = defaultText
      .replace('pv: { share: 0.25 }', 'pv: { share: 1.5 }')
      .replace('seed: 42', 'seed: forty');
    const problems = problemsOf(text);
    const share = problems.find((p) => p.path?.endsWith('population.pv.share'));
    expect(share?.code).toBe('TE_ERR_VALIDATION');
    expect(share?.message).toContain('1.5');
    expect(share?.path).toMatch(/^test\.yaml:\d+ /);
    expect(problems.find((p) => p.path?.endsWith(' seed'))?.message).toContain('"forty"');
  });

  it('rejects malformed YAML with a line number', () => {
    const problems = problemsOf('name: x\n  bad: [unclosed\n');
    expect(problems[0]?.code).toBe('TE_ERR_INVALID_YAML');
    expect(problems[0]?.path).toMatch(/^test\.yaml:\d+:\d+$/);
  });

  it('rejects duplicate keys, non-mappings, huge files and alias bombs', () => {
    expect(problemsOf('name: a\nname: b\n')[0]?.code).toBe('TE_ERR_INVALID_YAML');
    expect(problemsOf('- 1\n- 2\n')[0]?.code).toBe('TE_ERR_VALIDATION');
    expect(problemsOf('x'.repeat(2 * 1024 * 1024))[0]?.code).toBe('TE_ERR_INPUT_TOO_LARGE');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(9)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    expect(problemsOf(bomb.join('\n'))[0]?.code).toBe('TE_ERR_INVALID_YAML');
  });

  it('checks the horizon: order, offset, alignment to the market period', () => {
    const noOffset = problemsOf(defaultText.replace('2026-07-15T00:00:00-07:00', '2026-07-15T00:00:00'));
    expect(noOffset[0]?.hint).toContain('2026-07-15T00:00:00-07:00');
    const reversed = problemsOf(
      defaultText.replace('end: 2026-07-16T00:00:00-07:00', 'end: 2026-07-14T00:00:00-07:00'),
    );
    expect(reversed[0]?.code).toBe('TE_ERR_SCENARIO');
    const misaligned = problemsOf(
      defaultText.replace('end: 2026-07-16T00:00:00-07:00', 'end: 2026-07-16T00:03:00-07:00'),
    );
    expect(misaligned[0]?.code).toBe('TE_ERR_SLOT_MISALIGNED');
  });
});
