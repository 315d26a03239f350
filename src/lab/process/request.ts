import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import type { LabPki } from '../pki.js';

/**
 * One request of the CLI to a lab-only path of the lab process (lab curl, lab fault, the
 * clustermesh endpoint lookup): HTTPS on 127.0.0.1 with the lab's client certificate, a JSON body
 * either way.
 */
export function labRequest(port: number, pki: LabPki, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const data = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
    const r = request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    r.on('error', reject);
    r.end(data);
  });
}

/** A refusal a lab-only endpoint answers with its own status (405 for a method it does not take). */
export class LabRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The lab process's side of `labRequest`: reads the JSON body, answers what `handle` returns with
 * 200, a user's mistake (`isUserError`: message and hint) with 400, a LabRequestError with its
 * status, anything else (a bug) with 500 and its stack.
 */
export function labJsonHandler(handle: (method: string, body: string) => unknown, isUserError: (err: unknown) => err is Error & { hint?: string }): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      Promise.resolve()
        .then(() => handle(req.method ?? 'GET', body))
        .then(
          (data) => reply(200, data),
          (err: unknown) => {
            if (err instanceof LabRequestError) reply(err.status, { message: err.message });
            else if (isUserError(err)) reply(400, { message: err.message, hint: err.hint });
            else reply(500, { message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          },
        );
    });
  };
}
