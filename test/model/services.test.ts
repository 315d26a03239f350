/**
 * A core/v1 Service as the model reads it: the API server's defaults where a field is left out
 * (type ClusterIP, externalTrafficPolicy Cluster for LoadBalancer Services), clusterIP None is
 * headless, and an unquoted annotation value is read as its text, with the fix.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { Findings, serviceOf } from '../../src/model/index.js';

const read = (text: string) => {
  const findings = new Findings();
  const [o] = parseManifestText('s.yaml', text).objects;
  return { svc: serviceOf(o!, findings), findings: findings.list };
};

test('defaults: ClusterIP, Cluster, not headless, no selector of its own', () => {
  const { svc } = read('apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {ports: [{port: 5432}]}\n');
  assert.deepEqual(svc, { namespace: 'default', name: 'db', key: 'default/db', type: 'ClusterIP', headless: false, selector: undefined, annotations: {}, ports: [{ port: 5432, protocol: 'TCP' }], externalTrafficPolicy: 'Cluster', publishNotReadyAddresses: false, fixes: [] });
});

test('a LoadBalancer with everything set', () => {
  const { svc } = read('apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {type: LoadBalancer, loadBalancerIP: 10.0.0.7, loadBalancerClass: io.cilium/l2-announcer, externalTrafficPolicy: Local, publishNotReadyAddresses: true, clusterIP: None, selector: {app: web}, ports: [{port: 443, protocol: UDP}]}\n');
  assert.deepEqual([svc!.type, svc!.loadBalancerIP, svc!.loadBalancerClass, svc!.externalTrafficPolicy, svc!.publishNotReadyAddresses, svc!.headless, svc!.selector, svc!.ports], ['LoadBalancer', '10.0.0.7', 'io.cilium/l2-announcer', 'Local', true, true, { app: 'web' }, [{ port: 443, protocol: 'UDP' }]]);
});

test('not core/v1, or not a Service: not read', () => {
  assert.equal(read('apiVersion: v1beta1\nkind: Service\nmetadata: {name: x}\n').svc, undefined);
  assert.equal(read('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n').svc, undefined);
});

test('service.cilium.io/global: true unquoted: "true", with quote it as the fix, once however often read', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  annotations:\n    service.cilium.io/global: true\nspec: {selector: {app: x}}\n';
  const findings = new Findings();
  const [o] = parseManifestText('s.yaml', text).objects;
  const svc = serviceOf(o!, findings);
  serviceOf(o!, findings);
  assert.equal(svc!.annotations['service.cilium.io/global'], 'true');
  assert.deepEqual(findings.list.map((d) => [d.code, d.start?.line, d.start?.column, d.hint]), [['ANNOTATION_VALUE', 6, 31, 'quote it: "true"']]);
  assert.deepEqual(svc!.fixes, findings.list);
});

test('a selector value and a port written as the wrong type: read as meant, each fix at its place', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web, version: 2}\n  ports:\n  - {name: http, port: "8080"}\n';
  const { svc, findings } = read(text);
  assert.deepEqual([svc!.selector, svc!.ports], [{ app: 'web', version: '2' }, [{ port: 8080, protocol: 'TCP' }]]);
  assert.deepEqual(findings.map((d) => [d.code, d.start?.line, d.start?.column]), [['LABEL_VALUE', 5, 33], ['FIELD_TYPE', 7, 24]]);
});

test('a port that is no number: the API server refuses the Service, and the model has none', () => {
  const { svc, findings } = read('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: http}]\n');
  assert.deepEqual([svc, findings.map((d) => [d.code, d.start?.line, d.start?.column])], [undefined, [['OBJECT_REFUSED', 5, 18]]]);
});
