/**
 * Reading property values: numbers (with OpenDSS in-line RPN math such as `(8 1000 /)`), arrays, symmetric
 * matrices given as a lower triangle (`[a | b c | d e f]`) or in full, yes/no flags and bus specifications
 * with node suffixes (`650.1.2.3`).
 */
import { TeError } from '../../core/errors.js';
import { formatLocation, type DssEnclosure, type DssLocation } from './tokenizer.js';

/** A property value as written, with where it was written. */
export interface DssValue {
  readonly text: string;
  readonly enclosure: DssEnclosure | undefined;
  readonly location: DssLocation;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function syntaxError(value: DssValue, what: string, property: string): TeError {
  return new TeError('TE_ERR_DSS_SYNTAX', `${property}: '${value.text}' is not ${what}`, {
    path: formatLocation(value.location),
  });
}

/** A plain decimal number, or `undefined` when the word is not one. */
export function parsePlainNumber(word: string): number | undefined {
  if (!NUMBER.test(word)) return undefined;
  return Number(word);
}

const RPN_BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
};
const RPN_UNARY: Record<string, (a: number) => number> = {
  sqrt: Math.sqrt,
  sqr: (a) => a * a,
  inv: (a) => 1 / a,
  ln: Math.log,
  exp: Math.exp,
  log10: Math.log10,
  sin: (a) => Math.sin((a * Math.PI) / 180),
  cos: (a) => Math.cos((a * Math.PI) / 180),
  tan: (a) => Math.tan((a * Math.PI) / 180),
};
const RPN_CONSTANTS: Record<string, number> = { pi: Math.PI };

/** Evaluates OpenDSS in-line RPN math: `8 1000 /` is 0.008. */
function evaluateRpn(words: readonly string[]): number | undefined {
  const stack: number[] = [];
  for (const word of words) {
    const lower = word.toLowerCase();
    const number = parsePlainNumber(word) ?? RPN_CONSTANTS[lower];
    if (number !== undefined) {
      stack.push(number);
      continue;
    }
    const binary = RPN_BINARY[lower];
    const unary = RPN_UNARY[lower];
    if (binary !== undefined) {
      const b = stack.pop();
      const a = stack.pop();
      if (a === undefined || b === undefined) return undefined;
      stack.push(binary(a, b));
    } else if (unary !== undefined) {
      const a = stack.pop();
      if (a === undefined) return undefined;
      stack.push(unary(a));
    } else {
      return undefined;
    }
  }
  return stack.length === 1 ? stack[0] : undefined;
}

function splitWords(text: string): string[] {
  return text.split(/[\s,]+/).filter((word) => word.length > 0);
}

/** A finite number; an enclosed value is evaluated as RPN math (a single enclosed number is itself). */
export function parseNumber(value: DssValue, property: string): number {
  const words = splitWords(value.text);
  const parsed =
    value.enclosure === undefined || words.length === 1
      ? words.length === 1 && words[0] !== undefined
        ? parsePlainNumber(words[0])
        : undefined
      : evaluateRpn(words);
  if (parsed === undefined || !Number.isFinite(parsed)) throw syntaxError(value, 'a number', property);
  return parsed;
}

/** An array of numbers: `[1 2 3]`, `(1, 2, 3)`, `"1 2 3"` or a single bare number. */
export function parseNumberArray(value: DssValue, property: string): number[] {
  return splitWords(value.text).map((word) => {
    const parsed = parsePlainNumber(word);
    if (parsed === undefined) throw syntaxError(value, 'an array of numbers', property);
    return parsed;
  });
}

/** An array of words: `[wye wye]`, `'wye, delta'`. */
export function parseWordArray(value: DssValue): string[] {
  return splitWords(value.text);
}

/**
 * A symmetric n-by-n matrix, row-major. OpenDSS accepts the lower triangle with rows separated by `|`
 * (`[a | b c | d e f]`) or the full matrix (with or without `|`).
 */
export function parseSymmetricMatrix(value: DssValue, order: number, property: string): number[][] {
  const rows = value.text
    .split('|')
    .map((row) => row.trim())
    .filter((row) => row.length > 0)
    .map((row) =>
      splitWords(row).map((word) => {
        const parsed = parsePlainNumber(word);
        if (parsed === undefined) throw syntaxError(value, 'a matrix of numbers', property);
        return parsed;
      }),
    );
  const flat = rows.flat();
  const triangleCount = (order * (order + 1)) / 2;
  const matrix = Array.from({ length: order }, () => new Array<number>(order).fill(0));
  const set = (i: number, j: number, entry: number): void => {
    (matrix[i] as number[])[j] = entry;
    (matrix[j] as number[])[i] = entry;
  };
  if (flat.length === order * order && (rows.length <= 1 || rows.every((row) => row.length === order))) {
    flat.forEach((entry, k) => {
      const row = matrix[Math.floor(k / order)] as number[];
      row[k % order] = entry;
    });
    return matrix;
  }
  if (flat.length === triangleCount) {
    let k = 0;
    for (let i = 0; i < order; i++) {
      for (let j = 0; j <= i; j++) set(i, j, flat[k++] as number);
    }
    return matrix;
  }
  throw new TeError(
    'TE_ERR_DSS_INVALID',
    `${property} has ${flat.length} entries; a ${order}-phase matrix needs ${triangleCount} (lower triangle) or ${order * order}`,
    { path: formatLocation(value.location), hint: 'check nphases against the matrix' },
  );
}

const YES = new Set(['yes', 'y', 'true', 't']);
const NO = new Set(['no', 'n', 'false', 'f']);

export function parseYesNo(value: DssValue, property: string): boolean {
  const lower = value.text.trim().toLowerCase();
  if (YES.has(lower)) return true;
  if (NO.has(lower)) return false;
  throw syntaxError(value, 'yes or no', property);
}

/** A terminal's bus and the nodes it connects to; `nodes` is empty when the script gives no suffix. */
export interface DssBusSpec {
  readonly bus: string;
  readonly nodes: readonly number[];
}

/** `650.1.2.3` → bus `650`, nodes [1, 2, 3]. Bus names are case-insensitive and kept in lower case. */
export function parseBusSpec(value: DssValue, property: string): DssBusSpec {
  const [bus, ...nodeWords] = value.text.trim().split('.');
  if (bus === undefined || bus.length === 0) throw syntaxError(value, 'a bus name', property);
  const nodes = nodeWords.map((word) => {
    if (!/^\d+$/.test(word)) throw syntaxError(value, 'a bus name with numeric node suffixes', property);
    return Number(word);
  });
  return { bus: bus.toLowerCase(), nodes };
}
