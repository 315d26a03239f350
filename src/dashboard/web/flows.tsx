import { useEffect, useState } from 'preact/hooks';
import type { FlowEndpoint, FlowRecord } from './api.js';

const KEEP = 200;

interface Filters {
  verdict: string;
  namespace: string;
  pod: string;
  httpPath: string;
}

const who = (e: FlowEndpoint | undefined, ip: string | undefined) => (e?.pod_name ? `${e.namespace}/${e.pod_name}` : (ip ?? '?'));

/** hubble observe's compact line, in parts: time, node, source → destination, what, verdict. */
function FlowRow({ r }: { r: FlowRecord }) {
  const f = r.flow;
  const dropped = f.verdict === 'DROPPED';
  const port = f.l4?.TCP?.destination_port ?? f.l4?.UDP?.destination_port;
  const http = f.l7?.http;
  return (
    <li class={`flow ${dropped ? 'drop' : ''}`} data-verdict={f.verdict}>
      <span class="muted">{r.time.slice(11, 23)}</span> <span class="muted">{r.node_name}</span>{' '}
      <span>
        {who(f.source, f.IP?.source)} <span class="muted">({f.source?.cluster_name ?? '?'})</span> → {who(f.destination, f.IP?.destination)}
        {port ? `:${port}` : ''} <span class="muted">({f.destination?.cluster_name ?? '?'})</span>
      </span>{' '}
      {f.destination_service?.name ? <span class="chip">svc {f.destination_service.namespace}/{f.destination_service.name}</span> : null}
      {http ? <span> {http.method} {http.url}{http.code ? ` ${http.code}` : ''}</span> : null}{' '}
      <strong class={dropped ? 'text-bad' : 'text-ok'}>{f.verdict}</strong>
      {dropped && f.drop_reason_desc ? <strong class="text-bad"> {f.drop_reason_desc}</strong> : null}
      <span class="muted"> {f.Type}{f.traffic_direction ? ` ${f.traffic_direction}` : ''}</span>
    </li>
  );
}

/** The live list (server-sent events), newest first, with hubble observe's filters. */
export function Flows() {
  const [draft, setDraft] = useState<Filters>({ verdict: '', namespace: '', pod: '', httpPath: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [flows, setFlows] = useState<FlowRecord[]>([]);
  const [state, setState] = useState('connecting');
  useEffect(() => {
    const q = new URLSearchParams({ last: String(KEEP) });
    if (filters.verdict) q.set('verdict', filters.verdict);
    if (filters.namespace) q.set('namespace', filters.namespace);
    if (filters.pod) q.set('pod', filters.pod);
    if (filters.httpPath) q.set('http-path', filters.httpPath);
    setFlows([]);
    const source = new EventSource(`/api/flows?${q.toString()}`);
    let pending: FlowRecord[] = [];
    let frame = 0;
    // many flows a second arrive: render them once per frame, not once each
    const flush = () => {
      frame = 0;
      const batch = pending.reverse();
      pending = [];
      setFlows((old) => [...batch, ...old].slice(0, KEEP));
    };
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    source.onmessage = (e: MessageEvent<string>) => {
      pending.push(JSON.parse(e.data) as FlowRecord);
      if (!frame) frame = requestAnimationFrame(flush);
    };
    source.addEventListener('lost', (e) => setState(`live (${(e as MessageEvent<string>).data} flows lost: the page could not keep up)`));
    return () => {
      source.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [filters]);
  const field = (key: keyof Filters) => (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value });
  return (
    <div>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <label for="flow-verdict">Verdict</label>
        <select id="flow-verdict" value={draft.verdict} onChange={field('verdict')}>
          <option value="">any</option>
          <option value="FORWARDED">FORWARDED</option>
          <option value="DROPPED">DROPPED</option>
        </select>
        <label for="flow-namespace">Namespace</label>
        <input id="flow-namespace" value={draft.namespace} size={10} onInput={field('namespace')} />
        <label for="flow-pod">Pod</label>
        <input id="flow-pod" value={draft.pod} size={14} placeholder="[ns/]name" onInput={field('pod')} />
        <label for="flow-path">HTTP path</label>
        <input id="flow-path" value={draft.httpPath} size={12} placeholder="regexp" onInput={field('httpPath')} />
        <button type="submit">Filter</button>
      </form>
      <p class="muted" role="status">
        Flows: {state} · showing {flows.length} (newest first, at most {KEEP})
      </p>
      <ol class="flows" aria-label="flows, newest first" tabIndex={0}>
        {flows.map((r, i) => (
          <FlowRow key={`${r.time}/${r.node_name}/${i}`} r={r} />
        ))}
      </ol>
    </div>
  );
}
