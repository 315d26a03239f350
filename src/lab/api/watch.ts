import type { ServerResponse } from 'node:http';
import { groupResource, type ResourceDef } from './catalog.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { resourceExpired } from './status.js';
import type { LogStore, Obj, StoreEvent } from '../store/log-store.js';

/** One serialized line per (object, event type): a hundred JSON watchers share one JSON.stringify. */
const LINES = new WeakMap<Obj, Map<string, string>>();

function line(type: string, object: Obj): string {
  let m = LINES.get(object);
  if (!m) LINES.set(object, (m = new Map()));
  let l = m.get(type);
  if (l === undefined) m.set(type, (l = `${JSON.stringify({ type, object })}\n`));
  return l;
}

export interface WatchOptions {
  namespace: string | undefined;
  resourceVersion: string | null;
  labelSelector: string | null;
  fieldSelector: string | null;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
  /** How often a BOOKMARK goes out when asked for (the apiserver sends one about every minute). */
  bookmarkEveryMs: number;
  /** Turns an object into what this client reads (the object, or a one-row Table). */
  encode: (o: Obj, first: boolean) => Obj;
  present: (o: Obj) => Obj;
}

/**
 * A watch stream, kine's way (logstructured.Watch): subscribe first, then replay the log after
 * the client's resourceVersion, then the buffered live events, dropping any already sent. One
 * JSON object per line (client-node splits lines and drops what it cannot parse). An expired
 * resourceVersion gets one ERROR event carrying 410 Expired, then the stream ends: client-node
 * 1.4 relists only when the stream ends (runtime-anchors 3).
 */
export function serveWatch(store: LogStore, def: ResourceDef, res: ServerResponse, opts: WatchOptions): void {
  const gr = groupResource(def);
  const prefix = def.namespaced && opts.namespace ? `${gr}|${opts.namespace}|` : `${gr}|`;
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector, gr);
  const matches = (o: Obj | undefined) => !!o && labels(o.metadata?.labels) && fields(o);
  let lastSent = 0;
  let first = true;
  let buffering = true;
  const buffer: StoreEvent[] = [];
  // Events of one store flush go out as one write (one TLS record) rather than one each.
  let pending: string[] = [];
  const write = (type: string, object: Obj) => {
    pending.push(object.kind === 'Table' || type === 'BOOKMARK' || type === 'ERROR' ? `${JSON.stringify({ type, object })}\n` : line(type, object));
    first = false;
    if (pending.length === 1) queueMicrotask(flush);
  };
  const flush = () => {
    if (!pending.length || res.writableEnded) return;
    res.write(pending.join(''));
    pending = [];
  };
  const send = (e: StoreEvent) => {
    if (e.rev <= lastSent) return;
    lastSent = e.rev;
    if (!e.key.startsWith(prefix)) return;
    const now = matches(e.value);
    const before = e.type === 'ADDED' ? false : matches(e.prev);
    let type: string | undefined;
    if (e.type === 'DELETED') type = before ? 'DELETED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    if (type) write(type, opts.encode(opts.present(e.value), first));
  };
  const unsubscribe = store.subscribe((e) => (buffering ? buffer.push(e) : send(e)));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const timers: NodeJS.Timeout[] = [];
  const stop = () => {
    flush();
    unsubscribe();
    for (const t of timers) clearTimeout(t), clearInterval(t);
    if (!res.writableEnded) res.end();
  };
  res.on('close', stop);

  const rv = opts.resourceVersion;
  if (!rv || rv === '0' || opts.sendInitialEvents) {
    // "Get State and Start at Most Recent": the current objects as ADDED, then changes
    const items = store.list(gr, def.namespaced ? opts.namespace : undefined).map((e) => e.value).filter(matches);
    lastSent = store.rev;
    for (const o of items) write('ADDED', opts.encode(opts.present(o), first));
    if (opts.sendInitialEvents && opts.bookmarks) write('BOOKMARK', bookmark(def, lastSent, true));
  } else {
    const from = Number(rv);
    const replay = Number.isFinite(from) ? store.eventsSince(from) : 'expired';
    if (replay === 'expired') {
      const err = resourceExpired(Number.isFinite(from) ? `too old resource version: ${rv} (${store.compactRev + 1})` : `invalid resource version: ${rv}`);
      write('ERROR', err.status as unknown as Obj);
      return stop();
    }
    lastSent = from;
    for (const e of replay) send(e);
    lastSent = Math.max(lastSent, replay.length ? replay[replay.length - 1]!.rev : from);
  }
  buffering = false;
  for (const e of buffer) send(e);
  if (opts.bookmarks) timers.push(setInterval(() => write('BOOKMARK', bookmark(def, Math.max(lastSent, 0), false)), opts.bookmarkEveryMs));
  if (opts.timeoutSeconds) timers.push(setTimeout(stop, opts.timeoutSeconds * 1000));
}

function bookmark(def: ResourceDef, rev: number, initialEnd: boolean): Obj {
  return {
    kind: def.kind,
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata: { resourceVersion: String(rev), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
  };
}
