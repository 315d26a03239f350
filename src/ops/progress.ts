/** What apply reports while it runs; the CLI picks how it is shown. */
export type ProgressEvent =
  | { type: 'start'; step: string; title: string; clusters: string[] }
  | { type: 'waiting'; step: string; cluster: string; what: string }
  | { type: 'cluster'; step: string; cluster: string; outcome: 'changed' | 'unchanged' | 'skipped'; detail: string }
  | { type: 'done'; step: string; outcome: 'changed' | 'unchanged' | 'skipped' | 'failed'; detail: string }
  | { type: 'note'; step: string; message: string };

export interface Progress {
  emit(e: ProgressEvent): void;
  close(): void;
}

export type ProgressMode = 'tty' | 'plain' | 'json';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK = { changed: '✓', unchanged: '=', skipped: '=', failed: '✗' } as const;

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/**
 * TTY: one line per step, redrawn with a spinner, the elapsed time and the current wait
 * ("waiting for 2/2 cilium agents Ready in k8s-cilium-02, 14s"), kept when the step ends.
 * Plain (CI, pipes): one line per event. JSON (`-o json`): one object per line.
 */
export function createProgress(mode: ProgressMode, write: (text: string) => void, now: () => number = Date.now): Progress {
  const t0 = now();
  if (mode === 'json') return { emit: (e) => write(`${JSON.stringify({ ...e, elapsedMs: now() - t0 })}\n`), close: () => undefined };
  if (mode === 'plain') {
    return {
      emit: (e) => {
        const at = `[${secs(now() - t0).padStart(6)}]`;
        if (e.type === 'start') write(`${at} ${e.step}: ${e.title} (${e.clusters.join(', ')})\n`);
        else if (e.type === 'waiting') write(`${at} ${e.step}: waiting for ${e.what}\n`);
        else if (e.type === 'cluster') write(`${at} ${e.step} ${e.cluster}: ${e.outcome}${e.detail ? ` — ${e.detail}` : ''}\n`);
        else if (e.type === 'note') write(`${at} ${e.step}: ${e.message}\n`);
        else write(`${at} ${e.step}: ${e.outcome}${e.detail ? ` — ${e.detail}` : ''}\n`);
      },
      close: () => undefined,
    };
  }
  let current: { step: string; title: string; since: number; what: string } | undefined;
  let frame = 0;
  const draw = () => {
    if (!current) return;
    const wait = current.what ? ` — waiting for ${current.what}` : '';
    write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${current.step}: ${current.title} ${secs(now() - current.since)}${wait}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    emit: (e) => {
      if (e.type === 'start') {
        current = { step: e.step, title: e.title, since: now(), what: '' };
        draw();
      } else if (e.type === 'waiting' && current) {
        current.what = `${e.what}, ${secs(now() - current.since)}`;
        draw();
      } else if (e.type === 'note') {
        write(`\r\x1b[2K  ${e.step}: ${e.message}\n`);
        draw();
      } else if (e.type === 'done') {
        const took = current ? secs(now() - current.since) : '';
        write(`\r\x1b[2K${MARK[e.outcome]} ${e.step}: ${e.outcome} ${took}${e.detail ? ` — ${e.detail}` : ''}\n`);
        current = undefined;
      }
    },
    close: () => clearInterval(timer),
  };
}
