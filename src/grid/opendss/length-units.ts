/**
 * OpenDSS length units (`units=`, `Runits=`, `GMRunits=`, `Radunits=`). `none` means "no unit": a line code
 * in `none` gives impedance per whatever unit the line's length is written in.
 */
import { TeError } from '../../core/errors.js';
import { formatLocation } from './tokenizer.js';
import type { DssValue } from './values.js';

export type DssLengthUnit = 'none' | 'mi' | 'kft' | 'km' | 'm' | 'ft' | 'in' | 'cm' | 'mm';

const METRES_PER_UNIT: Record<Exclude<DssLengthUnit, 'none'>, number> = {
  mi: 1609.344,
  kft: 304.8,
  km: 1000,
  m: 1,
  ft: 0.3048,
  in: 0.0254,
  cm: 0.01,
  mm: 0.001,
};

const ALIASES: Record<string, DssLengthUnit> = {
  none: 'none',
  mi: 'mi',
  mile: 'mi',
  miles: 'mi',
  kft: 'kft',
  km: 'km',
  m: 'm',
  meter: 'm',
  metre: 'm',
  ft: 'ft',
  feet: 'ft',
  foot: 'ft',
  in: 'in',
  inch: 'in',
  cm: 'cm',
  mm: 'mm',
};

export function parseLengthUnit(value: DssValue, property: string): DssLengthUnit {
  const unit = ALIASES[value.text.trim().toLowerCase()];
  if (unit === undefined) {
    throw new TeError('TE_ERR_DSS_SYNTAX', `${property}: '${value.text}' is not a length unit`, {
      path: formatLocation(value.location),
      hint: 'use one of none, mi, kft, km, m, ft, in, cm, mm',
    });
  }
  return unit;
}

/** Metres in one `unit`; `undefined` for `none`. */
export function metresPerUnit(unit: DssLengthUnit): number | undefined {
  return unit === 'none' ? undefined : METRES_PER_UNIT[unit];
}

/** Converts a length; a `none` on either side leaves the number as it is (OpenDSS does the same). */
export function convertLength(length: number, from: DssLengthUnit, to: DssLengthUnit): number {
  const fromMetres = metresPerUnit(from);
  const toMetres = metresPerUnit(to);
  if (fromMetres === undefined || toMetres === undefined) return length;
  return (length * fromMetres) / toMetres;
}
