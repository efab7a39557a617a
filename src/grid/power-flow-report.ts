/**
 * Turn the solver's node voltages into the reported results (per bus, per branch, totals). Written as
 * flat loops with one object per reported value and no intermediate arrays: at 10,000 buses this is
 * most of the cost of a full `solve()`.
 */
import type { BranchPrimitive } from './branch-admittance.js';
import type { Network, Phase } from './network.js';
import { PHASES } from './network.js';
import type { PowerFlowSolver } from './power-flow.js';
import type {
  BranchResult,
  BusResult,
  LineToLine,
  PhaseCurrent,
  PhaseVoltage,
  PowerFlowResult,
  PowerFlowStatus,
} from './power-flow-result.js';
import { branchCurrent } from './shunt-elements.js';

const DEG = 180 / Math.PI;
const PAIRS: readonly [LineToLine, number, number][] = [
  ['ab', 0, 1],
  ['bc', 1, 2],
  ['ca', 2, 0],
];

/** Rated current per branch (NaN when unknown), cached per branch list: ratings do not change. */
const ratingCache = new WeakMap<readonly BranchPrimitive[], Float64Array>();

function branchRatingsA(network: Network, branches: readonly BranchPrimitive[]): Float64Array {
  const cached = ratingCache.get(branches);
  if (cached !== undefined) return cached;
  const rating = new Map<string, number>();
  for (const l of network.lines) if (l.ratingA !== undefined) rating.set(`line:${l.name}`, l.ratingA);
  // A transformer's rated line current at its from winding: kVA / (√3 · kV_LL), for any connection.
  for (const t of network.transformers)
    rating.set(`transformer:${t.name}`, t.kva / (Math.sqrt(3) * t.kvHigh));
  for (const r of network.regulators)
    if (r.control !== undefined) rating.set(`regulator:${r.name}`, r.control.ctRatingA);
  const ratings = Float64Array.from(branches, (b) => rating.get(`${b.kind}:${b.name}`) ?? NaN);
  ratingCache.set(branches, ratings);
  return ratings;
}

export function buildResult(solver: PowerFlowSolver, status: PowerFlowStatus): PowerFlowResult {
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
    const vMagV = Math.sqrt(rr * rr + ri * ri);
    return { phase, re: rr, im: ri, vMagV, vPu: vMagV / baseV, angleDeg: Math.atan2(ri, rr) * DEG };
  };
  const buses: BusResult[] = new Array<BusResult>(network.buses.length);
  for (let b = 0; b < network.buses.length; b++) {
    const name = network.buses[b]!.name;
    const nodes = prepared.nodeOf.get(name)!;
    const kv = prepared.nominalKvLL.get(name) ?? network.source.kvLL;
    const baseLN = (kv * 1000) / Math.sqrt(3);
    const lineToNeutral: PhaseVoltage[] = [];
    for (let p = 0; p < 3; p++) {
      const node = nodes[p]!;
      if (node >= 0) lineToNeutral.push(voltage(PHASES[p]!, vRe[node]!, vIm[node]!, baseLN));
    }
    const lineToLine: PhaseVoltage[] = [];
    for (const [pair, p, q] of PAIRS) {
      const i = nodes[p]!;
      const j = nodes[q]!;
      if (i >= 0 && j >= 0) lineToLine.push(voltage(pair, vRe[i]! - vRe[j]!, vIm[i]! - vIm[j]!, kv * 1000));
    }
    buses[b] = { name, nominalKvLL: kv, lineToNeutral, lineToLine };
  }
  const ratings = branchRatingsA(network, solver.system.branches);
  let lossesW = 0;
  let lossesVar = 0;
  const branchList = solver.system.branches;
  const branches: BranchResult[] = new Array<BranchResult>(branchList.length);
  for (let index = 0; index < branchList.length; index++) {
    const branch = branchList[index]!;
    const m = branch.nodes.length;
    let inW = 0;
    let inVar = 0;
    let lossW = 0;
    let lossVar = 0;
    let maxA = 0;
    const phaseCurrents: PhaseCurrent[] = [];
    for (let a = 0; a < m; a++) {
      const node = branch.nodes[a]!;
      if (node < 0) continue;
      // Current into the branch at terminal a: row a of its primitive times the terminal voltages.
      let ir = 0;
      let ii = 0;
      for (let c = 0; c < m; c++) {
        const other = branch.nodes[c]!;
        if (other < 0) continue;
        const yr = branch.yRe[a * m + c]!;
        const yi = branch.yIm[a * m + c]!;
        ir += yr * vRe[other]! - yi * vIm[other]!;
        ii += yr * vIm[other]! + yi * vRe[other]!;
      }
      const w = vRe[node]! * ir + vIm[node]! * ii;
      const v = vIm[node]! * ir - vRe[node]! * ii;
      lossW += w;
      lossVar += v;
      if (a < branch.fromCount) {
        inW += w;
        inVar += v;
        const rr = ir * cosRef - ii * sinRef;
        const ri = ir * sinRef + ii * cosRef;
        const magA = Math.sqrt(rr * rr + ri * ri);
        if (magA > maxA) maxA = magA;
        phaseCurrents.push({
          phase: branch.phases[a]!,
          re: rr,
          im: ri,
          magA,
          angleDeg: Math.atan2(ri, rr) * DEG,
        });
      }
    }
    lossesW += lossW;
    lossesVar += lossVar;
    const rating = ratings[index]!;
    branches[index] = {
      name: branch.name,
      kind: branch.kind,
      currents: phaseCurrents,
      powerInKw: inW / 1000,
      powerInKvar: inVar / 1000,
      lossKw: lossW / 1000,
      lossKvar: lossVar / 1000,
      ...(Number.isNaN(rating) ? {} : { loadingPct: (100 * maxA) / rating }),
    };
  }
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
    const current = branchCurrent(shunts, k, vRe, vIm, shunts.role[k] === 0 ? solver.lastLoadScale : 1);
    const ir = current[0];
    const ii = current[1];
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
  const substationPhases: { phase: Phase; pKw: number; qKvar: number }[] = [];
  for (let p = 0; p < 3; p++) {
    const node = sourceNodes[p]!;
    if (node < 0) continue;
    const pW = vRe[node]! * supplyRe[p]! + vIm[node]! * supplyIm[p]!;
    const qVar = vIm[node]! * supplyRe[p]! - vRe[node]! * supplyIm[p]!;
    substationPhases.push({ phase: PHASES[p]!, pKw: pW / 1000, qKvar: qVar / 1000 });
  }
  return {
    ...status,
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
    capacitorStates: network.capacitors.map((cap, index) => ({
      name: cap.name,
      closed: solver.capacitorClosed(index),
    })),
    balancedEquivalent: network.balancedEquivalent === true,
  };
}
