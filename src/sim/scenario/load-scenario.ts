/**
 * A scenario and the files it builds on: `extends: other.yaml` names a base scenario (relative to the
 * file that says it), whose keys the derived file overrides. Paths inside each file (weather, feeder) are
 * resolved against that file's own directory, so a design scenario can extend the default community
 * from anywhere. The reader is passed in: the caller owns the I/O and its size limits.
 */
import { isAbsolute, resolve, dirname } from 'node:path';
import { TeError } from '../../core/errors.js';
import { err, type Result } from '../../core/result.js';
import {
  parseScenarioLayer,
  validateScenarioLayers,
  type Scenario,
  type ScenarioLayer,
} from './parse-scenario.js';

const MAX_EXTENDS_DEPTH = 8;

export interface ScenarioSource {
  readonly text: string;
  /** How to name the file in messages. */
  readonly sourceName: string;
  /** The directory relative paths in the file are resolved against. */
  readonly directory: string;
}

export type ReadScenarioFile = (absolutePath: string) => Promise<Result<string, TeError>>;

export async function loadScenario(
  first: ScenarioSource,
  read: ReadScenarioFile,
): Promise<Result<Scenario, TeError[]>> {
  const layers: ScenarioLayer[] = [];
  const seen = new Set<string>();
  let source: ScenarioSource | null = first;
  while (source !== null) {
    if (layers.length >= MAX_EXTENDS_DEPTH) {
      return err([
        new TeError('TE_ERR_SCENARIO', `scenarios extend each other more than ${MAX_EXTENDS_DEPTH} deep`, {
          path: source.sourceName,
          hint: 'flatten the chain of extends',
        }),
      ]);
    }
    const parsed = parseScenarioLayer(source.text, source.sourceName);
    if (!parsed.ok) return parsed;
    const layer = withResolvedPaths(parsed.value, source.directory);
    layers.unshift(layer);
    const base = layer.raw.extends;
    if (base === undefined) break;
    if (typeof base !== 'string' || base.length === 0) break; // the schema reports the wrong type
    const path: string = isAbsolute(base) ? base : resolve(source.directory, base);
    if (seen.has(path)) {
      return err([
        new TeError('TE_ERR_SCENARIO', `'${base}' is already in this chain of extends: it would never end`, {
          path: `${source.sourceName} extends`,
        }),
      ]);
    }
    seen.add(path);
    const text = await read(path);
    if (!text.ok) {
      return err([
        new TeError(text.error.code, `${text.error.message} (named by extends in ${source.sourceName})`, {
          path: base,
        }),
      ]);
    }
    source = { text: text.value, sourceName: base, directory: dirname(path) };
  }
  return validateScenarioLayers(layers);
}

/** Weather and feeder paths made absolute against the directory of the file that states them. */
function withResolvedPaths(layer: ScenarioLayer, directory: string): ScenarioLayer {
  const raw: Record<string, unknown> = { ...layer.raw };
  if (typeof raw.weather === 'string') raw.weather = resolve(directory, raw.weather);
  const feeder = raw.feeder;
  if (feeder !== null && typeof feeder === 'object' && !Array.isArray(feeder)) {
    const path = (feeder as Record<string, unknown>).path;
    if (typeof path === 'string') raw.feeder = { ...feeder, path: resolve(directory, path) };
  }
  return { ...layer, raw };
}
