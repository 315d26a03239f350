import { contains, parseAddress, type IpRange } from '../../net/index.js';
import { clusterLabel } from '../rule.js';
import type { ClusterView } from '../view.js';

export interface NodeAddress {
  addr: IpRange;
  label: string;
}

/** Every parsable node address of the platform, sorted, for range queries by binary search. */
export function nodeAddressIndex(clusters: ClusterView[]): NodeAddress[] {
  const all = clusters.flatMap((c) =>
    c.nodes.flatMap((n) => {
      const addr = n.address === undefined ? undefined : parseAddress(n.address);
      return addr ? [{ addr, label: `node ${n.name ?? `nodes[${n.index}]`} (${n.address}) of cluster ${clusterLabel(c)}` }] : [];
    }),
  );
  return all.sort((a, b) => a.addr.family - b.addr.family || (a.addr.first < b.addr.first ? -1 : a.addr.first > b.addr.first ? 1 : 0));
}

/** The nodes whose address lies in `r`. */
export function nodesWithin(index: NodeAddress[], r: IpRange): NodeAddress[] {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const a = index[mid]!.addr;
    if (a.family < r.family || (a.family === r.family && a.first < r.first)) lo = mid + 1;
    else hi = mid;
  }
  const out: NodeAddress[] = [];
  for (let i = lo; i < index.length && index[i]!.addr.family === r.family && index[i]!.addr.first <= r.last; i++) {
    if (contains(r, index[i]!.addr)) out.push(index[i]!);
  }
  return out;
}
