/**
 * Demo controls (`tenet demo` only): the simulated clock's state, pausing, speed and stepping for the
 * market operator, and one login per stakeholder role so a visitor can look through each role's eyes.
 * Registered only when the server is given a demo controller, so `tenet serve` answers 404 here. The
 * logins route takes no token and answers loopback callers only (docs/access.md says why).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import type { Role } from '../auth/roles.js';
import { forbidden, problemResponses } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER } from '../schemas.js';

/** What the routes need of the demo's clock (`ControllableClock` is one). */
export interface DemoClockControl {
  readonly paused: boolean;
  readonly speed: number;
  nowMs(): number;
  pause(): void;
  resume(): void;
  setSpeed(speed: number): void;
  /**
   * Runs a paused clock through `durationMs` (at least at `minSpeed`) and pauses it at the end; throws
   * TE_ERR_CLOCK_RUNNING on a running one.
   */
  runFor(durationMs: number, minSpeed: number): Promise<void>;
}

export interface DemoLogin {
  readonly role: Role;
  readonly label: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly participantId?: string;
}

export interface DemoScenarioInfo {
  readonly seed: number;
  readonly scenario: string;
  /** Homes registered and trading (0 until the community has started). */
  readonly homes: number;
  readonly marketPeriodMs: number;
  /** The scenario's start, where the demo clock began. */
  readonly startMs: number;
}

/** The running demo as the routes see it. Registering the routes calls none of it. */
export interface DemoController {
  readonly clock: DemoClockControl;
  info(): DemoScenarioInfo;
  /** Empty until the demo has registered them. */
  logins(): readonly DemoLogin[];
}

export const DEMO_SPEED_MIN = 1;
export const DEMO_SPEED_MAX = 3600;
/**
 * A step runs the clock through the period rather than jumping it, so the homes bid before the gate and
 * read the clearing before they give up on it, as they do at speed; it takes at most this long (real ms).
 */
export const DEMO_STEP_MAX_REAL_MS = 2000;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const DemoStateSchema = Type.Object(
  {
    paused: Type.Boolean(),
    speed: Type.Number({ description: 'simulated ms per real ms' }),
    nowMs: Type.Integer({ description: 'the demo clock, epoch ms' }),
    seed: Type.Integer({ description: "the scenario's seed; restart with --seed N to change it" }),
    scenario: Type.String(),
    homes: Type.Integer(),
    marketPeriodMs: Type.Integer(),
    startMs: Type.Integer(),
  },
  { additionalProperties: false },
);

const DemoLoginsSchema = Type.Object(
  {
    logins: Type.Array(
      Type.Object(
        {
          role: Type.String(),
          label: Type.String(),
          clientId: Type.String(),
          clientSecret: Type.String(),
          participantId: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function registerDemoRoutes(app: TypedApp, ctx: RouteContext, demo: DemoController): void {
  const state = () => ({
    paused: demo.clock.paused,
    speed: demo.clock.speed,
    nowMs: demo.clock.nowMs(),
    ...demo.info(),
  });
  const announce = () => {
    const nowMs = demo.clock.nowMs();
    ctx.events.publish(
      { type: 'clock-changed', paused: demo.clock.paused, speed: demo.clock.speed, nowMs },
      nowMs,
    );
  };

  app.get(
    '/api/demo',
    {
      schema: {
        operationId: 'getDemo',
        summary: "The demo's clock and scenario (tenet demo only)",
        tags: ['demo'],
        security: BEARER,
        response: { 200: DemoStateSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'demo:read');
      return state();
    },
  );

  app.put(
    '/api/demo/clock',
    {
      schema: {
        operationId: 'putDemoClock',
        summary: 'Pause, resume or set the speed of the demo clock (market operator)',
        tags: ['demo'],
        security: BEARER,
        body: Type.Object(
          {
            paused: Type.Optional(Type.Boolean()),
            speed: Type.Optional(
              Type.Number({
                minimum: DEMO_SPEED_MIN,
                maximum: DEMO_SPEED_MAX,
                description: 'simulated ms per real ms',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: DemoStateSchema, ...problemResponses(404, 413, 415) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'demo:write');
      const { paused, speed } = request.body;
      const before = `${demo.clock.paused}/${demo.clock.speed}`;
      if (speed !== undefined) demo.clock.setSpeed(speed);
      if (paused === true) demo.clock.pause();
      if (paused === false) demo.clock.resume();
      if (`${demo.clock.paused}/${demo.clock.speed}` !== before) announce();
      return state();
    },
  );

  app.post(
    '/api/demo/clock/step',
    {
      schema: {
        operationId: 'stepDemoClock',
        summary: 'Advance the paused demo clock by one market period, answering once there (market operator)',
        tags: ['demo'],
        security: BEARER,
        response: { 200: DemoStateSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      requireScope(callerOf(request), 'demo:write');
      const periodMs = demo.info().marketPeriodMs;
      const stepping = demo.clock.runFor(periodMs, periodMs / DEMO_STEP_MAX_REAL_MS);
      announce();
      await stepping;
      announce();
      return state();
    },
  );

  app.get(
    '/api/demo/logins',
    {
      config: { public: true },
      schema: {
        operationId: 'getDemoLogins',
        summary: 'One client per stakeholder role (demo only, loopback callers only, no token)',
        tags: ['demo'],
        response: { 200: DemoLoginsSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      if (!isLoopback(request)) {
        throw forbidden(
          'the demo logins are given to callers on this machine only',
          'open the dashboard at http://127.0.0.1:8825/ on the machine that runs tenet demo',
        );
      }
      return { logins: demo.logins().map((login) => ({ ...login })) };
    },
  );
}

function isLoopback(request: FastifyRequest): boolean {
  const address = request.socket.remoteAddress;
  return address !== undefined && LOOPBACK.has(address);
}
