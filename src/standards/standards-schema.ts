/**
 * The standards inventory's schema (standards/inventory.yaml): the standards a transactive energy
 * platform meets, by the platform segments of the P825 outline, and for each one tenet implements, the
 * modules and the tests that show it. The same schema validates the file and types the API's answer.
 */
import { Type, type Static } from '@sinclair/typebox';

/** The platform segments of a TE platform, in the order the P825 outline lists them. */
export const SEGMENTS = [
  {
    id: 'generation',
    label: 'Generation',
    description: 'bulk and distributed generators, inverters and their grid-support functions',
  },
  {
    id: 'transmission-distribution',
    label: 'Transmission and distribution',
    description: 'the network: voltage ranges, feeder models, power flow, grid operation',
  },
  {
    id: 'retail-aggregator',
    label: 'Retail and aggregator',
    description: 'tariffs, demand response, flexibility and the parties that sell or aggregate it',
  },
  {
    id: 'customer-premise',
    label: 'Customer premise',
    description: 'what sits behind the meter: inverters, batteries, EV chargers, energy managers',
  },
  {
    id: 'communication-network',
    label: 'Communication network',
    description: 'transport, messaging and the security of the links between the parties',
  },
  {
    id: 'data-management',
    label: 'Data management',
    description: 'data models, metering data, schemas and information exchange formats',
  },
  {
    id: 'service-provider',
    label: 'Service provider',
    description: 'APIs, identity and access for the services built on the platform',
  },
  {
    id: 'markets',
    label: 'Markets',
    description: 'market rules, baselines, settlement and the business exchanges of energy markets',
  },
] as const;

export type SegmentId = (typeof SEGMENTS)[number]['id'];
export const SEGMENT_IDS: readonly SegmentId[] = SEGMENTS.map((segment) => segment.id);

/**
 * implemented: tenet does what the standard asks within the scope stated, with tests; partial: a named
 * subset; interoperable-via: tenet does not speak it but reaches its systems through another standard;
 * planned / not-planned: not in tenet.
 */
export const STATUSES = ['implemented', 'partial', 'interoperable-via', 'planned', 'not-planned'] as const;
export type StandardStatus = (typeof STATUSES)[number];

/** Statuses that must name the modules and tests showing them. */
export const STATUSES_WITH_EVIDENCE: readonly StandardStatus[] = ['implemented', 'partial'];

const literalUnion = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  );

export const SegmentIdSchema = literalUnion(SEGMENT_IDS, `a segment: one of ${SEGMENT_IDS.join(', ')}`);

const RepoPathSchema = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$',
  description: 'a path inside the repository, relative to its root, with / separators',
});

const sentence = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description });

export const StandardSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      description: 'a kebab-case id, unique in the inventory',
    }),
    name: sentence('the standard as people name it'),
    body: sentence('the body that publishes it: IEEE, IEC, IETF, OpenADR Alliance, ...'),
    version: sentence('the edition or version the entry is about'),
    segments: Type.Array(SegmentIdSchema, { minItems: 1, maxItems: SEGMENTS.length, uniqueItems: true }),
    scope: sentence('what the standard covers, in one sentence'),
    status: literalUnion(STATUSES, `one of ${STATUSES.join(', ')}`),
    modules: Type.Optional(
      Type.Array(RepoPathSchema, {
        maxItems: 40,
        uniqueItems: true,
        description: 'the source files or folders that implement it (implemented or partial)',
      }),
    ),
    tests: Type.Optional(
      Type.Array(RepoPathSchema, {
        maxItems: 40,
        uniqueItems: true,
        description: 'the test files that show conformance (implemented or partial)',
      }),
    ),
    covered: Type.Optional(sentence('what tenet implements of it')),
    notCovered: Type.Optional(sentence('what it does not implement')),
    via: Type.Optional(sentence('for interoperable-via: the standard or gateway that reaches it')),
    note: Type.Optional(sentence('anything else a reader should know (planned work, why not)')),
  },
  { additionalProperties: false },
);

export const StandardsInventorySchema = Type.Object(
  {
    title: sentence('what the inventory is'),
    standards: Type.Array(StandardSchema, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);

export type Standard = Static<typeof StandardSchema>;
export type StandardsInventory = Static<typeof StandardsInventorySchema>;
