import data from '../data/cilium-crds.json' with { type: 'json' };
import type { Obj } from '../store/log-store.js';
import { def, ensure, getObj, listOf, podReady, type Controller, type SimContext } from './kit.js';

interface CiliumCrdData {
  source: string;
  schemaVersion: string;
  crds: Obj[];
}

const DATA = data as unknown as CiliumCrdData;

/**
 * The CRDs Cilium 1.16's operator registers at start (pkg/k8s/apis/cilium.io/client/register.go),
 * as Cilium generates them: names, versions, printer columns and the openAPIV3Schema the server
 * validates, prunes and defaults Cilium objects with (src/lab/data/cilium-crds.json, see its README).
 * The operator labels each with its schema version (createUpdateCRD), which the lab does too.
 */
function labelled(c: Obj): Obj {
  const crd = structuredClone(c);
  crd.metadata = { ...crd.metadata, labels: { ...(crd.metadata.labels ?? {}), 'io.cilium.k8s.crd.schema.version': DATA.schemaVersion } };
  return crd;
}

/** The operator registers the CRDs as soon as one of its pods runs (operator/cmd/root.go, k8s.RegisterCRDs). */
export function ciliumCrdController(ctx: SimContext): Controller {
  const { api } = ctx;
  const crdDef = def(api, 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const running = () => listOf(api, 'core/pods', 'kube-system').some((p) => p.metadata.labels?.['io.cilium/app'] === 'operator' && (p.status?.phase === 'Running' || podReady(p)));
  return {
    name: 'cilium-crds',
    watches: { 'core/pods': (ev) => (ev.value.metadata.labels?.['io.cilium/app'] === 'operator' ? ['crds'] : []) },
    initial: () => ['crds'],
    async reconcile() {
      if (!running()) return;
      // copied only when missing: every operator pod event comes here, and the schemas are large
      for (const c of DATA.crds) if (!getObj(api, 'apiextensions.k8s.io/customresourcedefinitions', '', c.metadata.name)) await ensure(api, crdDef, labelled(c), 'cilium-operator-generic');
    },
  };
}
