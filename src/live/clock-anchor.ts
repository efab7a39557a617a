/**
 * An accelerated clock that survives restarts. `tenet serve --clock-speed N` (tests, rehearsals) keeps
 * its timeline in the data directory: simulated time = anchor + (real now − real anchor) × speed, so a
 * restarted server continues the same timeline instead of jumping back and finding its slots "in the
 * future". A different speed starts a new anchor at the current simulated time.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TeError } from '../core/errors.js';
import { AcceleratedClock } from './clock.js';

interface Anchor {
  readonly simulatedMs: number;
  readonly realMs: number;
  readonly speed: number;
}

export const CLOCK_ANCHOR_FILE = 'clock-anchor.json';

export function anchoredClock(
  dataDir: string,
  speed: number,
  realNowMs: () => number = Date.now,
): AcceleratedClock {
  const file = join(dataDir, CLOCK_ANCHOR_FILE);
  const previous = existsSync(file) ? readAnchor(file) : undefined;
  if (previous !== undefined && previous.speed === speed) {
    // A clock made now starts at the anchor's time plus the real time elapsed since, at the same speed.
    const simulatedNow = previous.simulatedMs + (realNowMs() - previous.realMs) * speed;
    return new AcceleratedClock(simulatedNow, speed, realNowMs);
  }
  const realMs = realNowMs();
  const simulatedMs =
    previous === undefined ? realMs : previous.simulatedMs + (realMs - previous.realMs) * previous.speed;
  const anchor: Anchor = { simulatedMs, realMs, speed };
  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(anchor));
  renameSync(temporary, file);
  return new AcceleratedClock(simulatedMs, speed, realNowMs);
}

function readAnchor(file: string): Anchor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const anchor = parsed as Partial<Anchor> | undefined;
  if (
    anchor === undefined ||
    !Number.isFinite(anchor.simulatedMs) ||
    !Number.isFinite(anchor.realMs) ||
    !(Number(anchor.speed) > 0)
  ) {
    throw new TeError('TE_ERR_CONFIG', `the clock anchor ${file} is damaged`, {
      path: file,
      hint: 'delete it to start a new accelerated timeline at the current time',
    });
  }
  return anchor as Anchor;
}
