import { describe, expect, it } from 'vitest';
import { kpiById } from '../kpi/catalogue.js';
import type { EvaluationKpi } from '../kpi/kpi-definition.js';
import { makeTestResult } from '../report/test-result.fixture.js';
import type { SimulationResult } from '../results.js';
import { compareTreatmentControl } from './treatment-control.js';
import { TREATMENT_CONTROL_KPIS } from './treatment-control-kpis.js';
import { treatmentControlSection } from './treatment-control-report.js';
import { inputs } from './treatment-control.fixture.js';

function resultWith(control = Uint8Array.from([0, 0, 1, 1])): SimulationResult {
  return {
    ...makeTestResult({ meta: { seed: 42, currency: 'USD' } }),
    evaluation: { treatmentControl: compareTreatmentControl(inputs({ control })) },
  };
}

const kpi = (id: string) => TREATMENT_CONTROL_KPIS.find((entry) => entry.id === id) as EvaluationKpi;

describe('treatment-control KPIs', () => {
  it('carry the agreed ids and read the headline with its interval', () => {
    const ids = TREATMENT_CONTROL_KPIS.map((entry) => entry.id);
    expect(ids).toEqual(expect.arrayContaining(['rct-peak-reduction', 'rct-bill-change']));
    const result = resultWith();
    // Effect −1.5 kW, interval −1.5 ± 4.302653 × 0.707107: the reduction is 1.5 ± 3.042435.
    const peak = kpi('rct-peak-reduction').of(result);
    expect(peak?.value).toBe(1.5);
    expect(peak?.low).toBeCloseTo(1.5 - 3.042435, 5);
    expect(peak?.high).toBeCloseTo(1.5 + 3.042435, 5);
    expect(peak?.confidence).toBe(0.95);
    // Reduction 1.5 of the control mean 2.5 = 60%.
    expect(kpi('rct-peak-reduction-percent').of(result)?.value).toBeCloseTo(60, 12);
    // Bills: −10 per home, −10 / 21 = −47.6%.
    expect(kpi('rct-bill-change').of(result)?.value).toBe(-10);
    expect(kpi('rct-bill-change-percent').of(result)?.value).toBeCloseTo((-10 / 21) * 100, 10);
    expect(kpi('rct-peak-reduction-mde').of(result)?.value).toBeCloseTo(5.363313 * Math.SQRT1_2, 5);
  });

  it('are unavailable without a comparison or with too few homes', () => {
    const none = makeTestResult();
    const tooFew = resultWith(Uint8Array.from([0, 0, 0, 1]));
    for (const entry of TREATMENT_CONTROL_KPIS) {
      expect(entry.of(none)).toBeNull();
      expect(entry.of(tooFew)).toBeNull();
      expect(entry.unavailable).toMatch(/controlShare/);
    }
  });

  it('are in the catalogue', () => {
    expect(kpiById('rct-peak-reduction')?.scope).toBe('evaluation');
    expect(kpiById('rct-bill-change')?.scope).toBe('evaluation');
  });
});

describe('treatment-control report section', () => {
  it('is absent without a control group', () => {
    expect(treatmentControlSection(makeTestResult())).toBeNull();
  });

  it('shows the estimates, the headline and the balance in text, HTML and JSON', () => {
    const section = treatmentControlSection(resultWith());
    expect(section?.id).toBe('treatment-control');
    const text = section?.text().join('\n') ?? '';
    expect(text).toContain('2 on the market, 2 kept on the fixed tariff');
    expect(text).toMatch(/\* difference in means\s+1\.500\s+60\.0%\s+-1\.542 \.\. 4\.542/);
    expect(text).toMatch(/difference in differences vs simulated counterfactual\s+0\.750/);
    expect(text).toMatch(/\* difference in means\s+-10\.00\s+-47\.6%/);
    expect(text).toContain('owns PV');
    expect(text).not.toMatch(/NaN/);
    const html = section?.html() ?? '';
    expect(html).toContain('<table class="kpi">');
    expect(html).toContain('Bill over the horizon, USD per home');
    expect(html).not.toMatch(/<script/);
    const json = JSON.parse(JSON.stringify(section?.json())) as {
      status: string;
      bill: { headline: { effect: number } };
    };
    expect(json.status).toBe('compared');
    expect(json.bill.headline.effect).toBe(-10);
  });

  it('escapes the scenario-provided text and says why when unavailable', () => {
    const section = treatmentControlSection(resultWith(Uint8Array.from([1, 0, 0, 0])));
    expect(section?.text()).toEqual([
      'Unavailable: the control group has 1 homes and the treatment group 3: each needs at least 2 for an interval (change evaluation.controlShare or population.homes).',
    ]);
    expect(section?.html()).toMatch(/^<p>Unavailable: the control group has 1 homes/);
    const currency = { ...resultWith(), meta: { ...resultWith().meta, currency: '<b>' } };
    expect(treatmentControlSection(currency)?.html()).toContain('&lt;b&gt; per home');
  });
});
