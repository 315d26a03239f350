import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import type { LabPki } from '../pki.js';
import { labCurl, TrafficError, type CurlOutcome, type CurlRequest } from './curl.js';
import type { TrafficWorld } from './world.js';

/** The lab-only path `meshwright lab curl` posts to (not an API group: discovery never lists it; runtime.ts repeats it to load this module lazily). */
export const TRAFFIC_PATH = '/lab.meshwright.io/v1/curl';

/** Serves TRAFFIC_PATH inside the lab process, where the mesh's links are known. */
export function trafficHandler(world: () => TrafficWorld): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (req.method !== 'POST') return reply(405, { message: 'POST a curl request' });
      try {
        const parsed = JSON.parse(body) as CurlRequest | { tlsEndpoint: string };
        // verify's question: which loopback endpoint serves a clustermesh-apiserver address
        if ('tlsEndpoint' in parsed) return reply(200, { port: world().meshEndpoint?.(parsed.tlsEndpoint) ?? null });
        reply(200, { results: labCurl(world(), parsed) });
      } catch (err) {
        if (err instanceof TrafficError) return reply(400, { message: err.message, hint: err.hint });
        reply(500, { message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    });
  };
}

/** The CLI's side: one curl request (n repetitions) run by the lab process behind `port`. */
export function requestCurl(port: number, pki: LabPki, req: CurlRequest): Promise<{ results: CurlOutcome[] } | { error: string; hint?: string; status: number }> {
  const data = JSON.stringify(req);
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path: TRAFFIC_PATH, method: 'POST', ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        try {
          const body = JSON.parse(text);
          resolve(res.statusCode === 200 ? body : { error: body.message, hint: body.hint, status: res.statusCode ?? 0 });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    r.on('error', reject);
    r.end(data);
  });
}

/** The loopback port the lab maps a clustermesh-apiserver Service address ("VIP:2379") to, or null when nothing serves it. */
export function requestTlsEndpoint(port: number, pki: LabPki, address: string): Promise<number | null> {
  const data = JSON.stringify({ tlsEndpoint: address });
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path: TRAFFIC_PATH, method: 'POST', ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        try {
          const body = JSON.parse(text) as { port?: number | null; message?: string };
          if (res.statusCode !== 200) reject(new Error(body.message ?? `HTTP ${res.statusCode}`));
          else resolve(body.port ?? null);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    r.on('error', reject);
    r.end(data);
  });
}
