/**
 * Fields the API server types strictly, at their edges. Expected by hand from the Kubernetes API
 * reference: spec.replicas, containerPort are integers (replicas defaults to 1 when absent or
 * null; a container port is 1-65535, apps/v1 DeploymentSpec and core/v1 ContainerPort), protocol
 * is one of TCP, UDP, SCTP (defaulting to TCP), label values are strings, and
 * containers[].ports[] are objects. A value a typed decoder refuses (`"3"` for an integer) but
 * whose meaning is evident is read as meant with a warning at its own line and column; one with no
 * evident meaning leaves the object out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { workloadPods } from '../../src/model/index.js';

function read(text: string) {
  const r = workloadPods({ objects: parseManifestText('web.yaml', text).objects, cluster: 'c1' });
  return {
    pods: r.pods.length,
    ports: r.pods[0]?.ports,
    labels: r.pods[0]?.labels,
    findings: r.diagnostics.map((d) => `${d.code} ${d.start?.line}:${d.start?.column}`),
  };
}

/** A Deployment whose line 5 is `replicas`, line 8 its labels, line 12 its first port. */
const web = ({ replicas = '2', labels = '{app: web}', port = '{containerPort: 8080}' } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers:
      - name: web
        ports: [${port}]
        image: registry.example.com/shop/web:2.1
`;

describe('spec.replicas', () => {
  test('null (an empty value): the default, 1 pod, nothing said', () => {
    assert.deepEqual(read(web({ replicas: '' })), { pods: 1, ports: [{ port: 8080, protocol: 'TCP' }], labels: read(web({ replicas: '' })).labels, findings: [] });
    assert.equal(read(web({ replicas: '~' })).pods, 1);
  });

  test('"12" and " 3 ": read as 12 and 3, with the fix at the value', () => {
    assert.deepEqual(read(web({ replicas: '"12"' })).pods, 12);
    assert.deepEqual(read(web({ replicas: '" 3 "' })), { ...read(web({ replicas: '3' })), findings: ['FIELD_TYPE 5:13'] });
  });

  test('"3x", "x3", "1.5": no evident count: the Deployment is left out', () => {
    for (const replicas of ['"3x"', '"x3"', '"1.5"', '-1']) {
      assert.deepEqual(read(web({ replicas })), { pods: 0, ports: undefined, labels: undefined, findings: ['OBJECT_REFUSED 5:13'] }, replicas);
    }
  });
});

describe('pod template labels', () => {
  test('a number or a boolean: read as its text, the fix at the label', () => {
    const r = read(web({ labels: '{app: web, version: 2, canary: true}' }));
    assert.deepEqual([r.pods, r.labels?.['version'], r.labels?.['canary'], r.findings], [2, '2', 'true', ['LABEL_VALUE 8:44', 'LABEL_VALUE 8:55']]);
  });

  test('a map as a label value: the Deployment is left out, the finding at that label', () => {
    assert.deepEqual(read(web({ labels: '{app: web, tier: {name: front}}' })).findings, ['OBJECT_REFUSED 8:41']);
  });

  test('a label without a value (null) refuses nothing', () => {
    assert.equal(read(web({ labels: '{app: web, tier: }' })).pods, 2);
  });
});

describe('containers[].ports[]', () => {
  test('port 1 and 65535 are ports; 0 and 65536 are not', () => {
    assert.deepEqual(read(web({ port: '{containerPort: 1}, {containerPort: 65535, protocol: UDP}' })).ports, [{ port: 1, protocol: 'TCP' }, { port: 65535, protocol: 'UDP' }]);
    assert.deepEqual(read(web({ port: '{containerPort: 0}' })).findings, ['OBJECT_REFUSED 12:33']);
    assert.deepEqual(read(web({ port: '{containerPort: 65536}' })).findings, ['OBJECT_REFUSED 12:33']);
  });

  test('"8080" and " 8080 ": read as 8080, the fix at containerPort', () => {
    for (const port of ['"8080"', '" 8080 "']) {
      const r = read(web({ port: `{name: http, containerPort: ${port}}` }));
      assert.deepEqual([r.ports, r.findings], [[{ name: 'http', port: 8080, protocol: 'TCP' }], ['FIELD_TYPE 12:45']], port);
    }
  });

  test('protocol TCP written out, or null: TCP, nothing said; tcp: read as TCP with the fix', () => {
    assert.deepEqual(read(web({ port: '{containerPort: 53, protocol: TCP}' })).findings, []);
    assert.deepEqual(read(web({ port: '{containerPort: 53, protocol: }' })).ports, [{ port: 53, protocol: 'TCP' }]);
    const r = read(web({ port: '{containerPort: 53, protocol: udp}' }));
    assert.deepEqual([r.ports, r.findings], [[{ port: 53, protocol: 'UDP' }], ['FIELD_VALUE 12:47']]);
  });

  test('a bare number where a port object belongs: the API server cannot decode it, the Deployment is left out', () => {
    assert.deepEqual(read(web({ port: '8080' })).findings, ['OBJECT_REFUSED 12:17']);
    const r = workloadPods({ objects: parseManifestText('web.yaml', web({ port: '8080' })).objects, cluster: 'c1' });
    assert.deepEqual(r.diagnostics.map((d) => [d.message, d.hint]), [['ports[0]: 8080 is not a port: the API server refuses this Deployment, so meshwright leaves it out', 'write a port as - containerPort: 8080']]);
  });
});
