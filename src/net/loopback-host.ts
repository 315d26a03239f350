/**
 * Whether a request's Host header names this machine's loopback server on `port`: `127.0.0.1` or
 * `localhost` (compared without case, as a host is, RFC 3986 §3.2.2), with the port, or also
 * without it when `portOptional`. Anything else is a page of another site whose name was
 * rebound to 127.0.0.1 (DNS rebinding), refused as `kubectl proxy` refuses hosts outside
 * --accept-hosts (kubernetes staging/src/k8s.io/kubectl/pkg/proxy/proxy_server.go:
 * `^localhost$,^127\.0\.0\.1$,^\[::1\]$`, 403).
 */
export function isLoopbackHost(host: string | undefined, port: number, opts: { portOptional?: boolean } = {}): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return ['127.0.0.1', 'localhost'].some((name) => h === `${name}:${port}` || (opts.portOptional === true && h === name));
}
