/**
 * Scenario text → validated scenario. Every problem is reported with the key path and the line in the
 * file, and all problems are reported at once, so a person can fix a file in one pass.
 */
import { Value } from '@sinclair/typebox/value';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { MS_PER_MINUTE } from '../../core/time.js';
import { closestKey } from './key-suggestion.js';
import { ScenarioSchema, type ScenarioDocument } from './scenario-schema.js';

export const MAX_SCENARIO_BYTES = 1024 * 1024;
const MAX_HORIZON_DAYS = 366;

/** A validated scenario with its times resolved. */
export interface Scenario extends ScenarioDocument {
  readonly startMs: number;
  readonly endMs: number;
  readonly marketPeriodMs: number;
  /** The offset written in `start`, used to show local times at the edges. */
  readonly utcOffsetMinutes: number;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** One scenario file, parsed but not yet validated: a scenario may extend another (`extends`). */
export interface ScenarioLayer {
  readonly sourceName: string;
  readonly raw: Record<string, unknown>;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

export function parseScenario(text: string, sourceName: string): Result<Scenario, TeError[]> {
  const layer = parseScenarioLayer(text, sourceName);
  return layer.ok ? validateScenarioLayers([layer.value]) : layer;
}

export function parseScenarioLayer(text: string, sourceName: string): Result<ScenarioLayer, TeError[]> {
  if (text.length > MAX_SCENARIO_BYTES) {
    return err([
      new TeError(
        'TE_ERR_INPUT_TOO_LARGE',
        `scenario is ${text.length} bytes; the limit is ${MAX_SCENARIO_BYTES}`,
        {
          path: sourceName,
          hint: 'a scenario describes a population; it does not list every home',
        },
      ),
    ]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return err(
      doc.errors.map((yamlError) => {
        const offset = yamlError.pos[0];
        const { line, col } = lineCounter.linePos(offset);
        return new TeError('TE_ERR_INVALID_YAML', yamlError.message.split('\n')[0] ?? 'invalid YAML', {
          path: `${sourceName}:${line}:${col}`,
          hint: 'check indentation and quoting on that line',
        });
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (caught) {
    return err([
      new TeError('TE_ERR_INVALID_YAML', caught instanceof Error ? caught.message : String(caught), {
        path: sourceName,
      }),
    ]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return err([
      new TeError('TE_ERR_VALIDATION', 'a scenario must be a mapping of keys to values', {
        path: `${sourceName}:1`,
        hint: 'start from scenarios/default.yaml',
      }),
    ]);
  }
  return ok({ sourceName, raw: raw as Record<string, unknown>, doc, lineCounter });
}

/**
 * Merge layers (the base first, the most derived last: mappings merge key by key, anything else is
 * replaced) and validate the result. A problem is located in the most derived file that states the key.
 */
export function validateScenarioLayers(layers: readonly ScenarioLayer[]): Result<Scenario, TeError[]> {
  let merged: unknown = {};
  for (const layer of layers) merged = mergeLayer(merged, layer.raw);
  const withDefaults = Value.Default(ScenarioSchema, structuredClone(merged)) as unknown;
  const locate = (pointer: string): string => {
    const path = pointerSegments(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const stating = [...layers].reverse().find((layer) => layer.doc.hasIn(path)) ?? layers[layers.length - 1];
    if (stating === undefined) return keyPath(pointer);
    return `${stating.sourceName}:${lineOf(stating.doc, stating.lineCounter, pointer)} ${keyPath(pointer)}`;
  };
  const problems: TeError[] = [];
  for (const error of Value.Errors(ScenarioSchema, withDefaults)) {
    const segments = pointerSegments(error.path);
    if (error.message === 'Unexpected property') {
      const key = segments[segments.length - 1] ?? '';
      const known = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
      const suggestion = closestKey(key, known);
      problems.push(
        new TeError('TE_ERR_UNKNOWN_KEY', `unknown key '${key}'`, {
          path: locate(error.path),
          hint:
            suggestion === undefined
              ? `known keys here: ${known.join(', ')}`
              : `did you mean '${suggestion}'?`,
        }),
      );
    } else {
      const description = (error.schema as { description?: string }).description;
      problems.push(
        new TeError('TE_ERR_VALIDATION', `${error.message}; got ${preview(error.value)}`, {
          path: locate(error.path),
          ...(description === undefined ? {} : { hint: description }),
        }),
      );
    }
  }
  if (problems.length > 0) return err(problems);
  const document = withDefaults as ScenarioDocument;
  const timing = resolveTiming(document, locate);
  if (!timing.ok) return err(timing.error);
  return ok({ ...document, ...timing.value });
}

function resolveTiming(
  document: ScenarioDocument,
  locate: (pointer: string) => string,
): Result<Pick<Scenario, 'startMs' | 'endMs' | 'marketPeriodMs' | 'utcOffsetMinutes'>, TeError[]> {
  const problems: TeError[] = [];
  const parseTime = (key: 'start' | 'end'): number => {
    const text = document[key];
    const timeMs = ISO_WITH_OFFSET.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(timeMs)) {
      problems.push(
        new TeError('TE_ERR_VALIDATION', `'${text}' is not an ISO 8601 date-time with an offset`, {
          path: locate(`/${key}`),
          hint: 'write it like 2026-07-15T00:00:00-07:00',
        }),
      );
    }
    return timeMs;
  };
  const startMs = parseTime('start');
  const endMs = parseTime('end');
  const marketPeriodMs = Math.round(document.marketPeriodMinutes * MS_PER_MINUTE);
  if (marketPeriodMs % 1000 !== 0) {
    problems.push(
      new TeError('TE_ERR_VALIDATION', 'the market period must be a whole number of seconds', {
        path: locate('/marketPeriodMinutes'),
      }),
    );
  }
  if (problems.length === 0) {
    if (endMs <= startMs) {
      problems.push(new TeError('TE_ERR_SCENARIO', 'end must come after start', { path: locate('/end') }));
    } else if (endMs - startMs > MAX_HORIZON_DAYS * 1440 * MS_PER_MINUTE) {
      problems.push(
        new TeError('TE_ERR_SCENARIO', `the horizon is longer than ${MAX_HORIZON_DAYS} days`, {
          path: locate('/end'),
        }),
      );
    } else if ((endMs - startMs) % marketPeriodMs !== 0) {
      problems.push(
        new TeError('TE_ERR_SLOT_MISALIGNED', 'the horizon is not a whole number of market periods', {
          path: locate('/end'),
          hint: `make end - start a multiple of ${document.marketPeriodMinutes} minutes`,
        }),
      );
    }
  }
  if (problems.length > 0) return err(problems);
  const offsetMatch = /([+-])(\d{2}):(\d{2})$/.exec(document.start);
  const utcOffsetMinutes =
    offsetMatch === null
      ? 0
      : (offsetMatch[1] === '-' ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3]));
  return ok({ startMs, endMs, marketPeriodMs, utcOffsetMinutes });
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function keyPath(pointer: string): string {
  const segments = pointerSegments(pointer);
  return segments.length === 0
    ? '(top level)'
    : segments
        .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
        .join('')
        .slice(1);
}

/** The line of the deepest node that exists along the path (a missing key points at its parent). */
function lineOf(doc: Document, lineCounter: LineCounter, pointer: string): number {
  const segments = pointerSegments(pointer);
  for (let depth = segments.length; depth >= 0; depth--) {
    const path = segments.slice(0, depth).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const parent = depth === 0 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const key = path[path.length - 1];
    if (depth > 0 && isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
      if (range !== undefined) return lineCounter.linePos(range[0]).line;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(path, true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range !== undefined) return lineCounter.linePos(range[0]).line;
  }
  return 1;
}

function preview(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function mergeLayer(base: unknown, over: unknown): unknown {
  const isMapping = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over))
    out[key] = key in base ? mergeLayer(base[key], value) : value;
  return out;
}
