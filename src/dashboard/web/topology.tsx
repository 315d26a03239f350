import type { PlanDoc, StatusDoc } from './api.js';
import type { Loaded } from './poll.js';
import { notYet } from './problem.js';

const LINK_TEXT = { connected: 'connected', down: 'down', unknown: 'unknown' } as const;

/** A link's state as status names it, with the reason when it is down (CA mismatch, unreachable …). */
function linkClass(state: string, reason?: string): string {
  if (state === 'connected') return 'ok';
  if (reason === 'certificate from another CA' || reason === 'certificate not valid') return 'ca';
  return 'bad';
}

export function Topology({ status, plan }: { status: Loaded<StatusDoc>; plan: Loaded<PlanDoc> }) {
  const wait = notYet(status, 'the mesh status');
  if (wait) return wait;
  const doc = (status as { body: StatusDoc }).body;
  const planned = plan.state === 'ok' ? plan.body : undefined;
  return (
    <div>
      <p class="muted">
        {doc.platform} · {doc.simulated ? 'simulated lab · ' : ''}observed {doc.observedAt} ·{' '}
        <strong class={doc.ok ? 'text-ok' : 'text-bad'}>{doc.ok ? 'mesh ready' : 'mesh not ready'}</strong>
      </p>
      <ul class="clusters">
        {doc.clusters.map((c) => {
          const spec = planned?.clusters.find((p) => p.name === c.name);
          const vips = planned?.loadBalancers.filter((l) => l.cluster === c.name && l.ip) ?? [];
          return (
            <li class="card" key={c.name} data-cluster={c.name}>
              <h3>
                {c.name} <span class={`badge ${c.reachable ? 'ok' : 'bad'}`}>{c.reachable ? 'reachable' : 'unreachable'}</span>
              </h3>
              <p>
                Kubernetes {c.version || '?'} · nodes ready {c.nodes.ready}/{c.nodes.total}
              </p>
              {spec ? (
                <ul class="plain">
                  {spec.nodes.map((n) => (
                    <li key={n.name}>
                      {n.name} <span class="muted">{n.address} · {n.role}{c.nodes.notReady.includes(n.name) ? ' · not ready' : ''}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {vips.length ? (
                <p>
                  VIPs:{' '}
                  {vips.map((v) => (
                    <span class="chip" key={`${v.namespace}/${v.name}`} title={`${v.namespace}/${v.name}`}>
                      {v.ip} {v.namespace}/{v.name}
                    </span>
                  ))}
                </p>
              ) : null}
              {c.problems.map((p) => (
                <p class="problem" key={p}>{p}</p>
              ))}
            </li>
          );
        })}
      </ul>
      <h3>Mesh links</h3>
      {doc.links.length ? (
        <ul class="links">
          {doc.links.map((l) => (
            <li key={`${l.from}>${l.to}`} class={`link ${linkClass(l.state, l.reason)}`} data-link={`${l.from}>${l.to}`}>
              <span>{l.from} → {l.to}</span> <strong>{LINK_TEXT[l.state]}</strong>
              {l.reason ? <span> · {l.reason === 'certificate from another CA' ? 'CA mismatch' : l.reason}</span> : null}
              {l.detail ? <span class="muted"> · {l.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No mesh links: the platform has one cluster, or the mesh is off.</p>
      )}
    </div>
  );
}
