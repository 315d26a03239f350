import { Scroll } from './scroll.js';
import type { LiveShare, PlanDoc } from './api.js';
import type { Loaded } from './poll.js';
import { notYet } from './problem.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Per global service and client cluster: backends per cluster, the plan's share, and the live share counted from flows. */
export function Services({ plan, live }: { plan: Loaded<PlanDoc>; live: Loaded<{ shares: LiveShare[] }> }) {
  const wait = notYet(plan, 'the plan');
  if (wait) return wait;
  const rows = (plan as { body: PlanDoc }).body.globalServices;
  if (!rows.length) return <p class="muted">The plan has no global services.</p>;
  const shares = live.state === 'ok' ? live.body.shares : [];
  return (
    <Scroll label="shares per service, scrollable">
      <table>
        <caption>Requests per backend cluster: the plan's prediction against the live share of requests seen in flows</caption>
        <thead>
          <tr>
            <th scope="col">service</th>
            <th scope="col">from cluster</th>
            <th scope="col">to cluster</th>
            <th scope="col">backends</th>
            <th scope="col">predicted</th>
            <th scope="col">live</th>
            <th scope="col">requests</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((s) => {
            const seen = shares.find((l) => l.namespace === s.namespace && l.name === s.name && l.client === s.client);
            const clusters = [...new Set([...Object.keys(s.backends), ...Object.keys(seen?.requests ?? {})])].sort();
            return clusters.map((to, i) => {
              const n = seen?.requests[to] ?? 0;
              return (
                <tr key={`${s.namespace}/${s.name}/${s.client}/${to}`} data-share={`${s.namespace}/${s.name}/${s.client}/${to}`}>
                  {i === 0 ? (
                    <>
                      <th scope="rowgroup" rowSpan={clusters.length}>{s.namespace}/{s.name}</th>
                      <td rowSpan={clusters.length}>{s.client}</td>
                    </>
                  ) : null}
                  <td>{to}</td>
                  <td>{s.backends[to] ?? 0}</td>
                  <td>{s.share[to] === undefined ? '—' : pct(s.share[to])}</td>
                  <td class="live">{seen?.total ? pct(n / seen.total) : '—'}</td>
                  <td class="count">{n}</td>
                </tr>
              );
            });
          })}
        </tbody>
      </table>
    </Scroll>
  );
}
