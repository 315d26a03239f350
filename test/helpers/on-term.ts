/**
 * Clean-ups that must also run when a test file is stopped half-way, as Stryker's tap runner
 * stops one at its first failure (tapProcess.kill(), SIGTERM; its hook then calls process.exit):
 * `after` hooks never run then, and temp folders (or an etcd) would outlive the run. Pending
 * clean-ups run at exit, or on SIGTERM when nothing else handles it; each at most once. The
 * returned function unregisters one (call it from the normal clean-up path).
 */
const pending = new Set<() => void>();
let listening = false;

function runPending(): void {
  for (const fn of pending) {
    try {
      fn();
    } catch {
      // best effort: the process is going away
    }
  }
  pending.clear();
}

export function onTerm(fn: () => void): () => void {
  if (!listening) {
    listening = true;
    process.once('exit', runPending);
    process.once('SIGTERM', () => {
      runPending();
      // Die of the signal as before, so whoever stopped us sees the same exit.
      process.kill(process.pid, 'SIGTERM');
    });
  }
  pending.add(fn);
  return () => {
    pending.delete(fn);
  };
}
