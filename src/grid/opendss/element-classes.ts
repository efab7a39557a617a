/**
 * The OpenDSS element classes the reader knows, with their property names in OpenDSS's order. The order
 * matters: a value written without `name=` goes to the property after the last one named (so
 * `mvasc3=200000 200000` sets MVAsc3 and MVAsc1). A property may be abbreviated to a unique prefix.
 */
export type DssClassName =
  | 'vsource'
  | 'linecode'
  | 'wiredata'
  | 'linegeometry'
  | 'line'
  | 'load'
  | 'transformer'
  | 'regcontrol'
  | 'capacitor';

export const PROPERTY_ORDER: Record<DssClassName, readonly string[]> = {
  vsource: [
    'bus1', 'basekv', 'pu', 'angle', 'frequency', 'phases', 'mvasc3', 'mvasc1', 'x1r1', 'x0r0', 'isc3',
    'isc1', 'r1', 'x1', 'r0', 'x0', 'scantype', 'sequence', 'bus2', 'z1', 'z0', 'z2', 'puz1', 'puz0', 'puz2',
    'basemva', 'yearly', 'daily', 'duty', 'model', 'puzideal', 'spectrum', 'basefreq', 'enabled', 'like',
  ],
  linecode: [
    'nphases', 'r1', 'x1', 'r0', 'x0', 'c1', 'c0', 'units', 'rmatrix', 'xmatrix', 'cmatrix', 'basefreq',
    'normamps', 'emergamps', 'faultrate', 'pctperm', 'repair', 'kron', 'rg', 'xg', 'rho', 'neutral', 'b1',
    'b0', 'seasons', 'ratings', 'linetype', 'like',
  ],
  wiredata: [
    'rdc', 'rac', 'runits', 'gmrac', 'gmrunits', 'radius', 'radunits', 'normamps', 'emergamps', 'diam',
    'seasons', 'ratings', 'capradius', 'like',
  ],
  linegeometry: [
    'nconds', 'nphases', 'cond', 'wire', 'x', 'h', 'units', 'normamps', 'emergamps', 'reduce', 'spacing',
    'wires', 'cncable', 'tscable', 'cncables', 'tscables', 'seasons', 'ratings', 'linetype', 'like',
  ],
  line: [
    'bus1', 'bus2', 'linecode', 'length', 'phases', 'r1', 'x1', 'r0', 'x0', 'c1', 'c0', 'rmatrix', 'xmatrix',
    'cmatrix', 'switch', 'rg', 'xg', 'rho', 'geometry', 'units', 'spacing', 'wires', 'earthmodel', 'cncables',
    'tscables', 'b1', 'b0', 'seasons', 'ratings', 'linetype', 'normamps', 'emergamps', 'faultrate', 'pctperm',
    'repair', 'basefreq', 'enabled', 'like',
  ],
  load: [
    'phases', 'bus1', 'kv', 'kw', 'pf', 'model', 'yearly', 'daily', 'duty', 'growth', 'conn', 'kvar', 'rneut',
    'xneut', 'status', 'class', 'vminpu', 'vmaxpu', 'vminnorm', 'vminemerg', 'xfkva', 'allocationfactor',
    'kva', '%mean', '%stddev', 'cvrwatts', 'cvrvars', 'kwh', 'kwhdays', 'cfactor', 'cvrcurve', 'numcust',
    'zipv', '%seriesrl', 'relweight', 'vlowpu', 'puxharm', 'xrharm', 'spectrum', 'basefreq', 'enabled', 'like',
  ],
  transformer: [
    'phases', 'windings', 'wdg', 'bus', 'conn', 'kv', 'kva', 'tap', '%r', 'rneut', 'xneut', 'buses', 'conns',
    'kvs', 'kvas', 'taps', 'xhl', 'xht', 'xlt', 'xscarray', 'thermal', 'n', 'm', 'flrise', 'hsrise',
    '%loadloss', '%noloadloss', 'normhkva', 'emerghkva', 'sub', 'maxtap', 'mintap', 'numtaps', 'subname',
    '%imag', 'ppm_antifloat', '%rs', 'bank', 'xfmrcode', 'xrconst', 'x12', 'x13', 'x23', 'leadlag',
    'wdgcurrents', 'core', 'rdcohms', 'seasons', 'ratings', 'normamps', 'emergamps', 'faultrate', 'pctperm',
    'repair', 'basefreq', 'enabled', 'like',
  ],
  regcontrol: [
    'transformer', 'winding', 'vreg', 'band', 'ptratio', 'ctprim', 'r', 'x', 'bus', 'delay', 'reversible',
    'revvreg', 'revband', 'revr', 'revx', 'tapdelay', 'debugtrace', 'maxtapchange', 'inversetime',
    'tapwinding', 'vlimit', 'ptphase', 'revthreshold', 'revdelay', 'revneutral', 'eventlog', 'remoteptratio',
    'tapnum', 'reset', 'ldc_z', 'rev_z', 'cogen', 'basefreq', 'enabled', 'like',
  ],
  capacitor: [
    'bus1', 'bus2', 'phases', 'kvar', 'kv', 'conn', 'cmatrix', 'cuf', 'r', 'xl', 'harm', 'numsteps', 'states',
    'normamps', 'emergamps', 'faultrate', 'pctperm', 'repair', 'basefreq', 'enabled', 'like',
  ],
}; // prettier-ignore

/** Classes whose objects only record or report, or only shape time series: skipped with a warning. */
export const SKIPPED_CLASSES: ReadonlySet<string> = new Set([
  'monitor',
  'energymeter',
  'sensor',
  'loadshape',
  'tshape',
  'priceshape',
  'growthshape',
  'spectrum',
]);

/** Property names whose alias the reader folds onto the canonical name. */
const ALIASES: Partial<Record<DssClassName, Record<string, string>>> = {
  transformer: { x12: 'xhl', x13: 'xht', x23: 'xlt', r: '%r' },
  wiredata: { gmr: 'gmrac' },
};

export function isSupportedClass(name: string): name is DssClassName {
  return Object.prototype.hasOwnProperty.call(PROPERTY_ORDER, name);
}

/**
 * The canonical property name for what the script wrote: exact name, alias, or unique prefix.
 * `undefined` when nothing matches, or when the prefix is ambiguous.
 */
export function resolvePropertyName(className: DssClassName, written: string): string | undefined {
  const lower = written.toLowerCase();
  const order = PROPERTY_ORDER[className];
  if (order.includes(lower)) return lower;
  const alias = ALIASES[className]?.[lower];
  if (alias !== undefined) return alias;
  const matches = order.filter((name) => name.startsWith(lower));
  return matches.length === 1 ? matches[0] : undefined;
}

/** The property a positional value fills: the one after `previous` (the first when none was named yet). */
export function nextPositionalProperty(
  className: DssClassName,
  previous: string | undefined,
): string | undefined {
  const order = PROPERTY_ORDER[className];
  if (previous === undefined) return order[0];
  const index = order.indexOf(previous);
  return index < 0 ? undefined : order[index + 1];
}
