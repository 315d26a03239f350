import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LabPki } from '../pki.js';
import { labJsonHandler, LabRequestError, labRequest } from '../process/request.js';
import type { Fault, FaultSpec } from './fault.js';
import { FaultError, type LabFaults } from './drills.js';

/** The lab-only path `meshwright lab fault` posts to (like lab curl's: never in discovery). */
export const FAULT_PATH = '/lab.meshwright.io/v1/faults';

export type FaultRequest = { cluster: string; fault: FaultSpec } | { cluster: string; clear: true };
export type FaultReply = { injected?: Fault; cleared?: Fault[]; faults: Array<Fault & { description: string }> };

/** Serves FAULT_PATH inside the lab process, which owns the mesh and the stores. */
export function faultHandler(faults: LabFaults): (req: IncomingMessage, res: ServerResponse) => void {
  return labJsonHandler(
    async (method, body) => {
      if (method === 'GET') return { faults: faults.list() };
      if (method !== 'POST') throw new LabRequestError(405, 'GET the faults or POST one');
      const r = JSON.parse(body) as FaultRequest;
      if ('clear' in r) return { cleared: await faults.clear(r.cluster), faults: faults.list() } satisfies FaultReply;
      return { injected: await faults.inject(r.cluster, r.fault), faults: faults.list() } satisfies FaultReply;
    },
    (err): err is FaultError => err instanceof FaultError,
  );
}

/** The CLI's side: one fault request to the lab process behind `port`. */
export async function requestFault(port: number, pki: LabPki, req: FaultRequest | undefined): Promise<FaultReply | { error: string; hint?: string; status: number }> {
  const r = await labRequest(port, pki, FAULT_PATH, req);
  return r.status === 200 ? r.body : { error: r.body.message, hint: r.body.hint, status: r.status };
}
