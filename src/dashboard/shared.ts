/**
 * One collection for every browser asking at once, reused for `freshMs` after it ends: `status`
 * execs into every agent, and three open tabs polling it must not triple that load.
 */
export function sharedFor<T>(collect: () => Promise<T>, freshMs: number, now: () => number = Date.now): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (last && now() - last.at < freshMs) return last.value;
    const value = collect();
    const entry = { at: Number.POSITIVE_INFINITY, value };
    last = entry;
    // fresh from when it ends; a failure is not kept
    value.then(
      () => (entry.at = now()),
      () => {
        if (last === entry) last = undefined;
      },
    );
    return value;
  };
}
