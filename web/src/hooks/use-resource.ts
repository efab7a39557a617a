/**
 * Data for a panel: loads once, reloads when its inputs change, and again when one of the named live
 * events arrives, at most once per `minIntervalMs` however many arrive (with 1,000 devices the stream
 * is busy; panels must not refetch per event). Keeps showing the last data while reloading.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

export interface ResourceOptions {
  /** Live event types that make the data stale. */
  readonly refreshOn?: readonly string[];
  readonly minIntervalMs?: number;
  /** Reload on a timer as well, ms (for data no event announces). */
  readonly pollMs?: number;
}

export function useResource<T>(
  load: () => Promise<T>,
  inputs: readonly unknown[],
  options: ResourceOptions = {},
): Resource<T> {
  const { events } = useApp();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const lastLoadMs = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let current = true;
    lastLoadMs.current = performance.now();
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // The caller names the inputs the load depends on, as with useEffect.
  }, [...inputs, generation]);

  const minIntervalMs = options.minIntervalMs ?? 1_000;
  const refreshOn = (options.refreshOn ?? []).join(',');
  useEffect(() => {
    if (refreshOn === '') return;
    const stale = () => {
      if (pending.current !== undefined) return;
      const waitMs = Math.max(0, lastLoadMs.current + minIntervalMs - performance.now());
      pending.current = setTimeout(() => {
        pending.current = undefined;
        setGeneration((g) => g + 1);
      }, waitMs);
    };
    const unsubscribes = refreshOn.split(',').map((type) => events.on(type, stale));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      clearTimeout(pending.current);
      pending.current = undefined;
    };
  }, [events, refreshOn, minIntervalMs]);

  useEffect(() => {
    if (options.pollMs === undefined) return;
    const timer = setInterval(() => setGeneration((g) => g + 1), options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs]);

  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
