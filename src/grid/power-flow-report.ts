/** Turn the solver's node voltages into the reported results (per bus, per branch, totals). */
import type { Phase } from './network.js';
import { PHASES } from './network.js';
import type { PowerFlowSolver } from './power-flow.js';
import type {
  BranchResult,
  BusResult,
  LineToLine,
  PhaseCurrent,
  PhaseVoltage,
  PowerFlowResult,
} from './power-flow-result.js';
import { branchCurrent } from './shunt-elements.js';
import { terminalCurrents } from './voltage-controls.js';

const DEG = 180 / Math.PI;
const PAIRS: readonly [LineToLine, Phase, Phase][] = [
  ['ab', 'a', 'b'],
  ['bc', 'b', 'c'],
  ['ca', 'c', 'a'],
];

export interface SolveStatus {
  readonly converged: boolean;
  readonly iterations: number;
  readonly totalIterations: number;
  readonly changePu: number;
  readonly reason?: string;
}

export function buildResult(solver: PowerFlowSolver, status: SolveStatus): PowerFlowResult {
  const { prepared, vRe, vIm, shunts } = solver;
  const network = prepared.network;
  const sourceNodes = prepared.nodeOf.get(network.source.bus)!;
  const refNode = sourceNodes[0]! >= 0 ? sourceNodes[0]! : sourceNodes.find((n) => n >= 0)!;
  // Reference: source phase a (or the angle phase a would have if the source lacks it).
  const refAngle =
    Math.atan2(vIm[refNode]!, vRe[refNode]!) +
    (sourceNodes[0]! >= 0 ? 0 : (2 * Math.PI * sourceNodes.indexOf(refNode)) / 3);
  const cosRef = Math.cos(-refAngle);
  const sinRef = Math.sin(-refAngle);
  const voltage = (phase: Phase | LineToLine, re: number, im: number, baseV: number): PhaseVoltage => {
    const rr = re * cosRef - im * sinRef;
    const ri = re * sinRef + im * cosRef;
    const vMagV = Math.hypot(rr, ri);
    return { phase, re: rr, im: ri, vMagV, vPu: vMagV / baseV, angleDeg: Math.atan2(ri, rr) * DEG };
  };
  const buses: BusResult[] = network.buses.map((bus) => {
    const nodes = prepared.nodeOf.get(bus.name)!;
    const kv = prepared.nominalKvLL.get(bus.name) ?? network.source.kvLL;
    const baseLN = (kv * 1000) / Math.sqrt(3);
    const lineToNeutral = PHASES.flatMap((phase, p) =>
      nodes[p]! >= 0 ? [voltage(phase, vRe[nodes[p]!]!, vIm[nodes[p]!]!, baseLN)] : [],
    );
    const lineToLine = PAIRS.flatMap(([name, p, q]) => {
      const i = nodes[PHASES.indexOf(p)]!;
      const j = nodes[PHASES.indexOf(q)]!;
      if (i < 0 || j < 0) return [];
      return [voltage(name, vRe[i]! - vRe[j]!, vIm[i]! - vIm[j]!, kv * 1000)];
    });
    return { name: bus.name, nominalKvLL: kv, lineToNeutral, lineToLine };
  });
  const ratings = new Map(
    network.lines.flatMap((l) => (l.ratingA === undefined ? [] : [[l.name, l.ratingA]])),
  );
  let lossesW = 0;
  let lossesVar = 0;
  const branches: BranchResult[] = solver.system.branches.map((branch) => {
    const currents = terminalCurrents(branch, vRe, vIm);
    let inW = 0;
    let inVar = 0;
    let lossW = 0;
    let lossVar = 0;
    const phaseCurrents: PhaseCurrent[] = [];
    branch.nodes.forEach((node, a) => {
      if (node < 0) return;
      const ir = currents.re[a]!;
      const ii = currents.im[a]!;
      const w = vRe[node]! * ir + vIm[node]! * ii;
      const v = vIm[node]! * ir - vRe[node]! * ii;
      lossW += w;
      lossVar += v;
      if (a < branch.fromCount) {
        inW += w;
        inVar += v;
        const rr = ir * cosRef - ii * sinRef;
        const ri = ir * sinRef + ii * cosRef;
        phaseCurrents.push({
          phase: branch.phases[a]!,
          re: rr,
          im: ri,
          magA: Math.hypot(rr, ri),
          angleDeg: Math.atan2(ri, rr) * DEG,
        });
      }
    });
    lossesW += lossW;
    lossesVar += lossVar;
    const rating = ratings.get(branch.name);
    const maxA = Math.max(0, ...phaseCurrents.map((c) => c.magA));
    return {
      name: branch.name,
      kind: branch.kind,
      currents: phaseCurrents,
      powerInKw: inW / 1000,
      powerInKvar: inVar / 1000,
      lossKw: lossW / 1000,
      lossKvar: lossVar / 1000,
      ...(rating === undefined ? {} : { loadingPct: (100 * maxA) / rating }),
    };
  });
  // Source supply = current into the network at the source nodes plus what shunts there draw.
  const supplyRe = new Float64Array(3);
  const supplyIm = new Float64Array(3);
  const c = solver.system.sourceAll;
  for (let k = 0; k < c.rows.length; k++) {
    const p = sourceNodes.indexOf(c.rows[k]!);
    const col = c.cols[k]!;
    supplyRe[p]! += c.re[k]! * vRe[col]! - c.im[k]! * vIm[col]!;
    supplyIm[p]! += c.re[k]! * vIm[col]! + c.im[k]! * vRe[col]!;
  }
  let shuntW = 0;
  let shuntVar = 0;
  for (let k = 0; k < shunts.count; k++) {
    if (shunts.active[k] === 0) continue;
    const [ir, ii] = branchCurrent(shunts, k, vRe, vIm, shunts.role[k] === 0 ? solver.lastLoadScale : 1);
    const p = shunts.fromNode[k]!;
    const q = shunts.toNode[k]!;
    const g = shunts.neutralGroup[k]!;
    const br = vRe[p]! - (q >= 0 ? vRe[q]! : g >= 0 ? shunts.neutralRe[g]! : 0);
    const bi = vIm[p]! - (q >= 0 ? vIm[q]! : g >= 0 ? shunts.neutralIm[g]! : 0);
    shuntW += br * ir + bi * ii;
    shuntVar += bi * ir - br * ii;
    const sp = sourceNodes.indexOf(p);
    if (sp >= 0) {
      supplyRe[sp]! += ir;
      supplyIm[sp]! += ii;
    }
    const sq = q >= 0 ? sourceNodes.indexOf(q) : -1;
    if (sq >= 0) {
      supplyRe[sq]! -= ir;
      supplyIm[sq]! -= ii;
    }
  }
  const substationPhases = PHASES.flatMap((phase, p) => {
    const node = sourceNodes[p]!;
    if (node < 0) return [];
    const pW = vRe[node]! * supplyRe[p]! + vIm[node]! * supplyIm[p]!;
    const qVar = vIm[node]! * supplyRe[p]! - vRe[node]! * supplyIm[p]!;
    return [{ phase, pKw: pW / 1000, qKvar: qVar / 1000 }];
  });
  return {
    converged: status.converged,
    ...(status.reason === undefined ? {} : { reason: status.reason }),
    iterations: status.iterations,
    totalIterations: status.totalIterations,
    lastChangePu: status.changePu,
    buses,
    branches,
    lossesKw: lossesW / 1000,
    lossesKvar: lossesVar / 1000,
    substation: {
      phases: substationPhases,
      pKw: substationPhases.reduce((s, p) => s + p.pKw, 0),
      qKvar: substationPhases.reduce((s, p) => s + p.qKvar, 0),
    },
    shuntKw: shuntW / 1000,
    shuntKvar: shuntVar / 1000,
    regulatorTaps: network.regulators.map((r) => ({
      name: r.name,
      tapSteps: [...(solver.tapSteps.get(r.name) ?? r.tapSteps)],
    })),
    capacitorStates: network.capacitors.map((cap, index) => {
      let closed = false;
      for (let k = 0; k < shunts.count; k++)
        if (shunts.role[k] === 1 && shunts.element[k] === index) closed = shunts.active[k] === 1;
      return { name: cap.name, closed };
    }),
    balancedEquivalent: network.balancedEquivalent === true,
  };
}
