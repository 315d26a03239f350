import { parseAddress } from '../../net/index.js';
import { NODE_NAME_MAX, NODE_NAME_PATTERN } from '../limits.js';
import { clusterLabel, type Rule } from '../rule.js';

/** Kubernetes node names are DNS-1123 subdomains. */
const NODE_NAME = new RegExp(NODE_NAME_PATTERN);

export const nodeNames: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    const seen = new Map<string, number>();
    for (const n of c.nodes) {
      if (n.name === undefined) continue;
      const path = [...c.path, 'nodes', n.index, 'name'];
      if (n.name.length > NODE_NAME_MAX || !NODE_NAME.test(n.name)) {
        report({ path, code: 'NODE_NAME_INVALID', message: `node name "${n.name}" is not a valid Kubernetes node name (lowercase DNS-1123 subdomain of at most ${NODE_NAME_MAX} characters)`, hint: 'use lowercase letters, digits, "-" and "."' });
      }
      const first = seen.get(n.name);
      if (first !== undefined) {
        report({ path, code: 'NODE_NAME_DUPLICATE', message: `node name "${n.name}" appears twice in cluster ${clusterLabel(c)} (first at nodes[${first}])`, hint: 'node names must be unique within a cluster' });
      } else seen.set(n.name, n.index);
    }
  }
};

export const nodeAddresses: Rule = ({ view, report }) => {
  const seen = new Map<bigint, string>();
  for (const c of view.clusters) {
    for (const n of c.nodes) {
      const addr = n.address === undefined ? undefined : parseAddress(n.address);
      if (!addr) continue;
      const key = (BigInt(addr.family) << 128n) | addr.first;
      const first = seen.get(key);
      if (first !== undefined) {
        report({ path: [...c.path, 'nodes', n.index, 'address'], code: 'NODE_ADDRESS_DUPLICATE', message: `node address ${n.address} is already used by ${first}`, hint: 'every node of the mesh needs its own address, reachable from every cluster' });
      } else seen.set(key, `node ${n.name ?? `nodes[${n.index}]`} of cluster ${clusterLabel(c)}`);
    }
  }
};

export const controlPlane: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    if (!c.nodesValid) continue;
    const planes = c.nodes.filter((n) => n.role === 'control-plane').length;
    if (planes === 0) {
      report({ path: [...c.path, 'nodes'], code: 'NO_CONTROL_PLANE', message: `cluster ${clusterLabel(c)} has no control-plane node`, hint: 'set role: control-plane on at least one node (it also runs etcd)' });
    } else if (planes % 2 === 0) {
      // Kubespray v2.26.0 refuses it outright (roles/kubernetes/preinstall/tasks/0040-verify-settings.yml, "Stop if even number of etcd hosts").
      const kubespray = view.provisioner === 'kubespray';
      report({ path: [...c.path, 'nodes'], code: 'ETCD_EVEN_MEMBERS', severity: kubespray ? 'error' : 'warning', message: `cluster ${clusterLabel(c)} has ${planes} control-plane nodes; etcd runs on each and an even member count tolerates no more failures than one fewer${kubespray ? ' (Kubespray refuses to install it)' : ''}`, hint: 'use an odd number of control-plane nodes (1, 3, 5)' });
    }
  }
};
