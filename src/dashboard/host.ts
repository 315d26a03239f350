/**
 * The Host header a request to the dashboard may carry: its own loopback address or `localhost`,
 * with its port. Anything else is a page of another site that resolved its own name to 127.0.0.1
 * (DNS rebinding), refused as `kubectl proxy` refuses hosts outside --accept-hosts (kubernetes
 * staging/src/k8s.io/kubectl/pkg/proxy/proxy_server.go: `^localhost$,^127\.0\.0\.1$,^\[::1\]$`, 403).
 */
export function acceptedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}
