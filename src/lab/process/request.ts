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
