/**
 * Scenario text → validated scenario. Every problem is reported with the key path and the line in the
 * file, and all problems are reported at once, so a person can fix a file in one pass.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { MS_PER_MINUTE } from '../../core/time.js';
import {
  parseYamlLayer,
  validateYamlLayers,
  type YamlDocumentKind,
  type YamlLayer,
} from '../../config/yaml-layers.js';
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
  /** `evaluation.events` resolved, in order; empty: evaluate the peak window of each simulated day. */
  readonly eventsMs: readonly { readonly startMs: number; readonly endMs: number }[];
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** One scenario file, parsed but not yet validated: a scenario may extend another (`extends`). */
export type ScenarioLayer = YamlLayer;

const SCENARIO_DOCUMENT: YamlDocumentKind = {
  noun: 'scenario',
  maxBytes: MAX_SCENARIO_BYTES,
  tooLargeHint: 'a scenario describes a population; it does not list every home',
  startFromHint: 'start from scenarios/default.yaml',
};

export function parseScenario(text: string, sourceName: string): Result<Scenario, TeError[]> {
  const layer = parseScenarioLayer(text, sourceName);
  return layer.ok ? validateScenarioLayers([layer.value]) : layer;
}

export function parseScenarioLayer(text: string, sourceName: string): Result<ScenarioLayer, TeError[]> {
  return parseYamlLayer(text, sourceName, SCENARIO_DOCUMENT);
}

/**
 * Merge layers (the base first, the most derived last: mappings merge key by key, anything else is
 * replaced) and validate the result. A problem is located in the most derived file that states the key.
 */
export function validateScenarioLayers(layers: readonly ScenarioLayer[]): Result<Scenario, TeError[]> {
  const { document, problems, locate } = validateYamlLayers(ScenarioSchema, layers);
  if (problems.length > 0) return err(problems);
  const scenario = document as ScenarioDocument;
  const timing = resolveTiming(scenario, locate);
  if (!timing.ok) return err(timing.error);
  return ok({ ...scenario, ...timing.value });
}

function resolveTiming(
  document: ScenarioDocument,
  locate: (pointer: string) => string,
): Result<
  Pick<Scenario, 'startMs' | 'endMs' | 'marketPeriodMs' | 'utcOffsetMinutes' | 'eventsMs'>,
  TeError[]
> {
  const problems: TeError[] = [];
  const parseTime = (key: 'start' | 'end', text = document[key], pointer = `/${key}`): number => {
    const timeMs = ISO_WITH_OFFSET.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(timeMs)) {
      problems.push(
        new TeError('TE_ERR_VALIDATION', `'${text}' is not an ISO 8601 date-time with an offset`, {
          path: locate(pointer),
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
  const eventsMs = document.evaluation.events.map((event, index) => {
    const pointer = `/evaluation/events/${index}`;
    const event_ = {
      startMs: parseTime('start', event.start, `${pointer}/start`),
      endMs: parseTime('end', event.end, `${pointer}/end`),
    };
    if (
      problems.length === 0 &&
      !(event_.startMs >= startMs && event_.endMs <= endMs && event_.endMs > event_.startMs)
    ) {
      problems.push(
        new TeError('TE_ERR_SCENARIO', 'an event must end after it starts and lie inside the horizon', {
          path: locate(pointer),
          hint: `keep it within ${document.start} .. ${document.end}`,
        }),
      );
    }
    return event_;
  });
  if (problems.length > 0) return err(problems);
  eventsMs.sort((a, b) => a.startMs - b.startMs);
  const offsetMatch = /([+-])(\d{2}):(\d{2})$/.exec(document.start);
  const utcOffsetMinutes =
    offsetMatch === null
      ? 0
      : (offsetMatch[1] === '-' ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3]));
  return ok({ startMs, endMs, marketPeriodMs, utcOffsetMinutes, eventsMs });
}
