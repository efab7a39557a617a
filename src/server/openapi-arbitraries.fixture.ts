/**
 * fast-check arbitraries built from the server's own OpenAPI document: values that follow an
 * operation's JSON schema, mixed at every node with hostile ones (wrong types, NaN-ish and huge strings,
 * unicode, extreme numbers, deep nesting, unknown and prototype-polluting keys).
 */
import fc from 'fast-check';

export type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
};

/** Ids and times that exist in the test store, so generated requests also reach deep into the routes. */
export const KNOWN_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  marketId: ['m1'],
  participantId: ['p1', 'p2', 'p9'],
  meterId: ['p1', 'p9'],
  clientOrderId: ['o1', 'fuzz'],
  aggregatorId: ['agg1'],
  grant_type: ['client_credentials'],
  client_id: ['client-prosumer'],
};

const nanish = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '',
  ' ',
  '\u0000',
  'null',
  '0x1F',
  '１２',
  '1,5',
);
const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
const hugeString = fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'é'.repeat(n));
const extremeNumber = fc.oneof(
  fc.constantFrom(-1, -0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, Number.MIN_VALUE, 1.5, 253_402_300_800_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const deepNesting = fc.integer({ min: 50, max: 800 }).map((depth) => {
  let value: unknown = 1;
  for (let k = 0; k < depth; k++) value = k % 2 === 0 ? { a: value } : [value];
  return value;
});
const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  nanish,
  unicode,
  hugeString,
  extremeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  deepNesting,
  fc.dictionary(fc.oneof(pollutingKey, unicode), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Values following `schema`, with a hostile value instead at any node with probability about 1/8. */
export function schemaValue(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const conforming = conformingValue(schema, name, depth);
  return fc.oneof({ weight: 7, arbitrary: conforming }, { weight: 1, arbitrary: hostileValue });
}

function conformingValue(schema: JsonSchema, name: string, depth: number): fc.Arbitrary<unknown> {
  const known = KNOWN_VALUES[name];
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  if (schema.anyOf !== undefined)
    return fc.oneof(...schema.anyOf.map((s) => conformingValue(s, name, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectValue(schema, depth);
    case 'array': {
      const item =
        schema.items === undefined
          ? fc.jsonValue({ maxDepth: 1 })
          : schemaValue(schema.items, name, depth + 1);
      return fc.array(item, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 64;
      const shaped =
        schema.pattern === undefined
          ? fc.string({ minLength: min, maxLength: Math.min(max, 64) })
          : matchingStrings(schema.pattern)
              .map((s) => s.slice(0, max))
              .filter((s) => s.length >= min);
      return known === undefined ? shaped : fc.oneof(fc.constantFrom(...known), shaped);
    }
    case 'integer':
    case 'number': {
      const min =
        schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e6 : schema.exclusiveMinimum + 1);
      const max = schema.maximum ?? 1e12;
      const base =
        type === 'integer'
          ? fc.integer({
              min: Math.max(min, Number.MIN_SAFE_INTEGER),
              max: Math.min(max, Number.MAX_SAFE_INTEGER),
            })
          : fc.double({ min, max, noNaN: true });
      const timeLike = /Ms$/.test(name) ? fc.constant(1_767_225_600_000) : undefined;
      return timeLike === undefined ? base : fc.oneof(timeLike, base);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(properties).map(([key, sub]) => ({
    key,
    value: schemaValue(sub, key, depth + 1),
    required: required.has(key),
  }));
  const pattern = Object.values(schema.patternProperties ?? {})[0];
  const extra = fc.dictionary(
    fc.oneof(pollutingKey, fc.constantFrom('extra', 'Side', 'marketid'), unicode),
    pattern === undefined ? fc.jsonValue({ maxDepth: 1 }) : schemaValue(pattern, '', depth + 1),
    { maxKeys: 2 },
  );
  return fc
    .tuple(
      fc.tuple(
        ...fields.map((f) =>
          f.required
            ? f.value.map((v) => [v])
            : fc.option(
                f.value.map((v) => [v]),
                { freq: 2 },
              ),
        ),
      ),
      fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra }),
      fc.nat({ max: 19 }),
    )
    .map(([values, extras, drop]) => {
      const out: Record<string, unknown> = {};
      fields.forEach((f, k) => {
        const v = values[k];
        // Now and then a required key goes missing.
        if (v !== null && v !== undefined && !(f.required && drop === k)) {
          Object.defineProperty(out, f.key, {
            value: (v as unknown[])[0],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      });
      for (const [key, value] of Object.entries(extras as object)) {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    });
}

/** Bodies that are not a JSON document this API accepts, whatever the operation. */
export const malformedBody = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":1,}',
    '[1,2',
    'NaN',
    '{"price": NaN}',
    '{"a": Infinity}',
    "{'a': 1}",
    '\u0000',
    '{"a":1}{"b":2}',
    '"just a string"',
  ),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1_000, max: 60_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.constantFrom('{"__proto__": {"polluted": 1}}', '{"constructor": {"prototype": {"polluted": 1}}}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/**
 * Strings matching `pattern`. fast-check cannot generate from lookaheads (OpenADR's ISO 8601 duration
 * pattern has one): it generates from the pattern without them and keeps what the whole pattern accepts.
 */
function matchingStrings(pattern: string): fc.Arbitrary<string> {
  const whole = new RegExp(pattern);
  const withoutLookaheads = pattern.replace(/\(\?<?[=!][^()]*\)/g, '');
  return withoutLookaheads === pattern
    ? fc.stringMatching(whole)
    : fc.stringMatching(new RegExp(withoutLookaheads)).filter((s) => whole.test(s));
}
