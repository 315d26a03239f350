import { Scroll } from './scroll.js';
import { useState } from 'preact/hooks';
import type { MatrixDoc } from './api.js';
import { usePoll } from './poll.js';
import { notYet } from './problem.js';

/** A matrix identity as a peer `policy explain` resolves: the name without its owner kind (`ns/deathstar[Deployment]`). */
export const peerOf = (identity: string) => identity.replace(/\[[^\]]*\]$/, '');

function cellText(c: MatrixDoc['cells'][number]): string {
  if (c.connections !== undefined) return c.connections || 'none';
  if (c.verdict === 'denied' && c.stage === 'l7') return 'denied (L7 403)';
  return c.verdict ?? '?';
}

export function Policy() {
  const [port, setPort] = useState('80/TCP');
  const [asked, setAsked] = useState('80/TCP');
  const matrix = usePoll<MatrixDoc>(`/api/policy/matrix${asked ? `?port=${encodeURIComponent(asked)}` : ''}`, 0);
  const [explained, setExplained] = useState<{ title: string; text: string; failed: boolean } | undefined>();
  const explain = async (from: string, to: string) => {
    const p = asked || '80/TCP';
    const title = `${peerOf(from)} → ${peerOf(to)} port ${p}`;
    setExplained({ title, text: 'Explaining…', failed: false });
    const q = new URLSearchParams({ from: peerOf(from), to: peerOf(to), port: p, output: 'table' });
    const res = await fetch(`/api/policy/explain?${q.toString()}`);
    const text = await res.text();
    if (res.ok) return setExplained({ title, text, failed: false });
    const body = JSON.parse(text) as { error: string; hint?: string };
    setExplained({ title, text: `${body.error}${body.hint ? `\nhint: ${body.hint}` : ''}`, failed: true });
  };
  const wait = notYet(matrix, 'the policy matrix');
  const doc = matrix.state === 'ok' ? matrix.body : undefined;
  return (
    <div>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(port.trim());
        }}
      >
        <label for="policy-port">Port (empty: allowed connections)</label>
        <input id="policy-port" value={port} size={10} onInput={(e) => setPort((e.target as HTMLInputElement).value)} />
        <button type="submit">Show verdicts</button>
      </form>
      {wait ?? null}
      {doc ? (
        <Scroll label="policy matrix, scrollable">
          <table class="matrix">
            <caption>{doc.port === undefined ? 'Allowed connections' : `Verdicts on port ${doc.port}/${doc.protocol}`}, from each row to each column; choose a cell to explain it</caption>
            <thead>
              <tr>
                <th scope="col">from \ to</th>
                {doc.identities.map((i) => (
                  <th scope="col" key={i.name}>{i.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {doc.identities.map((from) => (
                <tr key={from.name}>
                  <th scope="row">{from.name}</th>
                  {doc.identities.map((to) => {
                    const cell = doc.cells.find((c) => c.from === from.name && c.to === to.name);
                    const text = cell ? cellText(cell) : '?';
                    const cls = cell?.verdict === 'allowed' || (cell?.connections && cell.connections !== 'none') ? 'ok' : cell?.verdict === 'unknown' ? 'warn' : 'bad';
                    return (
                      <td key={to.name}>
                        <button type="button" class={`cell ${cls}`} aria-label={`${from.name} to ${to.name}: ${text}. Explain`} onClick={() => void explain(from.name, to.name)}>
                          {text}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ) : null}
      <div class="explain" aria-live="polite">
        {explained ? (
          <>
            <h3>Explain {explained.title}</h3>
            <pre class={explained.failed ? 'problem' : ''} data-explain>{explained.text}</pre>
          </>
        ) : null}
      </div>
    </div>
  );
}
