import { AGE, NAME, age, col, formatLabels, formatSelector, type Printer } from './format.js';

/** Services: Name Type Cluster-IP External-IP Port(s) Age + Selector (printService). */
export const services: Printer = {
  columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, col('Selector', 'string', 1)],
  row(s, now) {
    const ports = (s.spec?.ports ?? []).map((p: any) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
    return [s.metadata.name, s.spec?.type ?? 'ClusterIP', s.spec?.clusterIPs?.[0] ?? s.spec?.clusterIP ?? '<none>', externalIP(s), ports || '<none>', age(s.metadata.creationTimestamp, now), formatLabels(s.spec?.selector)];
  },
};

function externalIP(s: any): string {
  const external: string[] = s.spec?.externalIPs ?? [];
  switch (s.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      // the server prints the wide form (every address): kubectl shows what it is given
      const lb = [...new Set((s.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean))].sort() as string[];
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.spec?.externalName ?? '';
  }
  return '<unknown>';
}

/** Ingresses: Name Class Hosts Address Ports Age. */
export const ingresses: Printer = {
  columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
  row(i, now) {
    const hosts: string[] = (i.spec?.rules ?? []).map((r: any) => r.host).filter(Boolean);
    const hostText = hosts.length === 0 ? '*' : hosts.length > 3 ? `${hosts.slice(0, 3).join(',')} + ${hosts.length - 3} more...` : hosts.join(',');
    const address = (i.status?.loadBalancer?.ingress ?? []).map((x: any) => x.ip || x.hostname).filter(Boolean).join(',');
    const ports = (i.spec?.tls ?? []).length ? '80, 443' : '80';
    return [i.metadata.name, i.spec?.ingressClassName ?? '<none>', hostText, address, ports, age(i.metadata.creationTimestamp, now)];
  },
};

export const endpoints: Printer = {
  columns: [NAME, col('Endpoints'), AGE],
  row(e, now) {
    const list: string[] = [];
    let count = 0;
    for (const s of e.subsets ?? []) {
      for (const a of s.addresses ?? []) {
        for (const p of s.ports?.length ? s.ports : [undefined]) {
          count++;
          if (list.length < 3) list.push(p ? `${a.ip}:${p.port}` : a.ip);
        }
      }
    }
    const text = count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',') || '<none>';
    return [e.metadata.name, text, age(e.metadata.creationTimestamp, now)];
  },
};

export const endpointslices: Printer = {
  columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
  row(e, now) {
    const ports = (e.ports ?? []).map((p: any) => (p.port !== undefined ? String(p.port) : p.name ?? '*'));
    const addrs = (e.endpoints ?? []).flatMap((x: any) => x.addresses ?? []);
    const more = (l: string[]) => (l.length > 3 ? `${l.slice(0, 3).join(',')} + ${l.length - 3} more...` : l.join(',') || '<unset>');
    return [e.metadata.name, e.addressType ?? '', more(ports), more(addrs), age(e.metadata.creationTimestamp, now)];
  },
};

export const networkpolicies: Printer = {
  columns: [NAME, col('Pod-Selector'), AGE],
  row: (n, now) => [n.metadata.name, formatSelector(n.spec?.podSelector).replace('<none>', '<none>'), age(n.metadata.creationTimestamp, now)],
};

export const ingressclasses: Printer = {
  columns: [NAME, col('Controller'), col('Parameters'), AGE],
  row(c, now) {
    const p = c.spec?.parameters;
    return [c.metadata.name, c.spec?.controller ?? '', p ? `${p.kind}/${p.name}` : '<none>', age(c.metadata.creationTimestamp, now)];
  },
};
