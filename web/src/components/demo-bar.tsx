/**
 * The demo's clock in the header (`tenet demo` only; nothing outside demo mode): simulated time, speed
 * and seed, live from `clock-changed`. The market operator pauses and resumes it, steps one market
 * period while paused and sets the speed; every other role sees it read-only (the server refuses them
 * anyway: demo:write is the operator's alone).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, problemFromResponse } from '../api/problem';
import { useApp } from '../app-context';
import { formatDateTime } from '../format';
import { simulatedNowMs, speedOptions, type DemoClockState } from '../roles/demo-clock';
import { ErrorNotice } from './panel';

/** GET /api/demo (contract C). */
export interface DemoInfo extends DemoClockState {
  readonly seed: number;
  readonly scenario: string;
  readonly homes: number;
  readonly marketPeriodMs: number;
  readonly startMs: number;
}

export interface DemoClock {
  /** 'loading' until /api/demo answered; 'off' outside demo mode (time is the wall clock). */
  readonly status: 'loading' | 'demo' | 'off';
  readonly info: DemoInfo | undefined;
  /** Simulated now in the demo, the wall clock otherwise. */
  readonly nowMs: () => number;
  /** Replaces the state with the server's answer to a control. */
  readonly update: (info: DemoInfo) => void;
}

/** The demo's clock, read once and kept current from `clock-changed` events. */
export function useDemoClock(): DemoClock {
  const { session, events } = useApp();
  const [info, setInfo] = useState<DemoInfo | undefined>(undefined);
  const [status, setStatus] = useState<DemoClock['status']>('loading');
  const received = useRef({ state: undefined as DemoInfo | undefined, atMs: 0 });

  const accept = (next: DemoInfo) => {
    received.current = { state: next, atMs: performance.now() };
    setInfo(next);
    setStatus('demo');
  };

  useEffect(() => {
    let current = true;
    demoRequest(session.token, 'GET', '/api/demo').then(
      (answer) => current && accept(answer),
      () => current && setStatus('off'),
    );
    const unsubscribe = events.on('clock-changed', (event) => {
      const previous = received.current.state;
      if (previous === undefined) return;
      accept({
        ...previous,
        paused: event.paused === true,
        speed: typeof event.speed === 'number' ? event.speed : previous.speed,
        nowMs: typeof event.nowMs === 'number' ? event.nowMs : previous.nowMs,
      });
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [session.token, events]);

  return {
    status,
    info,
    nowMs: () => {
      const { state, atMs } = received.current;
      return state === undefined ? Date.now() : simulatedNowMs(state, performance.now() - atMs);
    },
    update: accept,
  };
}

export function DemoBar() {
  const { session } = useApp();
  const clock = useDemoClock();
  const [, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const info = clock.info;
  const running = info !== undefined && !info.paused;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTick((t) => t + 1), 1_000);
    return () => clearInterval(timer);
  }, [running]);

  if (clock.status !== 'demo' || info === undefined) return null;
  const operator = session.role === 'market-operator';
  const control = (method: 'PUT' | 'POST', path: string, body?: object) => {
    setBusy(true);
    setError(undefined);
    demoRequest(session.token, method, path, body).then(
      (answer) => {
        clock.update(answer);
        setBusy(false);
      },
      (problem: unknown) => {
        setError(problem);
        setBusy(false);
      },
    );
  };

  return (
    <div class="demo-bar" data-testid="demo-bar">
      <span
        class="demo-time"
        title="simulated time"
        data-testid="demo-time"
        data-now-ms={String(clock.nowMs())}
      >
        {formatDateTime(clock.nowMs())}
      </span>
      <span class={info.paused ? 'demo-state demo-paused' : 'demo-state'} data-testid="demo-state">
        {info.paused ? 'paused' : `${info.speed}×`}
      </span>
      <span class="demo-seed" title={`scenario ${info.scenario}, ${info.homes} homes`}>
        seed {info.seed}
      </span>
      {operator && (
        <span class="demo-controls">
          <button
            type="button"
            disabled={busy}
            data-testid="demo-pause"
            onClick={() => control('PUT', '/api/demo/clock', { paused: !info.paused })}
          >
            {info.paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            disabled={busy || !info.paused}
            title={info.paused ? 'advance one market period' : 'pause the clock to step it'}
            data-testid="demo-step"
            onClick={() => control('POST', '/api/demo/clock/step')}
          >
            Step
          </button>
          <select
            aria-label="Clock speed"
            data-testid="demo-speed"
            disabled={busy}
            value={String(info.speed)}
            onChange={(e) => control('PUT', '/api/demo/clock', { speed: Number(e.currentTarget.value) })}
          >
            {speedOptions(info.speed).map((speed) => (
              <option key={speed} value={String(speed)}>
                {speed}×
              </option>
            ))}
          </select>
        </span>
      )}
      {error !== undefined && <ErrorNotice error={error} compact />}
    </div>
  );
}

/**
 * The demo routes are served only under `tenet demo`, so the generated client (built from a server
 * without a demo) does not know them: a plain fetch against contract C.
 */
async function demoRequest(token: string, method: string, path: string, body?: object): Promise<DemoInfo> {
  const response = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await problemFromResponse(response);
  const answer = (await response.json()) as DemoInfo;
  if (typeof answer.nowMs !== 'number') {
    throw new ApiProblem({
      status: response.status,
      title: 'Unexpected answer',
      detail: 'the demo clock answered without its time',
    });
  }
  return answer;
}
