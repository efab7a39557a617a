import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, TeError, type ErrorCode } from './errors.js';

describe('error catalogue', () => {
  it('is documented in docs/errors.md with the same HTTP and exit statuses', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `(TE_ERR_[A-Z_]+)` \| (\d+) \| (\d+) \|/gm)].map((m) => [
        m[1],
        [Number(m[2]), Number(m[3])],
      ]),
    );
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(rows.get(code), code).toEqual([entry.httpStatus, entry.exitCode]);
    }
    expect(rows.size).toBe(Object.keys(ERROR_CATALOGUE).length);
  });

  it('formats one actionable line and a JSON body without a stack', () => {
    const error = new TeError('TE_ERR_UNKNOWN_KEY', "unknown key 'homse'", {
      path: 'a.yaml:3 population.homse',
      hint: "did you mean 'homes'?",
    });
    expect(error.toLine()).toBe(
      "TE_ERR_UNKNOWN_KEY at a.yaml:3 population.homse: unknown key 'homse' (did you mean 'homes'?)",
    );
    expect(error.toJSON()).toEqual({
      code: 'TE_ERR_UNKNOWN_KEY',
      title: 'Unknown key',
      message: "unknown key 'homse'",
      path: 'a.yaml:3 population.homse',
      hint: "did you mean 'homes'?",
    });
    const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
    expect(codes.every((code) => code.startsWith('TE_ERR_'))).toBe(true);
  });
});
