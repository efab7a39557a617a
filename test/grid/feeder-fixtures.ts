import { readdirSync, readFileSync } from 'node:fs';

const ROOT = new URL('../fixtures/', import.meta.url).pathname;

export function feederFiles(name: string): Map<string, string> {
  const dir = `${ROOT}feeders/${name}`;
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')]));
}

export function golden<T>(name: string): T {
  return JSON.parse(readFileSync(`${ROOT}powerflow/${name}`, 'utf8')) as T;
}

export const angleDiffDeg = (a: number, b: number): number => Math.abs(((a - b + 540) % 360) - 180);
