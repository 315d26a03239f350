import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api.js';

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; body: T } | { state: 'error'; error: string; hint?: string };

/** A document fetched now and every `everyMs` after (0: once), until the component goes. */
export function usePoll<T>(path: string | undefined, everyMs: number): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (!path) return;
    let gone = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const r = await getJson<T>(path);
      if (gone) return;
      setLoaded(r.ok ? { state: 'ok', body: r.body } : { state: 'error', error: r.error, ...(r.hint ? { hint: r.hint } : {}) });
      if (everyMs > 0) timer = setTimeout(() => void tick(), everyMs);
    };
    void tick();
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [path, everyMs]);
  return loaded;
}
