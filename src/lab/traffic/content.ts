import { getObj } from '../controllers/kit.js';
import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface ServedRequest {
  method: string;
  path: string;
  host: string;
}

/** What the backend pod answers, from its image and its cluster's objects. */
export function answer(api: ClusterApi, pod: Obj, port: number, req: ServedRequest): HttpAnswer {
  const container = (pod.spec?.containers ?? []).find((c: Obj) => (c.ports ?? []).some((p: Obj) => p.containerPort === port)) ?? pod.spec?.containers?.[0];
  const image: string = container?.image ?? '';
  if (/(^|\/)nginx(:|@|$)/.test(image)) return nginx(api, pod, container, req);
  if (/(^|\/)hello-kubernetes(:|@|$)/.test(image)) return helloKubernetes(api, pod, container, image, req);
  return { status: 200, body: `meshwright lab (simulated): ${pod.metadata.namespace}/${pod.metadata.name} (${image || 'no image'}) answered ${req.method} ${req.path}\n` };
}

const NGINX_ROOT = '/usr/share/nginx/html';

/**
 * nginx's stock image serves /usr/share/nginx/html (its default.conf: `root /usr/share/nginx/html;
 * index index.html`); the clustermesh example mounts the rebel-base-response ConfigMap there with
 * `items: [{key: message, path: index.html}]`, so `/` answers the message naming its cluster.
 */
function nginx(api: ClusterApi, pod: Obj, container: Obj, req: ServedRequest): HttpAnswer {
  const version = /:(\d+\.\d+\.\d+)/.exec(container.image)?.[1] ?? '1.15.8';
  const file = `${NGINX_ROOT}${req.path.endsWith('/') ? `${req.path}index.html` : req.path}`;
  for (const m of container.volumeMounts ?? []) {
    const dir = String(m.mountPath).replace(/\/+$/, '');
    if (!file.startsWith(`${dir}/`)) continue;
    const rel = file.slice(dir.length + 1);
    const vol = (pod.spec?.volumes ?? []).find((v: Obj) => v.name === m.name);
    const cm = vol?.configMap ? getObj(api, 'core/configmaps', pod.metadata.namespace, vol.configMap.name) : undefined;
    if (!cm) continue;
    const items: Obj[] = vol.configMap.items ?? Object.keys(cm.data ?? {}).map((k) => ({ key: k, path: k }));
    const item = items.find((i) => i.path === rel);
    if (item && cm.data?.[item.key] !== undefined) return { status: 200, body: cm.data[item.key] };
  }
  // nginx's built-in 404 page (src/http/ngx_http_special_response.c; `bgcolor="white"` until 1.17)
  return { status: 404, body: `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body bgcolor="white">\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n` };
}

/** Handlebars' escapeExpression. */
function escape(s: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return s.replace(/[&<>"'`=]/g, (c) => map[c]!);
}

/**
 * paulbouwer/hello-kubernetes 1.10 (tag v1.10.1, src/app/server.js, views/home.handlebars,
 * views/layouts/main.handlebars): GET / renders the message (MESSAGE, default "Hello world!"),
 * namespace, pod and node from the downward-API variables, and the image; any other path is
 * express's 404.
 */
function helloKubernetes(api: ClusterApi, pod: Obj, container: Obj, image: string, req: ServedRequest): HttpAnswer {
  if (req.path !== '/' || req.method !== 'GET') {
    return { status: 404, body: `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${req.method} ${escape(req.path)}</pre>\n</body>\n</html>\n` };
  }
  const env = envOf(pod, container);
  const node = pod.spec?.nodeName ? getObj(api, 'core/nodes', '', pod.spec.nodeName) : undefined;
  const nodeOS = `Linux ${node?.status?.nodeInfo?.kernelVersion ?? ''}`;
  const tag = /:([^@]+)/.exec(image.slice(image.lastIndexOf('/')))?.[1] ?? '1.10.1';
  // the image's package.json version: tag 1.10 is release 1.10.1
  const version = tag === '1.10' ? '1.10.1' : tag;
  const prefix = env.RENDER_PATH_PREFIX ? `/${env.RENDER_PATH_PREFIX.replace(/^[\\/]+/, '').replace(/[\\/]+$/, '')}` : '';
  const values = {
    message: env.MESSAGE || 'Hello world!',
    namespace: env.KUBERNETES_NAMESPACE || '-',
    pod: env.KUBERNETES_POD_NAME || pod.metadata.name,
    node: `${env.KUBERNETES_NODE_NAME || '-'} (${nodeOS})`,
    container: `${env.CONTAINER_IMAGE || `paulbouwer/hello-kubernetes:${version}`} (linux/amd64)`,
  };
  const v = (k: keyof typeof values) => escape(values[k]);
  const body = `<div id="message">\n  ${v('message')}\n</div>\n<div id="info">\n  <table>\n    <tr>\n      <th>namespace:</th>\n      <td>${v('namespace')}</td>\n    </tr>\n    <tr>\n      <th>pod:</th>\n      <td>${v('pod')}</td>\n    </tr>\n    <tr>\n      <th>node:</th>\n      <td>${v('node')}</td>\n    </tr>\n  </table>\n</div>\n<div id="footer">\n  ${v('container')}\n</div>\n`;
  const page = `<!DOCTYPE html>\n<html>\n<head>\n    <title>Hello Kubernetes!</title>\n    <link rel="stylesheet" type="text/css" href="${escape(prefix)}/css/main.css">\n    <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Ubuntu:300" >\n</head>\n<body>\n\n  <div class="main">\n    <img src="${escape(prefix)}/images/kubernetes.png"/>\n    <div class="content">\n      ${body}\n    </div>\n  </div>\n\n</body>\n</html>\n`;
  return { status: 200, body: page };
}

/** A container's environment: values and the downward API's fieldRefs the kubelet resolves. */
function envOf(pod: Obj, container: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) out[e.name] = String(e.value);
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path === 'metadata.namespace') out[e.name] = pod.metadata.namespace;
    else if (path === 'metadata.name') out[e.name] = pod.metadata.name;
    else if (path === 'spec.nodeName') out[e.name] = pod.spec?.nodeName ?? '';
    else if (path === 'status.podIP') out[e.name] = pod.status?.podIP ?? '';
  }
  return out;
}
