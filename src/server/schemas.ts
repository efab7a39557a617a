/** TypeBox building blocks shared by the route schemas; each route file declares its own bodies. */
import { Type } from '@sinclair/typebox';

/** Ids of participants, devices, markets, clients and orders: short, printable, no spaces. */
export const IdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9._:-]+$',
  description: 'letters, digits and . _ : - (1 to 64)',
});

/** Epoch milliseconds from 1970 to the year 9999. */
export const EpochMsSchema = Type.Integer({
  minimum: 0,
  maximum: 253_402_300_799_999,
  description: 'epoch ms',
});

export const LimitSchema = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description: 'at most this many rows',
});

export const NameSchema = Type.String({ minLength: 1, maxLength: 200 });

/** The bearer scheme every authenticated operation lists (OpenAPI `security`). */
export const BEARER = [{ oauth2: [] as string[] }];

type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;

/** Domain values are readonly; response schemas type as mutable. The shape is the same. */
export function asResponse<T>(value: T): DeepMutable<T> {
  return value as DeepMutable<T>;
}
