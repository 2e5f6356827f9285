/**
 * Data that stays fresh: loaded at once, then again `POLL_MS` after each load ends while the page is
 * visible (a hidden tab sends nothing; showing it again reloads at once). An error keeps the last
 * data and is shown beside it; the next load that succeeds clears it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { POLL_MS } from '../settings.js';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again now (after an action, say). */
  refresh: () => void;
}

/** Polls `load`; a new `key` (what the data is of) starts over. `enabled: false` loads once. */
export function usePolling<T>(load: () => Promise<T>, key: string, options: { enabled?: boolean } = {}): Polled<T> {
  const [state, setState] = useState<{ key: string; data: T | undefined; error: unknown; loading: boolean }>({ key, data: undefined, error: undefined, loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const refreshRef = useRef<() => void>(() => undefined);
  const enabled = options.enabled ?? true;

  useEffect(() => {
    let stopped = false;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ key, data: undefined, error: undefined, loading: true });

    const schedule = (): void => {
      clearTimeout(timer);
      if (enabled && document.visibilityState === 'visible') timer = setTimeout(() => void run(), POLL_MS);
    };
    const run = async (): Promise<void> => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      try {
        const data = await loadRef.current();
        if (!stopped) setState({ key, data, error: undefined, loading: false });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, key, error, loading: false }));
      } finally {
        running = false;
        if (again) {
          again = false;
          void run();
        } else if (!stopped) schedule();
      }
    };
    const onVisibility = (): void => {
      if (document.visibilityState === 'visible') void run();
      else clearTimeout(timer);
    };
    refreshRef.current = () => void run();
    document.addEventListener('visibilitychange', onVisibility);
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [key, enabled]);

  const current = state.key === key ? state : { data: undefined, error: undefined, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, refresh: () => refreshRef.current() };
}
