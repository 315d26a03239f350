import { Scroll } from './scroll.js';
import type { VerifyDoc } from './api.js';
import type { Loaded } from './poll.js';
import { notYet } from './problem.js';

const MARK = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' } as const;

/** The last `meshwright verify`: each result red or green, expected against observed. */
export function Verify({ report }: { report: Loaded<VerifyDoc> }) {
  const wait = notYet(report, 'the last verify run');
  if (wait) return wait;
  const doc = (report as { body: VerifyDoc }).body;
  return (
    <div>
      <p>
        {Object.entries(doc.summary)
          .map(([k, v]) => `${v} ${k}`)
          .join(' · ')}{' '}
        <span class="muted">(seed {doc.seed})</span>
      </p>
      <Scroll label="verify results, scrollable">
        <table>
          <caption>Each check's result against what the plan expects</caption>
          <thead>
            <tr>
              <th scope="col">status</th>
              <th scope="col">check</th>
              <th scope="col">cluster</th>
              <th scope="col">subject</th>
              <th scope="col">expected</th>
              <th scope="col">observed</th>
            </tr>
          </thead>
          <tbody>
            {doc.results.map((r, i) => (
              <tr key={i} class={r.status === 'pass' ? 'row-ok' : r.status === 'skip' ? '' : 'row-bad'}>
                <td>
                  <span class={`badge ${r.status === 'pass' ? 'ok' : r.status === 'skip' ? 'muted' : 'bad'}`}>{MARK[r.status]}</span>
                </td>
                <td>{r.check}</td>
                <td>{r.cluster ?? ''}</td>
                <td>{r.subject}</td>
                <td>{r.expected}</td>
                <td>
                  {r.observed}
                  {r.hint ? <div class="hint">{r.hint}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </div>
  );
}
