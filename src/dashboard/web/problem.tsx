import type { Loaded } from './poll.js';

/** Loading text or the server's error with its hint; undefined once the document is there. */
export function notYet(loaded: Loaded<unknown>, what: string) {
  if (loaded.state === 'loading') return <p class="muted">Loading {what}…</p>;
  if (loaded.state === 'error')
    return (
      <p class="problem" role="status">
        {loaded.error}
        {loaded.hint ? <span class="hint"> — {loaded.hint}</span> : null}
      </p>
    );
  return undefined;
}
