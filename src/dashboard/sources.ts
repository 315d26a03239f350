/**
 * What the dashboard shows, each as the CLI prints it with `-o json` (the CLI builds these from the
 * same modules: status, plan, policy-report, verify's last report), so every screen agrees with it.
 */
export interface DashboardSources {
  /** `meshwright status -o json`. */
  status(): Promise<unknown>;
  /** `meshwright plan -o json`: the clusters' nodes, the VIPs, the global services' predicted shares. */
  plan(): unknown;
  /** `meshwright policy matrix -o json [--port P]`. */
  policyMatrix(port: string | undefined): unknown;
  /** `meshwright policy explain --from F --to T --port P`: its `-o json` document and its table text. */
  policyExplain(from: string, to: string, port: string): { data: unknown; text: string };
  /** The report the last `meshwright verify` kept (its `-o json`), when there was one. */
  lastVerify(): unknown;
}

/** A request the sources cannot answer as asked (a peer that does not exist, no manifests…): HTTP 4xx with the message. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly hint?: string,
  ) {
    super(message);
  }
}
