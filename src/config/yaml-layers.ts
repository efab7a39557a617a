/**
 * YAML documents validated against a TypeBox schema, with every problem located at file:line and key
 * path and reported at once. Scenarios and the server configuration both read this way. A document may be
 * built from layers (a base and what extends it): mappings merge key by key, anything else is replaced,
 * and a problem is located in the most derived layer that states the key.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { closestKey } from './key-suggestion.js';

/** One YAML file, parsed but not yet validated. */
export interface YamlLayer {
  readonly sourceName: string;
  readonly raw: Record<string, unknown>;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

export interface YamlDocumentKind {
  /** What the document is, in messages: 'scenario', 'server configuration'. */
  readonly noun: string;
  readonly maxBytes: number;
  /** Said when the input is too large. */
  readonly tooLargeHint: string;
  /** Said when the top level is not a mapping. */
  readonly startFromHint: string;
}

export function parseYamlLayer(
  text: string,
  sourceName: string,
  kind: YamlDocumentKind,
): Result<YamlLayer, TeError[]> {
  if (text.length > kind.maxBytes) {
    return err([
      new TeError(
        'TE_ERR_INPUT_TOO_LARGE',
        `${kind.noun} is ${text.length} bytes; the limit is ${kind.maxBytes}`,
        {
          path: sourceName,
          hint: kind.tooLargeHint,
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
      new TeError('TE_ERR_VALIDATION', `a ${kind.noun} must be a mapping of keys to values`, {
        path: `${sourceName}:1`,
        hint: kind.startFromHint,
      }),
    ]);
  }
  return ok({ sourceName, raw: raw as Record<string, unknown>, doc, lineCounter });
}

export interface ValidatedLayers<T> {
  /** The merged document with the schema's defaults filled in (valid only when `problems` is empty). */
  readonly document: T;
  readonly problems: TeError[];
  /** `file:line key.path` of a JSON pointer, in the most derived layer that states it. */
  readonly locate: (pointer: string) => string;
}

/** Merges the layers (base first), fills defaults and lists every schema problem with its location. */
export function validateYamlLayers<S extends TSchema>(
  schema: S,
  layers: readonly YamlLayer[],
): ValidatedLayers<unknown> {
  let merged: unknown = {};
  for (const layer of layers) merged = mergeLayer(merged, layer.raw);
  const withDefaults = Value.Default(schema, structuredClone(merged)) as unknown;
  const locate = (pointer: string): string => {
    const path = pointerSegments(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const stating = [...layers].reverse().find((layer) => layer.doc.hasIn(path)) ?? layers[layers.length - 1];
    if (stating === undefined) return keyPath(pointer);
    return `${stating.sourceName}:${lineOf(stating.doc, stating.lineCounter, pointer)} ${keyPath(pointer)}`;
  };
  const problems: TeError[] = [];
  for (const error of Value.Errors(schema, withDefaults)) {
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
  return { document: withDefaults, problems, locate };
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
