import * as grpc from '@grpc/grpc-js';
import type { FlowRecord } from './flow.js';
import type { FlowFilter } from './filter.js';
import { observerPackage, recordFromWire, toTimestamp } from './wire.js';

/** observer.proto GetFlowsRequest as meshwright sends it (times RFC 3339, number a decimal uint64). */
export interface GetFlowsRequest {
  number?: string;
  first?: boolean;
  follow?: boolean;
  whitelist?: FlowFilter[];
  blacklist?: FlowFilter[];
  since?: string;
  until?: string;
}

/** A call that failed with a gRPC status: UNAVAILABLE and DEADLINE_EXCEEDED mean unreachable. */
export class ObserverError extends Error {
  constructor(
    message: string,
    readonly code: grpc.status,
  ) {
    super(message);
    this.name = 'ObserverError';
  }

  get unreachable(): boolean {
    return this.code === grpc.status.UNAVAILABLE || this.code === grpc.status.DEADLINE_EXCEEDED;
  }
}

type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Record<string, unknown>) => void) => void;

/** A client of Hubble's Observer API (a Hubble server or Relay, or the lab's relay), plain text. */
export class ObserverClient {
  private readonly client: grpc.Client & Record<string, unknown>;

  constructor(readonly address: string) {
    const { Observer } = observerPackage();
    this.client = new Observer(address, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, unknown>;
  }

  /** Waits until the channel connects (hubble's dial timeout); ObserverError UNAVAILABLE when it does not. */
  async connect(timeoutMs = 5000): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(new ObserverError(`cannot connect to ${this.address} within ${timeoutMs / 1000}s: ${err.message}`, grpc.status.UNAVAILABLE)) : resolve())),
    );
  }

  /**
   * GetFlows: calls `onFlow` for every flow response (node status and lost-event responses are
   * skipped) until the server ends the stream or `signal` aborts (then it resolves quietly, as
   * hubble does on Ctrl-C).
   */
  flows(req: GetFlowsRequest, onFlow: (record: FlowRecord) => void, signal?: AbortSignal): Promise<void> {
    const wire: Record<string, unknown> = { ...req };
    for (const k of ['since', 'until'] as const) if (req[k] !== undefined) wire[k] = toTimestamp(req[k]!);
    return new Promise((resolve, reject) => {
      const call = (this.client.GetFlows as (r: unknown) => grpc.ClientReadableStream<Record<string, unknown>>)(wire);
      const onAbort = () => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      call.on('data', (res: Record<string, unknown>) => {
        const r = recordFromWire(res);
        if (r) onFlow(r);
      });
      call.on('error', (err: grpc.ServiceError) => {
        signal?.removeEventListener('abort', onAbort);
        if (err.code === grpc.status.CANCELLED) resolve();
        else reject(new ObserverError(err.details || err.message, err.code));
      });
      call.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  serverStatus(): Promise<Record<string, unknown>> {
    return this.unary('ServerStatus', {});
  }

  getNodes(): Promise<Record<string, unknown>> {
    return this.unary('GetNodes', {});
  }

  getNamespaces(): Promise<Record<string, unknown>> {
    return this.unary('GetNamespaces', {});
  }

  close(): void {
    this.client.close();
  }

  private unary(method: string, req: unknown, timeoutMs = 12_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) =>
      (this.client[method] as Unary).call(this.client, req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(new ObserverError(err.details || err.message, err.code)) : resolve(res))),
    );
  }
}
