import { INGRESS_APP } from '../../model/index.js';
import { getJson } from '../../ops/index.js';
import type { Check, CheckResult, ProbeAnswer } from '../types.js';
import { PROBE_HINT } from '../probe/index.js';

/** The page title hello-kubernetes 1.10 renders (views/layouts/main.handlebars: "Hello Kubernetes!"). */
const HELLO_TITLE = '<title>Hello Kubernetes!</title>';

/**
 * The Cilium Ingress: the test application's Ingress has the VIP plan predicted (kube-system/
 * cilium-ingress in shared mode, its own cilium-ingress-<name> Service in dedicated mode), and a
 * request to that VIP with the ingress Host header returns the Hello page (the notebook's
 * `curl -H 'Host: …' http://VIP/`).
 */
export const ingress: Check = {
  id: 'ingress',
  title: 'ingress address = predicted VIP; the Host header gets the Hello page',
  async run(ctx) {
    if (!ctx.platform.spec.cilium.ingress.enabled) return [];
    const out: CheckResult[] = [];
    const dedicated = ctx.platform.spec.cilium.ingress.mode === 'dedicated';
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const host = spec.ingressHost;
        if (!host) return;
        const lb = ctx.plan.loadBalancers.find((l) => l.cluster === spec.name && (dedicated ? l.namespace === INGRESS_APP.namespace && l.name === `cilium-ingress-${INGRESS_APP.ingress}` : l.namespace === 'kube-system' && l.name === 'cilium-ingress'));
        const vip = lb?.ip ?? undefined;
        const ing = await getJson(client, `/apis/networking.k8s.io/v1/namespaces/${INGRESS_APP.namespace}/ingresses/${INGRESS_APP.ingress}`);
        const addresses = ((ing?.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => String(i.ip ?? i.hostname));
        const subject = `ingress ${INGRESS_APP.namespace}/${INGRESS_APP.ingress}`;
        const addressOk = Boolean(ing && vip && addresses.length === 1 && addresses[0] === vip);
        out.push({
          check: this.id,
          cluster: spec.name,
          subject: `${subject} address`,
          status: addressOk ? 'pass' : 'fail',
          expected: vip ?? '<pending> (plan predicts no address)',
          observed: !ing ? 'no such Ingress' : addresses.join(', ') || '<none>',
          ...(addressOk ? {} : { hint: `kubectl --context ${client.context} get ingress -A; the address is the cilium-ingress Service's (kubectl -n kube-system get svc cilium-ingress)` }),
        });
        if (!vip) return;
        const base = { check: this.id, cluster: spec.name, subject: `GET http://${vip}/ Host: ${host}`, expected: `HTTP 200, the Hello page ("Hello Kubernetes!")` };
        if (!ctx.traffic) {
          out.push({ ...base, status: 'skip', observed: 'not sent: no in-cluster requests in this run', hint: `curl -H 'Host: ${host}' http://${vip}/ from a machine on the nodes' network` });
          return;
        }
        let a: ProbeAnswer | undefined;
        try {
          [a] = await ctx.traffic.curl(spec.name, `http://${vip}/`, { headers: [`Host: ${host}`], count: 1, seed: ctx.seed });
        } catch (err) {
          // no probe pod (image, quota, RBAC): this row could not look, the others still stand
          out.push({ ...base, status: 'error', observed: `not sent: ${(err as Error).message}`, hint: PROBE_HINT(client.context) });
          return;
        }
        const ok = a !== undefined && a.exitCode === 0 && a.httpStatus === 200 && a.body.includes(HELLO_TITLE);
        out.push({
          ...base,
          status: ok ? 'pass' : 'fail',
          observed: !a ? 'no answer' : a.exitCode !== 0 ? a.error.trim() : `HTTP ${a.httpStatus}${a.body.includes(HELLO_TITLE) ? ', the Hello page' : `, ${JSON.stringify(a.body.slice(0, 60))}`}${a.backend?.pod ? ` from ${a.backend.namespace}/${a.backend.pod}` : ''}`,
          ...(ok ? {} : { hint: `kubectl --context ${client.context} -n ${INGRESS_APP.namespace} get endpointslices,pods (503 "no healthy upstream": no ready backend; 404: no rule for the host)` }),
        });
      }),
    );
    return out;
  },
};
