/** The server's documents, as `meshwright … -o json` prints them (only the fields the page reads). */

export interface LinkStatus { from: string; to: string; state: 'connected' | 'down' | 'unknown'; reason?: string; detail?: string }
export interface ClusterStatus { name: string; reachable: boolean; error?: string; simulated: boolean; version: string; nodes: { ready: number; total: number; notReady: string[] }; problems: string[] }
export interface StatusDoc { platform: string; simulated: boolean; observedAt: string; ok: boolean; clusters: ClusterStatus[]; links: LinkStatus[] }

export interface PlanDoc {
  clusters: { name: string; id: number; nodes: { name: string; address: string; role: string }[] }[];
  loadBalancers: { cluster: string; namespace: string; name: string; ip: string | null }[];
  globalServices: { namespace: string; name: string; client: string; backends: Record<string, number>; share: Record<string, number>; note?: string }[];
}
export interface LiveShare { namespace: string; name: string; client: string; requests: Record<string, number>; total: number }

export interface MatrixDoc { port?: number; protocol?: string; identities: { name: string; cluster: string; pods: number }[]; cells: { from: string; to: string; verdict?: string; stage?: string; connections?: string; unmodelled?: string }[] }

export interface VerifyResult { check: string; cluster?: string; subject: string; status: 'pass' | 'fail' | 'error' | 'skip'; expected: string; observed: string; hint?: string }
export interface VerifyDoc { platform: string; seed: number; summary: Record<string, number>; results: VerifyResult[] }

export interface FlowEndpoint { cluster_name?: string; namespace?: string; pod_name?: string; identity?: number; labels?: string[] }
export interface FlowRecord {
  node_name: string;
  time: string;
  flow: {
    verdict?: string;
    drop_reason_desc?: string;
    Type?: string;
    traffic_direction?: string;
    is_reply?: boolean;
    IP?: { source?: string; destination?: string };
    l4?: { TCP?: { destination_port?: number }; UDP?: { destination_port?: number } };
    source?: FlowEndpoint;
    destination?: FlowEndpoint;
    destination_service?: { name?: string; namespace?: string };
    l7?: { type?: string; http?: { method?: string; url?: string; code?: number } };
  };
}

/** A JSON document of this server, or the error it answered with. */
export async function getJson<T>(path: string): Promise<{ ok: true; body: T } | { ok: false; error: string; hint?: string }> {
  try {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    const body = (await res.json()) as T & { error?: string; hint?: string };
    if (!res.ok) return { ok: false, error: body.error ?? `HTTP ${res.status}`, ...(body.hint ? { hint: body.hint } : {}) };
    return { ok: true, body };
  } catch (err) {
    return { ok: false, error: `the dashboard server does not answer (${(err as Error).message})` };
  }
}
