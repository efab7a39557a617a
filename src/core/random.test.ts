import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';

describe('SeededRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (rng) => () =>
            rng.nextUint32()
        )(new SeededRandom(seed)),
      );
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws uniforms in [0, 1) with the right mean, and normals with the right moments', () => {
    const rng = new SeededRandom(7);
    let sum = 0;
    let normalSum = 0;
    let normalSquares = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      const z = rng.normal(2, 3);
      normalSum += z;
      normalSquares += (z - 2) ** 2;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(normalSum / n).toBeCloseTo(2, 1);
    expect(Math.sqrt(normalSquares / n)).toBeCloseTo(3, 1);
  });

  it('shuffles into a permutation and keeps integers within bounds', () => {
    const rng = new SeededRandom(1);
    const items = Array.from({ length: 100 }, (_, i) => i);
    expect([...rng.shuffle([...items])].sort((a, b) => a - b)).toEqual(items);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });
});
