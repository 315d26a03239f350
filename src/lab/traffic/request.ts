import type { LabPki } from '../pki.js';
import { labRequest } from '../process/request.js';
import type { CurlOutcome, CurlRequest } from './curl.js';

/** The lab-only path `meshwright lab curl` posts to (not an API group: discovery never lists it; runtime.ts repeats it to load the server side lazily). */
export const TRAFFIC_PATH = '/lab.meshwright.io/v1/curl';

/** The CLI's side: one curl request (n repetitions) run by the lab process behind `port`. */
export async function requestCurl(port: number, pki: LabPki, req: CurlRequest): Promise<{ results: CurlOutcome[] } | { error: string; hint?: string; status: number }> {
  const r = await labRequest(port, pki, TRAFFIC_PATH, req);
  return r.status === 200 ? r.body : { error: r.body.message, hint: r.body.hint, status: r.status };
}

/** The loopback port the lab maps a clustermesh-apiserver Service address ("VIP:2379") to, or null when nothing serves it. */
export async function requestTlsEndpoint(port: number, pki: LabPki, address: string): Promise<number | null> {
  const r = await labRequest(port, pki, TRAFFIC_PATH, { tlsEndpoint: address });
  if (r.status !== 200) throw new Error(r.body.message ?? `HTTP ${r.status}`);
  return (r.body as { port?: number | null }).port ?? null;
}
