import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTeError } from '../../core/errors.js';
import { validateNetwork } from '../network-validation.js';
import { parseKerstingCsv } from './kersting-csv.js';

const DIR = new URL('../../../test/fixtures/feeders/ieee-13/', import.meta.url).pathname;
const files = (): Map<string, string> =>
  new Map(readdirSync(DIR).map((f) => [f, readFileSync(DIR + f, 'utf8')]));

function errorOf(fn: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    fn();
  } catch (caught) {
    if (isTeError(caught)) return { code: caught.code, path: caught.path, message: caught.message };
    throw caught;
  }
  throw new Error('expected an error');
}

describe('Kersting CSV reader: bad input', () => {
  it('names file and line of a malformed row', () => {
    const f = files();
    f.set('spot_loads.csv', `${f.get('spot_loads.csv')!.trim()}\n675,Y,PQ,abc,1,2,3,4,5\n`);
    expect(errorOf(() => parseKerstingCsv(f))).toMatchObject({
      code: 'TE_ERR_FEEDER_FORMAT',
      path: 'spot_loads.csv:10',
    });
    f.set('spot_loads.csv', 'bus,conn,type,kw_ph1\n675,Y,PQ,1\n');
    expect(errorOf(() => parseKerstingCsv(f)).code).toBe('TE_ERR_FEEDER_FORMAT');
  });

  it('names an unknown configuration and a missing file', () => {
    const f = files();
    f.set(
      'line_segments.csv',
      f.get('line_segments.csv')!.replace('632,645,500,ft,603', '632,645,500,ft,777'),
    );
    expect(errorOf(() => parseKerstingCsv(f))).toMatchObject({ path: 'line_segments.csv:4' });
    const g = files();
    g.delete('substation.csv');
    expect(errorOf(() => parseKerstingCsv(g))).toMatchObject({
      code: 'TE_ERR_FEEDER_FORMAT',
      path: 'substation.csv',
    });
  });

  it('reports a load cut off from the source as an island, naming the bus', () => {
    const f = files();
    f.set('switches.csv', f.get('switches.csv')!.replace('Switch1,abc,closed', 'Switch1,abc,open'));
    const errors = validateNetwork(parseKerstingCsv(f));
    expect(errors.map((e) => [e.code, e.path])).toEqual([['TE_ERR_GRID_TOPOLOGY', 'bus 692']]);
  });

  it('reports unknown buses and phases a bus lacks', () => {
    const network = parseKerstingCsv(files());
    const broken = {
      ...network,
      loads: [
        ...network.loads,
        {
          name: 'x',
          bus: '611',
          connection: 'wye' as const,
          model: 'constant-power' as const,
          phasePowers: [{ phase: 'a' as const, pKw: 1, qKvar: 0 }],
        },
      ],
    };
    expect(validateNetwork(broken)[0]).toMatchObject({ code: 'TE_ERR_GRID_TOPOLOGY', path: 'load x' });
  });
});
