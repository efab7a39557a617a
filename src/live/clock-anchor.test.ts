import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anchoredClock, CLOCK_ANCHOR_FILE } from './clock-anchor.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-clock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('anchored accelerated clock', () => {
  it('a restart continues the same timeline instead of jumping back', () => {
    const dir = freshDir();
    let real = 1_000_000;
    const first = anchoredClock(dir, 60, () => real);
    expect(first.nowMs()).toBe(1_000_000);
    real += 10_000; // ten real seconds: ten simulated minutes
    expect(first.nowMs()).toBe(1_600_000);
    real += 5_000; // the process dies and restarts five real seconds later
    const second = anchoredClock(dir, 60, () => real);
    expect(second.nowMs()).toBe(1_000_000 + 15_000 * 60);
  });

  it('a new speed re-anchors at the current simulated time', () => {
    const dir = freshDir();
    let real = 0;
    anchoredClock(dir, 10, () => real);
    real = 1000;
    const faster = anchoredClock(dir, 100, () => real);
    expect(faster.nowMs()).toBe(10_000);
    real = 2000;
    expect(faster.nowMs()).toBe(110_000);
  });

  it('a damaged anchor is a coded error naming the file', () => {
    const dir = freshDir();
    writeFileSync(join(dir, CLOCK_ANCHOR_FILE), '{"speed": "fast"');
    expect(() => anchoredClock(dir, 10)).toThrow(/clock anchor .* is damaged/);
  });
});
