import { createServer, type Server, type Socket } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { RELAY_NAMESPACE, RELAY_SERVICE, RelayForwardError, type RelayForward } from './relay.js';

/**
 * `kubectl port-forward -n kube-system svc/hubble-relay` (what `cilium hubble port-forward`
 * does), through client-node's PortForward over WebSocket: the Service's selector picks a running
 * pod, the Service port's targetPort the pod port, and every connection to a loopback port is
 * one port-forward stream to it.
 */
export async function forwardRelay(kubeconfig: string, context: string | undefined): Promise<RelayForward> {
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(kubeconfig);
  } catch (err) {
    throw new RelayForwardError(`cannot read the kubeconfig ${kubeconfig}: ${(err as Error).message}`, 'give one with --kubeconfig or KUBECONFIG, or --server HOST:PORT', 'context');
  }
  if (context) {
    if (!kc.getContextObject(context)) throw new RelayForwardError(`the kubeconfig ${kubeconfig} has no context ${context}`, `contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`, 'context');
    kc.setCurrentContext(context);
  }
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const where = `context ${kc.getCurrentContext()}`;
  let svc: k8s.V1Service;
  try {
    svc = await core.readNamespacedService({ name: RELAY_SERVICE, namespace: RELAY_NAMESPACE });
  } catch (err) {
    if ((err as { code?: number }).code === 404) throw new RelayForwardError(`Hubble Relay is not installed in ${where}: no Service ${RELAY_NAMESPACE}/${RELAY_SERVICE}`, 'enable it: helm value hubble.relay.enabled=true (or `cilium hubble enable`)', 'unreachable');
    throw new RelayForwardError(`cannot reach the API server of ${where}: ${(err as Error).message}`, 'check the kubeconfig and that the cluster runs', 'unreachable');
  }
  const selector = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = (await core.listNamespacedPod({ namespace: RELAY_NAMESPACE, labelSelector: selector })).items;
  const pod = pods.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  if (!pod?.metadata?.name) throw new RelayForwardError(`no running hubble-relay pod in ${where} (${pods.length} selected by ${selector})`, 'kubectl -n kube-system get pods -l k8s-app=hubble-relay', 'unreachable');
  const port = targetPort(svc, pod);
  const forward = new k8s.PortForward(kc);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    forward
      .portForward(RELAY_NAMESPACE, pod.metadata!.name!, [port], socket, null, socket)
      .then((ws) => {
        const w = ws as { on?: (e: string, f: () => void) => void; close?: () => void };
        w.on?.('close', () => socket.destroy());
        w.on?.('error', () => socket.destroy());
        socket.on('close', () => w.close?.());
      })
      .catch(() => socket.destroy());
  });
  const local = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    address: `127.0.0.1:${local}`,
    pod: pod.metadata.name,
    close: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/** The Service's targetPort on the pod: a number, or a named container port. */
function targetPort(svc: k8s.V1Service, pod: k8s.V1Pod): number {
  const p = svc.spec?.ports?.[0]?.targetPort ?? svc.spec?.ports?.[0]?.port ?? 4245;
  if (typeof p === 'number') return p;
  if (/^\d+$/.test(p)) return Number(p);
  for (const c of pod.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === p) return cp.containerPort;
  // the chart names the relay's port `grpc`, 4245 (hubble-relay listen-address :4245)
  return 4245;
}
