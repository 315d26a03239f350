import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { def, getObj } from '../controllers/kit.js';
import type { LabMesh } from '../mesh/mesh.js';
import { writePrivate } from '../process/files.js';
import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import { describeFault, type Fault, type FaultSpec } from './fault.js';
import { CLUSTERMESH_SECRETS, foreignCaSecrets } from './foreign-ca.js';

/** The faults file in the lab's data folder (0600: it keeps the certificates foreign-ca replaced, keys included, to put them back). */
export const FAULTS_FILE = 'faults.json';

interface FaultsFile {
  faults: Fault[];
  /** cluster → Secret → data, as it was before foreign-ca. */
  saved: Record<string, Record<string, Obj['data']>>;
}

export class FaultError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * The lab's fault drills. Each changes the lab behind meshwright's back, as the real failure
 * would: clustermesh-down stops a cluster's clustermesh-apiserver endpoint (the pod keeps
 * running), foreign-ca rewrites the cluster's clustermesh Secrets with certificates of a new CA
 * (the mesh then re-dials with them: a real TLS handshake fails), scale changes a Deployment's
 * replicas as `kubectl scale` does. They are kept in the data folder while the lab runs and
 * honoured again when it restarts; --clear undoes them.
 */
export class LabFaults {
  private data: FaultsFile;

  constructor(
    private readonly dataDir: string,
    private readonly clusters: () => Array<{ name: string; api: ClusterApi; running: boolean }>,
    private readonly mesh: LabMesh,
    private readonly now: () => Date = () => new Date(),
  ) {
    const file = join(dataDir, FAULTS_FILE);
    this.data = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FaultsFile) : { faults: [], saved: {} };
    for (const f of this.data.faults) if (f.kind === 'clustermesh-down') mesh.setEndpointDown(f.cluster, true);
  }

  list(): Array<Fault & { description: string }> {
    return this.data.faults.map((f) => ({ ...f, description: describeFault(f) }));
  }

  async inject(cluster: string, spec: FaultSpec): Promise<Fault> {
    const c = this.cluster(cluster);
    if (this.data.faults.some((f) => f.cluster === cluster && f.kind === spec.kind && (spec.kind !== 'scale' || (f.kind === 'scale' && f.namespace === spec.namespace && f.name === spec.name)))) {
      throw new FaultError(`${cluster} already has the fault ${spec.kind}`, `meshwright lab fault ${cluster} --clear`);
    }
    const fault: Fault = { ...spec, cluster, since: this.now().toISOString() };
    if (spec.kind === 'clustermesh-down') this.mesh.setEndpointDown(cluster, true);
    if (spec.kind === 'foreign-ca') await this.replaceCertificates(c.api, cluster);
    if (spec.kind === 'scale') fault.previousReplicas = await this.scale(c.api, spec.namespace, spec.name, spec.replicas);
    this.data = { ...this.data, faults: [...this.data.faults, fault] };
    this.save();
    await this.mesh.settled();
    return fault;
  }

  /** Undoes every fault of the cluster; returns what was cleared. */
  async clear(cluster: string): Promise<Fault[]> {
    const c = this.cluster(cluster);
    const mine = this.data.faults.filter((f) => f.cluster === cluster);
    for (const f of [...mine].reverse()) {
      if (f.kind === 'clustermesh-down') this.mesh.setEndpointDown(cluster, false);
      if (f.kind === 'foreign-ca') await this.restoreCertificates(c.api, cluster);
      if (f.kind === 'scale' && f.previousReplicas !== undefined) await this.scale(c.api, f.namespace, f.name, f.previousReplicas);
    }
    const { [cluster]: _gone, ...saved } = this.data.saved;
    this.data = { faults: this.data.faults.filter((f) => f.cluster !== cluster), saved };
    this.save();
    await this.mesh.settled();
    return mine;
  }

  private cluster(name: string): { name: string; api: ClusterApi } {
    const c = this.clusters().find((x) => x.name === name);
    if (!c) throw new FaultError(`the lab has no cluster ${name}`, `clusters: ${this.clusters().map((x) => x.name).join(', ')}`);
    if (!c.running) throw new FaultError(`cluster ${name} is stopped`);
    return c;
  }

  private async replaceCertificates(api: ClusterApi, cluster: string): Promise<void> {
    const secrets = CLUSTERMESH_SECRETS.map((n) => getObj(api, 'core/secrets', 'kube-system', n)).filter((s): s is Obj => Boolean(s));
    if (!secrets.length) throw new FaultError(`${cluster} has no clustermesh certificates (kube-system/clustermesh-apiserver-*-cert)`, 'run meshwright apply first');
    const fresh = await foreignCaSecrets(cluster, this.now());
    this.data.saved[cluster] = Object.fromEntries(secrets.map((s) => [s.metadata.name, s.data]));
    this.save();
    for (const s of secrets) await this.writeData(api, s, fresh[s.metadata.name]!);
  }

  private async restoreCertificates(api: ClusterApi, cluster: string): Promise<void> {
    for (const [name, data] of Object.entries(this.data.saved[cluster] ?? {})) {
      const s = getObj(api, 'core/secrets', 'kube-system', name);
      if (s) await this.writeData(api, s, data);
    }
  }

  private writeData(api: ClusterApi, secret: Obj, data: Obj['data']): Promise<Obj> {
    const next = structuredClone(secret);
    next.data = data;
    return api.writeSystem(def(api, '', 'v1', 'secrets'), next, 'meshwright-lab-fault');
  }

  /** `kubectl scale`: a merge patch of spec.replicas; returns the replicas before. */
  private async scale(api: ClusterApi, namespace: string, name: string, replicas: number): Promise<number> {
    const d = getObj(api, 'apps/deployments', namespace, name);
    if (!d) throw new FaultError(`deployment ${namespace}/${name} not found`, 'kubectl get deployments -A');
    const before = Number(d.spec?.replicas ?? 1);
    await api.patch(def(api, 'apps', 'v1', 'deployments'), namespace, name, 'merge', JSON.stringify({ spec: { replicas } }), { fieldManager: 'meshwright-lab-fault' });
    return before;
  }

  private save(): void {
    writePrivate(join(this.dataDir, FAULTS_FILE), `${JSON.stringify(this.data, null, 2)}\n`);
  }
}

/** The faults a lab folder records (for `lab status`), without the saved certificates. */
export function recordedFaults(dataDir: string): Array<Fault & { description: string }> {
  try {
    const data = JSON.parse(readFileSync(join(dataDir, FAULTS_FILE), 'utf8')) as FaultsFile;
    return data.faults.map((f) => ({ ...f, description: describeFault(f) }));
  } catch {
    return [];
  }
}
