/**
 * The scenario file schema: the one source of truth for what a scenario may say. The same schema
 * validates YAML files and documents the defaults.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MARKET_DESIGN_NAMES } from '../market-design.js';

const share = (description: string, defaultValue: number) =>
  Type.Number({ minimum: 0, maximum: 1, default: defaultValue, description });

const DerShareSchema = (shareDefault: number, what: string) =>
  Type.Object(
    {
      share: share(`share of homes with ${what} (0..1)`, shareDefault),
      transactiveShare: share(
        `share of those ${what} that follow the market (0..1); the rest run plain control`,
        1,
      ),
    },
    { additionalProperties: false, default: {} },
  );

export const PopulationSchema = Type.Object(
  {
    homes: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: 'number of homes behind the substation',
    }),
    hvac: DerShareSchema(1, 'HVAC'),
    waterHeater: DerShareSchema(0.4, 'an electric water heater'),
    pv: DerShareSchema(0.25, 'rooftop PV'),
    battery: DerShareSchema(0.1, 'a home battery'),
    ev: DerShareSchema(0.1, 'an electric vehicle'),
    comfortSlider: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description: 'mean comfort setting of transactive thermostats: 0 = most comfort, 1 = most savings',
    }),
  },
  { additionalProperties: false },
);

export const MarketSchema = Type.Object(
  {
    mechanism: Type.Union(
      MARKET_DESIGN_NAMES.map((name) => Type.Literal(name)),
      {
        default: 'uniform-price-double-auction',
        description: `one of ${MARKET_DESIGN_NAMES.join(', ')}`,
      },
    ),
    priceCapPerKwh: Type.Number({ exclusiveMinimum: 0, maximum: 1e6, default: 1 }),
    bidOffsetPerKwh: Type.Number({ minimum: 0, maximum: 1, default: 0.0001 }),
    mustRunPricePerKwh: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1e6,
        description:
          'what must-run demand bids (default: the price cap); a reservation price such as the retail tariff suits designs where buyers pay their own bids',
      }),
    ),
    initialPriceMeanPerKwh: Type.Optional(
      Type.Number({ description: 'starting mean of the price statistics; default: mean wholesale price' }),
    ),
    initialPriceStdevPerKwh: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    priceStatisticsWindowHours: Type.Number({ exclusiveMinimum: 0, maximum: 720, default: 24 }),
    aggregator: Type.Optional(
      Type.Object(
        {
          share: Type.Number({
            minimum: 0,
            maximum: 1,
            description: 'share of homes that bid through the aggregator',
          }),
          marginPerKwh: Type.Number({
            minimum: 0,
            maximum: 1,
            default: 0.005,
            description: "the aggregator's margin",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    dayAheadPositions: Type.Boolean({
      default: false,
      description:
        'homes buy their expected hourly consumption day ahead (forward tenders) and settle only deviations in real time',
    }),
    gridFees: Type.Object(
      {
        gridPerKwh: Type.Number({
          minimum: 0,
          maximum: 10,
          default: 0,
          description: 'fee for crossing the wholesale grid area',
        }),
        substationPerKwh: Type.Number({
          minimum: 0,
          maximum: 10,
          default: 0,
          description: 'fee for crossing the substation',
        }),
        localPerKwh: Type.Number({
          minimum: 0,
          maximum: 10,
          default: 0,
          description: 'fee of each local area (feeder bus) crossed',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export const WholesaleSchema = Type.Object(
  {
    pricePerKwhByHour: Type.Array(Type.Number({ minimum: -1e6, maximum: 1e6 }), {
      minItems: 24,
      maxItems: 24,
      description: 'wholesale price in each local hour of the day, 0 to 23',
    }),
    substationCapacityKw: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
    marginalEmissionsKgPerKwhByHour: Type.Optional(
      Type.Array(Type.Number({ minimum: 0, maximum: 10 }), {
        minItems: 24,
        maxItems: 24,
        description:
          'marginal CO2 emission factor of grid energy in each local hour, kg/kWh (imports emit, exports avoid)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RetailSchema = Type.Object(
  {
    fixedTariffPerKwh: Type.Number({
      minimum: 0,
      maximum: 1e6,
      default: 0.12,
      description: 'baseline energy price',
    }),
    distributionChargePerKwh: Type.Number({
      minimum: 0,
      maximum: 1e6,
      default: 0.04,
      description: 'added to the clearing price for transactive customers',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const FeederSchema = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description:
        'feeder directory (Kersting or radial CSV) or OpenDSS .dss file, relative to the scenario file',
    }),
    backgroundLoadFactor: Type.Number({
      minimum: 0,
      maximum: 10,
      default: 0,
      description: "share of the feeder's published loads kept as background load beside the homes",
    }),
    regulators: Type.Union([Type.Literal('automatic'), Type.Literal('as-given')], {
      default: 'automatic',
      description: "'automatic' gives regulators with only fixed taps a 122 V ± 1 V band control",
    }),
    pvInverters: Type.Union([Type.Literal('volt-var'), Type.Literal('unity-power-factor')], {
      default: 'volt-var',
      description:
        "PV inverters' IEEE 1547 reactive power mode (Category B defaults), solved with the feeder",
    }),
    operatingEnvelopes: Type.Boolean({
      default: true,
      description: "limit each home's bids to the import and export its connection can take",
    }),
    envelopeDelivery: Type.Optional(
      Type.Union([Type.Literal('direct'), Type.Literal('ieee2030.5-csip-aus')], {
        default: 'direct',
        description:
          "how the envelopes reach the homes: 'direct', or as IEEE 2030.5 DERControls with the CSIP-AUS " +
          'opModExpLimW/opModImpLimW, written as XML and read back by the client each slot (whole watts, rounded down)',
      }),
    ),
  },
  { additionalProperties: false },
);

const LocalHour = (description: string, defaultValue: number, maximum: number) =>
  Type.Integer({ minimum: 0, maximum, default: defaultValue, description });

/** How a pilot is judged: measurement and verification, the control group, the metrics shown first. */
export const EvaluationSchema = Type.Object(
  {
    historyDays: Type.Integer({
      minimum: 0,
      maximum: 60,
      default: 0,
      description:
        'days simulated before start without the market (the pre-period): history for the 10-in-10 and weather-regression baselines and for training forecasts',
    }),
    peakWindow: Type.Object(
      {
        startHour: LocalHour('first local hour of the daily peak window', 16, 23),
        endHour: LocalHour('local hour the daily peak window ends (exclusive)', 21, 24),
      },
      { additionalProperties: false, default: {} },
    ),
    events: Type.Array(
      Type.Object(
        {
          start: Type.String({ description: 'ISO 8601 date-time with offset' }),
          end: Type.String({ description: 'ISO 8601 date-time with offset' }),
        },
        { additionalProperties: false },
      ),
      {
        maxItems: 1000,
        default: [],
        description: 'demand response events inside the horizon; none: the peak window of each simulated day',
      },
    ),
    controlShare: Type.Number({
      minimum: 0,
      maximum: 0.9,
      default: 0,
      description:
        'share of homes randomly assigned (from the seed) to a control group that stays on the fixed tariff and plain control in the market run',
    }),
    loadGrowthPercentPerYear: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 50,
        description:
          "yearly growth of the substation's peak load, percent: turns the peak the market removes into years a substation upgrade is deferred",
      }),
    ),
    confidenceLevel: Type.Number({
      minimum: 0.5,
      maximum: 0.999,
      default: 0.95,
      description: 'confidence level of the intervals on treatment effects',
    }),
    keyMetrics: Type.Array(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }), {
      maxItems: 20,
      default: [],
      description: 'ids from the KPI catalogue (docs/kpis.md) shown first in the report',
    }),
  },
  { additionalProperties: false, default: {} },
);

/** Load and PV forecasts the strategies bid on, and how they are scored. */
export const ForecastSchema = Type.Object(
  {
    model: Type.Union(
      [Type.Literal('perfect'), Type.Literal('persistence'), Type.Literal('seasonal-regression')],
      {
        default: 'seasonal-regression',
        description:
          "'perfect' uses the baseline run's metered load (an upper bound); the others learn from the pre-period",
      },
    ),
    usedBy: Type.Array(
      Type.Union([Type.Literal('day-ahead-positions'), Type.Literal('battery'), Type.Literal('ev')]),
      { maxItems: 4, default: [], description: 'which strategies bid on the forecasts' },
    ),
    costOfError: Type.Boolean({
      default: false,
      description: 'run the market once more with perfect forecasts to price the forecast error',
    }),
  },
  // No default: a scenario without `forecast` scores no forecasts (it costs ~0.5 s per 1,000 homes and day).
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    extends: Type.Optional(
      Type.String({ minLength: 1, description: 'a scenario file this one builds on, relative to this file' }),
    ),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000, default: '' }),
    seed: Type.Integer({ minimum: 0, maximum: 4294967295, default: 1 }),
    start: Type.String({ description: 'ISO 8601 date-time with offset, e.g. 2026-07-15T00:00:00-07:00' }),
    end: Type.String({ description: 'ISO 8601 date-time with offset; the horizon is [start, end)' }),
    marketPeriodMinutes: Type.Number({ exclusiveMinimum: 0, maximum: 1440, default: 5 }),
    weather: Type.String({ minLength: 1, description: 'TMY3 file, relative to the scenario file' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' }),
    market: MarketSchema,
    wholesale: WholesaleSchema,
    retail: RetailSchema,
    population: PopulationSchema,
    feeder: Type.Optional(FeederSchema),
    evaluation: EvaluationSchema,
    forecast: Type.Optional(ForecastSchema),
  },
  { additionalProperties: false },
);

export type ScenarioDocument = Static<typeof ScenarioSchema>;
export type PopulationSpec = Static<typeof PopulationSchema>;
export type FeederSpec = Static<typeof FeederSchema>;
export type EvaluationSpec = Static<typeof EvaluationSchema>;
export type ForecastSpec = Static<typeof ForecastSchema>;
export type DerShareSpec = Static<ReturnType<typeof DerShareSchema>>;
