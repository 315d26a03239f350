import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { badRequest } from '../api/status.js';
import type { Obj } from '../store/log-store.js';

/**
 * Port-forward over WebSocket, as the kubelet speaks it (kubernetes pkg/kubelet/cri/streaming/
 * portforward/websocket.go): subprotocol `v4.channel.k8s.io` (binary frames whose first byte is
 * the channel), two channels per port — 0 data, 1 error — each opened by a frame carrying the
 * port as a little-endian uint16; the client's data arrives on channel 0. client-node's
 * PortForward speaks it (kubectl's own WebSocket port-forward tunnels SPDY instead, which the lab
 * does not simulate).
 *
 * The lab forwards what it simulates: a pod port whose target `resolve` knows (hubble-relay's
 * gRPC port → the cluster's Observer server); any other is refused, as a port nothing listens
 * on is, with the kubelet's message on the error channel.
 */
export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered: Set<string>) => PORT_FORWARD_PROTOCOLS.find((p) => offered.has(p)) ?? false });

/** Where a pod's port goes in the lab: a loopback port, or nothing listening. */
export type ForwardTarget = (pod: Obj, port: number) => number | undefined;

export function portForwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pod: Obj, url: URL, target: ForwardTarget): void {
  const ports = url.searchParams.getAll('ports').flatMap((p) => p.split(','));
  if (ports.length !== 1 || !/^\d+$/.test(ports[0]!) || Number(ports[0]) < 1 || Number(ports[0]) > 65535) throw badRequest(`invalid port forward request: ports ${JSON.stringify(ports.join(','))}: the lab forwards one port per request`);
  const port = Number(ports[0]);
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw badRequest(`port-forward over ${req.headers.upgrade ?? 'this protocol'} is not simulated by this meshwright lab: it speaks WebSocket (${PORT_FORWARD_PROTOCOLS[0]})`);
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  if (!PORT_FORWARD_PROTOCOLS.some((p) => offered.includes(p))) throw badRequest(`none of the requested subprotocols (${offered.join(', ') || 'none'}) is spoken here: ${PORT_FORWARD_PROTOCOLS.join(', ')}`);
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    ws.send(Buffer.concat([Buffer.from([0]), portBytes]), { binary: true });
    ws.send(Buffer.concat([Buffer.from([1]), portBytes]), { binary: true });
    const local = target(pod, port);
    if (local === undefined) {
      // the kubelet's message when nothing listens on the pod's port (streaming/portforward)
      ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.name}: nothing listens on it in the simulated pod (the lab forwards hubble-relay's 4245)`)]), { binary: true });
      ws.close(1000);
      return;
    }
    const tcp = connect(local, '127.0.0.1');
    const pending: Buffer[] = [];
    let open = false;
    tcp.on('connect', () => {
      open = true;
      for (const b of pending.splice(0)) tcp.write(b);
    });
    tcp.on('data', (d: Buffer) => ws.readyState === ws.OPEN && ws.send(Buffer.concat([Buffer.from([0]), d]), { binary: true }));
    tcp.on('close', () => ws.readyState === ws.OPEN && ws.close(1000));
    tcp.on('error', (err) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.name}: ${err.message}`)]), { binary: true });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length < 1 || buf[0] !== 0) return;
      const payload = buf.subarray(1);
      if (open) tcp.write(payload);
      else pending.push(payload);
    });
    ws.on('close', () => tcp.destroy());
    ws.on('error', () => tcp.destroy());
  });
}

/** hubble-relay's pods (chart label k8s-app=hubble-relay) on its gRPC port 4245 → the cluster's Observer server. */
export function relayTarget(observerPort: () => number | undefined): ForwardTarget {
  return (pod, port) => (pod.metadata.labels?.['k8s-app'] === 'hubble-relay' && port === 4245 ? observerPort() : undefined);
}
