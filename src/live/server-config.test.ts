import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKET_RULES } from './market-rules.js';
import { DEFAULT_PORT, parseServerConfig } from './server-config.js';

describe('server configuration', () => {
  it('an empty file gives every default: one community market on port 8825', () => {
    const config = parseServerConfig('', 'tenet.yaml');
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.server.port).toBe(DEFAULT_PORT);
    expect(config.value.server.host).toBe('127.0.0.1');
    expect(config.value.dataDir).toBe('data');
    expect(config.value.markets).toEqual([
      { id: 'community', name: 'Community energy market', rules: DEFAULT_MARKET_RULES },
    ]);
  });

  it('market rules given override the defaults key by key', () => {
    const text = [
      'markets:',
      '  - id: feeder-1',
      '    name: Feeder one',
      '    rules:',
      '      mechanism: pay-as-bid',
      '      slotDurationMs: 900000',
    ].join('\n');
    const config = parseServerConfig(text, 'tenet.yaml');
    if (!config.ok) throw new Error(config.error.map((e) => e.toLine()).join('\n'));
    const rules = config.value.markets[0]?.rules;
    expect(rules?.mechanism).toBe('pay-as-bid');
    expect(rules?.slotDurationMs).toBe(900_000);
    expect(rules?.priceCapPerKwh).toBe(DEFAULT_MARKET_RULES.priceCapPerKwh);
  });

  it('reports every problem at once with file:line, key path and a did-you-mean hint', () => {
    const text = [
      'server:',
      '  prot: 80',
      '  port: 70000',
      'markets:',
      '  - id: "bad id"',
      '    name: x',
      '    rules:',
      '      mechanism: sealed-envelope',
    ].join('\n');
    const config = parseServerConfig(text, 'tenet.yaml');
    expect(config.ok).toBe(false);
    if (config.ok) return;
    const lines = config.error.map((e) => e.toLine());
    expect(
      lines.some(
        (l) =>
          l.includes('TE_ERR_UNKNOWN_KEY') && l.includes('tenet.yaml:2') && l.includes("did you mean 'port'"),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.includes('tenet.yaml:3 server.port'))).toBe(true);
    expect(lines.some((l) => l.includes('markets[0].id'))).toBe(true);
    expect(lines.some((l) => l.includes('markets[0].rules.mechanism'))).toBe(true);
  });

  it('refuses what is not a configuration: YAML errors, a list, an alias bomb', () => {
    for (const text of [
      'server: [',
      '- a\n- b',
      'a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ]) {
      const config = parseServerConfig(text, 'tenet.yaml');
      expect(config.ok).toBe(false);
    }
    expect(parseServerConfig('x'.repeat(300 * 1024), 'big.yaml')).toMatchObject({
      ok: false,
      error: [{ code: 'TE_ERR_INPUT_TOO_LARGE' }],
    });
  });
});
