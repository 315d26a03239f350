import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, rows, startTestLab, type KubectlResult, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const DEMO = join(TEST_ROOT, 'fixtures', 'manifests', 'clustermesh-demo');
const LAB = join(TEST_ROOT, 'fixtures', 'manifests', 'lab');
const RENDERED = join(TEST_ROOT, 'golden', 'render', 'reference-lab', 'k8s-cilium-01', 'manifests');

// Column headers are those of a real 1.30 cluster (kubernetes pkg/printers/internalversion/
// printers.go, and the notebook's own output in ../shared/reference-lab/seed-notes.md).
for (const which of ['1.30', 'newest'] as const) {
  describe(`kubectl ${which} against the lab`, () => {
    const bin = kubectlBinary(which);
    let lab: TestLab;
    let cache: string;
    const k = (args: string[], input?: string): Promise<KubectlResult> => kubectl(bin.path, lab.kubeconfig, cache, args, input);
    const ok = async (args: string[], input?: string): Promise<string> => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };
    /** The notebook's cluster-1 demo (and its global Service) in a namespace of the test's own, so no test needs another's objects. */
    const demoIn = async (ns: string): Promise<void> => {
      await ok(['create', 'namespace', ns]);
      await ok(['apply', '-n', ns, '-f', join(DEMO, 'cluster1.yaml')]);
      await ok(['apply', '-n', ns, '-f', join(DEMO, 'global-service-example.yaml')]);
    };

    before(async () => {
      lab = await startTestLab(referenceLab());
      cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    });
    after(async () => {
      await lab?.stop();
      rmSync(join(cache, '..'), { recursive: true, force: true });
    });

    it('lists one context per cluster, named after it', async () => {
      const r = rows(await ok(['config', 'get-contexts']));
      assert.deepEqual(r[0], ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']);
      assert.deepEqual(r.slice(1).map((x) => x.filter((c) => c !== '*')), [
        ['k8s-cilium-01', 'k8s-cilium-01', 'k8s-cilium-01'],
        ['k8s-cilium-02', 'k8s-cilium-02', 'k8s-cilium-02'],
      ]);
    });

    it('shows each cluster its own nodes, NotReady before a CNI, with a real cluster’s columns', async () => {
      for (const [ctx, cp, wk] of [['k8s-cilium-01', 'k8s-cilium-01-cp', 'k8s-cilium-01-wk01'], ['k8s-cilium-02', 'k8s-cilium-02-cp', 'k8s-cilium-02-wk01']]) {
        const r = rows(await ok(['--context', ctx!, 'get', 'nodes']));
        assert.deepEqual(r[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
        assert.deepEqual(r.slice(1).map((x) => [x[0], x[1], x[2], x[4]]), [
          [cp, 'NotReady', 'control-plane', 'v1.30.4'],
          [wk, 'NotReady', '<none>', 'v1.30.4'],
        ]);
      }
      const wide = rows(await ok(['get', 'nodes', '-o', 'wide']));
      assert.deepEqual(wide[0]!.slice(0, 7), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP']);
      assert.equal(wide[1]![5], '172.26.0.141');
    });

    it('says it is simulated in /version', async () => {
      const out = await ok(['version', '-o', 'json']);
      assert.match(JSON.parse(out).serverVersion.gitVersion, /^v1\.30\.4\+meshwright-lab$/);
    });

    it('applies the notebook’s demo files, then finds nothing to change on a second apply', async () => {
      const first = await ok(['apply', '-f', join(DEMO, 'cluster1.yaml')]);
      assert.deepEqual(first.trim().split('\n'), ['configmap/rebel-base-response created', 'deployment.apps/rebel-base created', 'deployment.apps/x-wing created']);
      const second = await ok(['apply', '-f', join(DEMO, 'cluster1.yaml')]);
      assert.deepEqual(second.trim().split('\n'), ['configmap/rebel-base-response unchanged', 'deployment.apps/rebel-base unchanged', 'deployment.apps/x-wing unchanged']);
      const svc = await ok(['apply', '-f', join(DEMO, 'global-service-example.yaml')]);
      assert.match(svc, /service\/rebel-base created/);
      const diff = await k(['diff', '-f', join(DEMO, 'cluster1.yaml')]);
      assert.equal(diff.code, 0, `kubectl diff saw a difference:\n${diff.stdout}${diff.stderr}`);
      const deploy = rows(await ok(['get', 'deployments', '-o', 'wide']));
      assert.deepEqual(deploy[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
      assert.deepEqual(deploy.find((r) => r[0] === 'rebel-base')!.slice(5), ['rebel-base', 'docker.io/nginx:1.15.8', 'name=rebel-base']);
    });

    it('shows services with cluster IPs from the cluster’s service CIDR', async () => {
      await demoIn('services');
      const r = rows(await ok(['get', 'svc']));
      assert.deepEqual(r[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      assert.deepEqual(r.find((x) => x[0] === 'kubernetes')!.slice(0, 5), ['kubernetes', 'ClusterIP', '10.233.0.1', '<none>', '443/TCP']);
      const rebel = rows(await ok(['get', 'svc', '-n', 'services'])).find((x) => x[0] === 'rebel-base')!;
      assert.match(rebel[2]!, /^10\.233\.([0-9]|[1-5][0-9]|6[0-3])\.\d+$/, 'a ClusterIP inside 10.233.0.0/18');
      assert.deepEqual(rebel.slice(3, 5), ['<none>', '80/TCP']);
    });

    it('applies the rendered ingress application and shows the ingress with its class and host', async () => {
      await ok(['apply', '-f', join(RENDERED, '02-ingress-app.yaml')]);
      const r = rows(await ok(['get', 'ingress', '-A']));
      assert.deepEqual(r[0], ['NAMESPACE', 'NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
      // no address yet: Cilium's ingress controller assigns it (part 2)
      assert.deepEqual(r[1]!.slice(0, 4), ['test-ingress', 'app-ilba-ingress', 'cilium', 'test-ingress.ilba.cat']);
      assert.equal(r[1]![4], '80');
    });

    it('applies RBAC objects and a PodDisruptionBudget, which a real cluster stores', async () => {
      const out = await ok(['apply', '-f', join(LAB, 'rbac-pdb.yaml')]);
      for (const line of ['namespace/payments created', 'role.rbac.authorization.k8s.io/ledger-reader created', 'clusterrolebinding.rbac.authorization.k8s.io/ledger-node-reader created', 'poddisruptionbudget.policy/ledger created']) assert.ok(out.includes(line), `${line} in:\n${out}`);
      const pdb = rows(await ok(['get', 'pdb', '-n', 'payments']));
      assert.deepEqual(pdb[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
      assert.deepEqual(pdb[1]!.slice(0, 3), ['ledger', '1', 'N/A']);
      // a kind without printer columns of its own gets the apiserver's default Table
      const roles = rows(await ok(['get', 'roles', '-n', 'payments']));
      assert.deepEqual(roles[0], ['NAME', 'CREATED AT']);
      assert.match(roles[1]![1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('shows a Pending pod with -o wide’s extra columns', async () => {
      await ok(['apply', '-f', join(LAB, 'pod.yaml')]);
      const r = rows(await ok(['get', 'pods', '-o', 'wide']));
      assert.deepEqual(r[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
      // no node is Ready before Cilium: the pod stays Pending, unscheduled
      const toolbox = r.find((x) => x[0] === 'toolbox')!;
      assert.deepEqual([...toolbox.slice(0, 4), ...toolbox.slice(5)], ['toolbox', '0/1', 'Pending', '0', '<none>', '<none>', '<none>', '<none>']);
      const logs = await k(['logs', 'toolbox']);
      assert.match(logs.stdout, /simulated/);
      // kubectl run creates through the typed client: protobuf from kubectl 1.32 on
      await ok(['run', `run-${which.replace('.', '-')}`, '--image=docker.io/library/busybox:1.36', '--', 'sleep', '60']);
      const run = rows(await ok(['get', 'pod', `run-${which.replace('.', '-')}`]));
      assert.deepEqual(run[1]!.slice(1, 3), ['0/1', 'Pending']);
    });

    it('refuses an invalid object with the server’s message and a non-zero exit', async () => {
      const typo = await k(['apply', '-f', join(LAB, 'invalid-field.yaml')]);
      assert.notEqual(typo.code, 0);
      assert.match(typo.stderr, /Error from server \(BadRequest\): error when creating ".*invalid-field\.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.replica"/);
      const selector = await k(['apply', '-f', join(LAB, 'invalid-deployment.yaml')]);
      assert.notEqual(selector.code, 0);
      assert.match(selector.stderr, /The Deployment "broken-web" is invalid: spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"webserver"\}: `selector` does not match template `labels`/);
      const missing = await k(['get', 'deployment', 'nope']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.trim(), 'Error from server (NotFound): deployments.apps "nope" not found');
    });

    it('reports a server-side apply conflict with the other field manager, and takes the field over when forced', async () => {
      const manifest = readFileSync(join(DEMO, 'cluster1.yaml'), 'utf8').split('\n---\n').find((d) => d.includes('name: x-wing'))!;
      const ns = which === '1.30' ? 'ssa-old' : 'ssa-new';
      await ok(['create', 'namespace', ns]);
      await ok(['apply', '--server-side', '--field-manager=helm', '-n', ns, '-f', '-'], manifest);
      const scaled = manifest.replace('replicas: 2', 'replicas: 4');
      const conflict = await k(['apply', '--server-side', '-n', ns, '-f', '-'], scaled);
      assert.equal(conflict.code, 1);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "helm": \.spec\.replicas/);
      assert.match(conflict.stderr, /--force-conflicts/);
      assert.match(await ok(['apply', '--server-side', '--force-conflicts', '-n', ns, '-f', '-'], scaled), /deployment\.apps\/x-wing serverside-applied/);
      assert.equal(await ok(['get', 'deployment', 'x-wing', '-n', ns, '-o', 'jsonpath={.spec.replicas}']), '4');
      const managers = JSON.parse(await ok(['get', 'deployment', 'x-wing', '-n', ns, '-o', 'json', '--show-managed-fields'])).metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`);
      assert.deepEqual(managers.sort(), ['helm/Apply', 'kubectl/Apply']);
    });

    it('server-side applies a Service and a Deployment whose ports omit `protocol` twice without doubling the ports', async () => {
      const ns = which === '1.30' ? 'ssa-ports-old' : 'ssa-ports-new';
      await ok(['create', 'namespace', ns]);
      const manifest = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
  - name: ${name}
    port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
`;
      await ok(['apply', '--server-side', '-n', ns, '-f', '-'], manifest('http'));
      await ok(['apply', '--server-side', '-n', ns, '-f', '-'], manifest('web'));
      // the apiserver defaults protocol to TCP, and the list-map key (port, protocol) takes that default (core/v1 types.go +default="TCP")
      assert.equal(await ok(['get', 'service', 'web', '-n', ns, '-o', 'jsonpath={range .spec.ports[*]}{.name}/{.port}/{.protocol} {end}']), 'web/80/TCP ');
      assert.equal(await ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={range .spec.template.spec.containers[0].ports[*]}{.containerPort}/{.protocol} {end}']), '8080/TCP ');
      const fields = JSON.stringify(JSON.parse(await ok(['get', 'service', 'web', '-n', ns, '-o', 'json', '--show-managed-fields'])).metadata.managedFields);
      assert.match(fields, /k:\{\\"port\\":80,\\"protocol\\":\\"TCP\\"\}/, 'managedFields name the port by its defaulted key');
    });

    it('taints and cordons a node (strategic-merge patches over an object with managed fields), and takes both back', async () => {
      // kubectl taint/cordon PATCH the Node with fieldValidation=Strict (kubectl/pkg/cmd/taint); the stored
      // Node carries managedFields whose fieldsV1 is opaque JSON ("FieldsV1 … is a JSON object", meta/v1 types.go)
      const ctx = ['--context', 'k8s-cilium-02'];
      const node = 'k8s-cilium-02-wk01';
      assert.equal(await ok([...ctx, 'taint', 'nodes', node, 'dedicated=mesh:NoSchedule']), `node/${node} tainted\n`);
      const taints = JSON.parse(await ok([...ctx, 'get', 'node', node, '-o', 'jsonpath={.spec.taints}']));
      assert.ok(taints.some((t: { key: string; value: string; effect: string }) => t.key === 'dedicated' && t.value === 'mesh' && t.effect === 'NoSchedule'), JSON.stringify(taints));
      assert.equal(await ok([...ctx, 'cordon', node]), `node/${node} cordoned\n`);
      assert.equal(rows(await ok([...ctx, 'get', 'node', node]))[1]![1], 'NotReady,SchedulingDisabled');
      assert.equal(await ok([...ctx, 'uncordon', node]), `node/${node} uncordoned\n`);
      assert.equal(await ok([...ctx, 'taint', 'nodes', node, 'dedicated=mesh:NoSchedule-']), `node/${node} untainted\n`);
      assert.equal(await ok([...ctx, 'get', 'node', node, '-o', 'jsonpath={.spec.taints[?(@.key=="dedicated")].key}']), '');
    });

    it('scales, patches with every patch type, and answers dry runs without writing', async () => {
      await demoIn('scaling');
      const n = ['-n', 'scaling'];
      await ok([...n, 'scale', 'deployment', 'rebel-base', '--replicas=3']);
      assert.equal(await ok([...n, 'get', 'deployment', 'rebel-base', '-o', 'jsonpath={.spec.replicas}']), '3');
      await ok([...n, 'patch', 'deployment', 'rebel-base', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"rebel-base","image":"docker.io/nginx:1.27"}]}}}}']);
      const containers = JSON.parse(await ok([...n, 'get', 'deployment', 'rebel-base', '-o', 'json'])).spec.template.spec.containers;
      assert.equal(containers.length, 1, 'strategic merge merges containers by name');
      assert.equal(containers[0].image, 'docker.io/nginx:1.27');
      assert.ok(containers[0].livenessProbe, 'the rest of the container is kept');
      await ok([...n, 'patch', 'configmap', 'rebel-base-response', '--type=merge', '-p', '{"data":{"extra":"yes"}}']);
      await ok([...n, 'patch', 'configmap', 'rebel-base-response', '--type=json', '-p', '[{"op":"remove","path":"/data/extra"}]']);
      assert.equal(await ok([...n, 'get', 'configmap', 'rebel-base-response', '-o', 'jsonpath={.data.extra}']), '');
      const rv = await ok([...n, 'get', 'deployment', 'rebel-base', '-o', 'jsonpath={.metadata.resourceVersion}']);
      await ok([...n, 'scale', 'deployment', 'rebel-base', '--replicas=1', '--dry-run=server']);
      await ok([...n, 'delete', 'deployment', 'rebel-base', '--dry-run=server']);
      assert.equal(await ok([...n, 'get', 'deployment', 'rebel-base', '-o', 'jsonpath={.metadata.resourceVersion}/{.spec.replicas}']), `${rv}/3`);
    });

    it('sees a change through `get -w`, and deletes', async () => {
      await demoIn('watching');
      const n = ['-n', 'watching'];
      const watcher = spawn(bin.path, ['--cache-dir', cache, ...n, 'get', 'configmaps', '-w', '--output-watch-events'], { env: { PATH: process.env.PATH, KUBECONFIG: lab.kubeconfig, HOME: join(cache, '..') } });
      let out = '';
      watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        for (let i = 0; i < 100 && !out.includes('rebel-base-response'); i++) await sleep(50);
        await ok([...n, 'create', 'configmap', 'watched', '--from-literal=a=b']);
        await ok([...n, 'delete', 'configmap', 'watched']);
        for (let i = 0; i < 100 && !/DELETED\s+watched/.test(out); i++) await sleep(50);
      } finally {
        watcher.kill();
      }
      assert.match(out, /ADDED\s+watched/);
      assert.match(out, /DELETED\s+watched/);
      assert.match(await ok([...n, 'delete', '-f', join(DEMO, 'cluster1.yaml')]), /deployment\.apps "x-wing" deleted/);
      const gone = await k([...n, 'get', 'deployment', 'x-wing']);
      assert.match(gone.stderr, /NotFound/);
    });

    it('describes a node with its events', async () => {
      const out = await ok(['describe', 'node', 'k8s-cilium-01-cp']);
      assert.match(out, /Taints:\s+node-role\.kubernetes\.io\/control-plane:NoSchedule/);
      assert.match(out, /Ready\s+False .*KubeletNotReady/);
      assert.match(out, /Events:[\s\S]*RegisteredNode[\s\S]*\(simulated\)/);
    });

    it('registers a CustomResourceDefinition, validates and prints its objects as the schema says', async () => {
      await ok(['apply', '-f', join(LAB, 'crontab-crd.yaml')]);
      await ok(['apply', '-f', join(LAB, 'crontab.yaml')]);
      const r = rows(await ok(['get', 'ct']));
      assert.deepEqual(r[0], ['NAME', 'SPEC', 'REPLICAS', 'AGE']);
      assert.deepEqual(r[1]!.slice(0, 3), ['my-new-cron-object', '* * * * */5', '1']);
      const bad = await k(['apply', '-f', join(LAB, 'crontab-invalid.yaml')]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /spec\.replicas: Invalid value: 15: spec\.replicas in body should be less than or equal to 10/);
      assert.match(bad.stderr, /spec\.cronSpec: Invalid value: "\* \* \* \*": spec\.cronSpec in body should match/);
      await ok(['delete', 'crd', 'crontabs.stable.example.com']);
      assert.notEqual((await k(['get', 'crontabs'])).code, 0, 'the resource type is gone with its CRD');
    });

    it('refuses a kind the cluster does not serve, as a real server does', async () => {
      const r = await k(['apply', '-f', join(RENDERED, '01-lb-ipam.yaml')]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /no matches for kind "CiliumLoadBalancerIPPool" in version "cilium\.io\/v2alpha1"/);
    });
  });
}

