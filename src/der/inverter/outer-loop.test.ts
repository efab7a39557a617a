import { describe, expect, it } from 'vitest';
import { inverterCommand } from './inverter-command.js';
import { defaultVoltVarMode, inverterRatingFor, type InverterSettings } from './inverter-settings.js';
import { solveInverterOuterLoop, type InverterVoltageSolver } from './outer-loop.js';

/**
 * One inverter behind a Thevenin impedance R + jX (per unit on the inverter's base, S = P_rated = 1):
 * V = V0 + (R·P_inj + X·Q_inj)/V0, with injections = −(load-reference command).
 */
function theveninLine(v0Pu: number, rPu: number, xPu: number): InverterVoltageSolver {
  return (commands) => commands.map((c) => v0Pu + (rPu * -c.pPu + xPu * -c.qPu) / v0Pu);
}

const settings: InverterSettings = {
  normalCategory: 'B',
  abnormalCategory: 'II',
  reactive: defaultVoltVarMode('B'),
  priority: 'reactive',
  rating: inverterRatingFor({ normalCategory: 'B' }, 1, 1, 0),
};
const pvAt = (pGenerationPu: number) => (vPu: number) =>
  inverterCommand(settings, {
    vPu,
    frequencyHz: 60,
    pDesiredPu: -pGenerationPu,
    pAvailableGenerationPu: pGenerationPu,
  });

/**
 * On the volt-var slope V3..V4, Q_inj = −k (V − V3) with k = 0.44/0.06, so the fixed point is
 * V* = (V0 + (R·P + X·k·V3)/V0) / (1 + X·k/V0), and the loop gain is g = X·k/V0.
 */
function fixedPoint(v0Pu: number, rPu: number, xPu: number, pPu: number) {
  const k = 0.44 / 0.06;
  const vPu = (v0Pu + (rPu * pPu + xPu * k * 1.02) / v0Pu) / (1 + (xPu * k) / v0Pu);
  return { vPu, qPu: k * (vPu - 1.02), loopGain: (xPu * k) / v0Pu };
}

describe('damped outer loop on a Thevenin line', () => {
  it('converges to the closed-form fixed point on a soft line, damped or not', () => {
    const expected = fixedPoint(1, 0.05, 0.1, 0.8);
    expect(expected.loopGain).toBeLessThan(1);
    for (const dampingFactor of [1, 0.5]) {
      const result = solveInverterOuterLoop(
        theveninLine(1, 0.05, 0.1),
        [pvAt(0.8)],
        [{ pPu: -0.8, qPu: 0 }],
        {
          dampingFactor,
          tolerancePu: 1e-10,
        },
      );
      expect(result.converged).toBe(true);
      expect(result.reason).toBe('converged');
      expect(result.voltagesPu[0]).toBeCloseTo(expected.vPu, 8);
      expect(result.commands[0]?.qPu).toBeCloseTo(expected.qPu, 8);
      expect(result.commands[0]?.pPu).toBeCloseTo(-0.8, 12);
    }
  });

  it('on a stiff line plain substitution oscillates and the damped loop converges', () => {
    const expected = fixedPoint(1, 0.1, 0.4, 0.8);
    expect(expected.loopGain).toBeGreaterThan(2); // undamped map has slope −g: oscillates and grows
    expect(expected.vPu).toBeCloseTo(1.0352542, 6);
    const line = theveninLine(1, 0.1, 0.4);
    const undamped = solveInverterOuterLoop(line, [pvAt(0.8)], [{ pPu: -0.8, qPu: 0 }], {
      dampingFactor: 1,
      maxIterations: 200,
    });
    expect(undamped.converged).toBe(false);
    expect(undamped.reason).toBe('iteration-limit');
    expect(undamped.lastChangePu).toBeGreaterThan(0.5); // a limit cycle between the saturated ends
    const damped = solveInverterOuterLoop(line, [pvAt(0.8)], [{ pPu: -0.8, qPu: 0 }], {
      dampingFactor: 0.3, // 1 − α(1 + g) = −0.18
      tolerancePu: 1e-10,
    });
    expect(damped.converged).toBe(true);
    expect(damped.iterations).toBeLessThan(30);
    expect(damped.voltagesPu[0]).toBeCloseTo(expected.vPu, 8);
    expect(damped.commands[0]?.qPu).toBeCloseTo(expected.qPu, 8);
  });

  it('says so when it does not converge within the limit, with finite commands', () => {
    const line = theveninLine(1, 0.1, 0.4);
    const tooFew = solveInverterOuterLoop(line, [pvAt(0.8)], [{ pPu: -0.8, qPu: 0 }], {
      dampingFactor: 0.3,
      maxIterations: 3,
      tolerancePu: 1e-10,
    });
    expect(tooFew).toMatchObject({ converged: false, reason: 'iteration-limit', iterations: 3 });
    expect(tooFew.commands.every((c) => Number.isFinite(c.pPu) && Number.isFinite(c.qPu))).toBe(true);
    const underDamped = solveInverterOuterLoop(line, [pvAt(0.8)], [{ pPu: -0.8, qPu: 0 }], {
      dampingFactor: 0.8, // 1 − α(1 + g) ≈ −2.1: still oscillates
    });
    expect(underDamped.converged).toBe(false);
    expect(Number.isFinite(underDamped.lastChangePu)).toBe(true);
  });

  it('stops on a solver that returns NaN, never returning NaN commands', () => {
    const result = solveInverterOuterLoop(() => [Number.NaN], [pvAt(0.8)], [{ pPu: -0.8, qPu: 0 }]);
    expect(result).toMatchObject({ converged: false, reason: 'non-finite-voltage', iterations: 0 });
    expect(result.commands).toEqual([{ pPu: -0.8, qPu: 0 }]);
  });
});
