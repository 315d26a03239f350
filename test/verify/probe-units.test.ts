import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCurlArgs } from '../../src/lab/exec/curl.js';
import { answeringCluster, parseProbeOutput, PROBE_LABEL, probeCurlCommand, probePod } from '../../src/verify/probe/index.js';

const CLUSTERS = [
  { name: 'k8s-cilium-01', id: 1 },
  { name: 'k8s-cilium-02', id: 2 },
];

describe('the probe’s curl command and what it prints', () => {
  it('asks for N transfers in one curl, each a new connection, each followed by a marked -w line', () => {
    const argv = probeCurlCommand({ url: 'http://rebel-base.default:80/', headers: [], count: 3, marker: 'meshwright-probe-7', connectTimeout: 2, maxTime: 5 });
    assert.deepEqual(argv, ['curl', '-sS', '--connect-timeout', '2', '--max-time', '5', '-H', 'Connection: close', '-w', '\\nmeshwright-probe-7 %{http_code} %{exitcode} %{errormsg}\\n', 'http://rebel-base.default:80/', 'http://rebel-base.default:80/', 'http://rebel-base.default:80/']);
  });

  it('sends an L7 rule’s own method with -X (policy-verdicts), and the lab’s curl reads it as curl(1) does', () => {
    const argv = probeCurlCommand({ url: 'http://deathstar.default/v1/request-landing', method: 'POST', headers: [], count: 1, marker: 'M', connectTimeout: 2, maxTime: 5 });
    assert.deepEqual(argv.slice(0, 10), ['curl', '-sS', '--connect-timeout', '2', '--max-time', '5', '-X', 'POST', '-H', 'Connection: close']);
    assert.ok(!probeCurlCommand({ url: 'http://x/', method: 'GET', headers: [], count: 1, marker: 'M', connectTimeout: 2, maxTime: 5 }).includes('-X'), 'GET is curl’s default');
    const parsed = parseCurlArgs(argv.slice(1));
    assert.ok(!('error' in parsed));
    assert.equal(parsed.method, 'POST');
    const long = parseCurlArgs(['--request=PUT', '-s', 'http://deathstar.default/v1/exhaust-port']);
    assert.ok(!('error' in long) && long.method === 'PUT');
  });

  it('reads bodies, status codes and per-transfer exit codes back, as curl 8 writes them (000 and the error message for a failed transfer)', () => {
    // what `curl -w '\nM %{http_code} %{exitcode} %{errormsg}\n' URL URL URL` prints: body, then the -w text, per transfer
    const stdout = ['{"Galaxy": "Alderaan", "Cluster": "Cluster-2"}\n', '\nM 200 0 \n', '', '\nM 000 28 Connection timed out after 2001 milliseconds\n', 'no trailing newline', '\nM 503 0 \n'].join('');
    assert.deepEqual(parseProbeOutput(stdout, 'M', 3), [
      { exitCode: 0, httpStatus: 200, body: '{"Galaxy": "Alderaan", "Cluster": "Cluster-2"}\n', error: '' },
      { exitCode: 28, body: '', error: 'curl: (28) Connection timed out after 2001 milliseconds' },
      { exitCode: 0, httpStatus: 503, body: 'no trailing newline', error: '' },
    ]);
  });

  it('output that does not hold N answers (no curl in the image, an old curl) is not read as answers', () => {
    assert.equal(parseProbeOutput('', 'M', 1), undefined);
    // curl < 7.75.0 does not know %{exitcode}: it writes nothing for it
    assert.equal(parseProbeOutput('body\nM 200  \n', 'M', 1), undefined);
  });
});

describe('which cluster answered, from the answer', () => {
  it('rebel-base names its cluster by id; other answers name none', () => {
    assert.equal(answeringCluster('{"Galaxy": "Alderaan", "Cluster": "Cluster-2"}\n', CLUSTERS), 'k8s-cilium-02');
    assert.equal(answeringCluster('{"Galaxy": "Alderaan", "Cluster": "Cluster-9"}\n', CLUSTERS), undefined);
    assert.equal(answeringCluster('<html>Hello</html>', CLUSTERS), undefined);
  });
});

describe('the probe pod', () => {
  const base = { namespace: 'meshwright-probe', image: 'registry.example/curl:8.11.1', run: 'a1b2c3', owner: 'host/42' };

  it('is labelled, dies by itself, goes at once, and passes the restricted Pod Security Standard', () => {
    const pod = probePod(base);
    assert.equal(pod.metadata.labels[PROBE_LABEL], 'a1b2c3');
    assert.equal(pod.spec.containers[0].image, 'registry.example/curl:8.11.1');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 0);
    assert.ok(pod.spec.activeDeadlineSeconds > 0);
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.equal(pod.spec.automountServiceAccountToken, false);
    // pod-security-standards "restricted": runAsNonRoot, allowPrivilegeEscalation false, drop ALL, RuntimeDefault seccomp
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.equal(pod.spec.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(pod.spec.containers[0].securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(pod.spec.containers[0].securityContext.capabilities.drop, ['ALL']);
    assert.equal(pod.spec.containers[0].readinessProbe, undefined);
    assert.equal(pod.spec.tolerations, undefined);
  });

  it('standing in for a pod: that pod’s namespace, labels and service account, never Ready, owned by that pod (no ReplicaSet adopts it)', () => {
    const pod = probePod({ ...base, namespace: 'default', from: { namespace: 'default', name: 'x-wing-5d9c7c6b7-abcde', uid: 'uid-1', labels: { name: 'x-wing', 'pod-template-hash': '5d9c7c6b7' }, serviceAccountName: 'x-wing' } });
    assert.equal(pod.metadata.namespace, 'default');
    assert.deepEqual(pod.metadata.labels, { name: 'x-wing', 'pod-template-hash': '5d9c7c6b7', [PROBE_LABEL]: 'a1b2c3' });
    assert.equal(pod.spec.serviceAccountName, 'x-wing');
    assert.deepEqual(pod.spec.containers[0].readinessProbe.exec.command, ['false']);
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'x-wing-5d9c7c6b7-abcde', uid: 'uid-1', controller: true, blockOwnerDeletion: false }]);
  });
});
