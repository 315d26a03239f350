/** Where Hubble Relay runs: cilium chart 1.16 templates/hubble-relay (Service and Deployment `hubble-relay`). */
export const RELAY_NAMESPACE = 'kube-system';
export const RELAY_SERVICE = 'hubble-relay';

/** No relay to forward to, or the API server refused: the message says which, the hint what to do. */
export class RelayForwardError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly kind: 'unreachable' | 'context',
  ) {
    super(message);
    this.name = 'RelayForwardError';
  }
}

export interface RelayForward {
  /** 127.0.0.1:PORT, where the forwarded relay answers. */
  address: string;
  pod: string;
  close(): void;
}
