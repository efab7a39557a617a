/**
 * Market designs compared on one community: every scenario must describe the same homes, devices,
 * weather, horizon, seed, feeder and wholesale side, so the only difference between the runs is the
 * market. Differences are reported, not silently overridden.
 */
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { Scenario } from './scenario/parse-scenario.js';

const COMMUNITY_KEYS = [
  'seed',
  'startMs',
  'endMs',
  'marketPeriodMs',
  'weather',
  'population',
  'feeder',
  'wholesale',
  'currency',
] as const satisfies readonly (keyof Scenario)[];

export function checkSameCommunity(
  scenarios: readonly { readonly scenario: Scenario; readonly sourceName: string }[],
): Result<void, TeError[]> {
  const [first, ...others] = scenarios;
  if (first === undefined) return ok(undefined);
  const problems: TeError[] = [];
  for (const other of others) {
    for (const key of COMMUNITY_KEYS) {
      if (stableJson(first.scenario[key]) === stableJson(other.scenario[key])) continue;
      problems.push(
        new TeError(
          'TE_ERR_SCENARIO',
          `'${key}' differs from ${first.sourceName}: designs must be compared on the same community`,
          {
            path: `${other.sourceName} ${key === 'startMs' ? 'start' : key === 'endMs' ? 'end' : key === 'marketPeriodMs' ? 'marketPeriodMinutes' : key}`,
            hint: `let the design scenarios extend one community scenario and change only 'market' and 'retail'`,
          },
        ),
      );
    }
  }
  return problems.length === 0 ? ok(undefined) : err(problems);
}

function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
          )
        : v,
    ) ?? 'undefined'
  );
}
