import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { getObj } from '../controllers/kit.js';
import { ApiError, badRequest, notFound, type StatusBody } from '../api/status.js';
import type { Obj } from '../store/log-store.js';
import { runCommand, type ExecContext } from './commands.js';
import { portForwardUpgrade } from '../observer/port-forward.js';

/** The remote command protocols the lab speaks, newest first (k8s.io/apimachinery pkg/util/remotecommand constants.go). */
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const CHANNEL = { stdout: 1, stderr: 2, error: 3 } as const;

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

/**
 * The `upgrade` requests of one cluster's API server: `kubectl exec` over WebSocket
 * (`v5.channel.k8s.io`: binary messages whose first byte is the channel — 1 stdout, 2 stderr,
 * 3 the error channel carrying a Status — then a close); port-forward over WebSocket as the
 * kubelet speaks it to client-node (../observer/port-forward.ts). SPDY/3.1 (kubectl's fallback,
 * and what kubectl < 1.30 sends) and attach are refused with a Status. The request is
 * checked first the way the apiserver checks it, so a missing pod or container gives the same
 * error on either protocol (kubectl falls back to SPDY on any failed WebSocket upgrade).
 */
export function execUpgradeHandler(ctx: () => ExecContext) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered: Set<string>) => PROTOCOLS.find((p) => offered.has(p)) ?? false });
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => void upgrade(req, socket, head);
  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'https://lab');
      const m = PATH.exec(url.pathname);
      if (!m) throw badRequest(`the server could not find the requested resource (${url.pathname} cannot be upgraded)`);
      const [, ns, name, sub] = m as unknown as [string, string, string, string];
      const c = ctx();
      const pod = getObj(c.api, 'core/pods', decodeURIComponent(ns), decodeURIComponent(name));
      if (!pod) throw notFound({ group: '', resource: 'pods' }, decodeURIComponent(name));
      if (sub === 'portforward' && c.forward) {
        if (pod.status?.phase !== 'Running') throw badRequest(`unable to upgrade connection: pod ${pod.metadata.name} is not running`);
        return portForwardUpgrade(req, socket, head, pod, url, c.forward);
      }
      if (sub !== 'exec') throw badRequest(`${sub} is not simulated by this meshwright lab (exec and hubble-relay's port-forward only)`);
      const container = url.searchParams.get('container') || pod.spec?.containers?.[0]?.name;
      if (!(pod.spec?.containers ?? []).some((x: Obj) => x.name === container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
      if (pod.status?.phase !== 'Running') throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
      const command = url.searchParams.getAll('command');
      if (!command.length) throw badRequest('you must specify at least 1 command');
      const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
      if (upgrade !== 'websocket') {
        throw badRequest(`exec over ${req.headers.upgrade ?? 'this protocol'} is not simulated by this meshwright lab: it speaks WebSocket (${PROTOCOLS[0]}), which kubectl 1.30 and later try first`);
      }
      const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      if (!PROTOCOLS.some((p) => offered.includes(p))) throw badRequest(`none of the requested subprotocols (${offered.join(', ') || 'none'}) is spoken here: ${PROTOCOLS.join(', ')}`);
      const result = await runCommand(c, pod, container!, command);
      const tty = url.searchParams.get('tty') === 'true';
      const wantStderr = url.searchParams.get('stderr') === 'true' || url.searchParams.get('error') === 'true';
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const send = (channel: number, text: string) => text && ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]), { binary: true });
        // a TTY has one output stream: stderr goes to stdout, as the container runtime joins them
        send(CHANNEL.stdout, tty ? result.stdout + result.stderr : result.stdout);
        if (!tty && wantStderr) send(CHANNEL.stderr, result.stderr);
        send(CHANNEL.error, JSON.stringify(exitStatus(result.code, command)));
        ws.close(1000);
      });
    } catch (err) {
      refuse(socket, err instanceof ApiError ? err.status : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(err), reason: 'InternalError', code: 500 });
    }
  }
}

/**
 * What the kubelet puts on the error channel (pkg/kubelet/cri/streaming/remotecommand
 * httpstream.go `writeStatus`): Success, or NonZeroExitCode with the code as an ExitCode cause,
 * which client-go's errorDecoderV4 turns into exec.CodeExitError (kubectl exits with it).
 */
export function exitStatus(code: number, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function refuse(socket: Duplex, status: StatusBody): void {
  const body = JSON.stringify(status);
  const text = status.code === 404 ? 'Not Found' : status.code === 500 ? 'Internal Server Error' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
