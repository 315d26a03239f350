import type { IncomingMessage, ServerResponse } from 'node:http';
import { labJsonHandler, LabRequestError } from '../process/request.js';
import { labCurl, TrafficError, type CurlRequest } from './curl.js';
import { TRAFFIC_PATH } from './request.js';
import type { TrafficWorld } from './world.js';

export { TRAFFIC_PATH };

/** Serves TRAFFIC_PATH inside the lab process, where the mesh's links are known. */
export function trafficHandler(world: () => TrafficWorld): (req: IncomingMessage, res: ServerResponse) => void {
  return labJsonHandler(
    (method, body) => {
      if (method !== 'POST') throw new LabRequestError(405, 'POST a curl request');
      const parsed = JSON.parse(body) as CurlRequest | { tlsEndpoint: string };
      // verify's question: which loopback endpoint serves a clustermesh-apiserver address
      if ('tlsEndpoint' in parsed) return { port: world().meshEndpoint?.(parsed.tlsEndpoint) ?? null };
      return { results: labCurl(world(), parsed) };
    },
    (err): err is TrafficError => err instanceof TrafficError,
  );
}
