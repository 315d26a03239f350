import { closeSync, fdatasyncSync, fsyncSync, fstatSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

/** A Kubernetes object as stored: plain JSON. */
export type Obj = Record<string, any>;

export interface Entry {
  /** The revision (resourceVersion) of the write that produced this value. */
  rev: number;
  /** The revision that created the key (kine's create_revision). */
  createRev: number;
  value: Obj;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rev: number;
  type: EventType;
  key: string;
  /** The object after the write; for DELETED the last object, stamped with the delete's revision. */
  value: Obj;
  /** The object before the write (MODIFIED, DELETED), so selectors can tell objects leaving a filtered watch. */
  prev?: Obj;
  createRev: number;
}

export interface StoreOptions {
  /** Revisions kept for watches after compaction (kine's compact-min-retain default: 1000). */
  retain?: number;
  /** Skip fsync (benchmarks of the API only; never the lab itself). */
  noSync?: boolean;
}

interface PutRecord {
  r: number;
  k: string;
  c: number;
  v: Obj;
  d?: 1;
}
interface HeaderRecord {
  compact: number;
  rev: number;
}

/**
 * One cluster's durable, versioned store, modelled on k3s's kine (pkg/logstructured, pkg/drivers/
 * generic): an append-only log whose record number is the resourceVersion, a delete is a
 * tombstone record, "current" is the newest record per key, and a compaction keeps the newest
 * `retain` revisions for watches (kine `safeCompactRev`, `compact-min-retain` 1000).
 *
 * The log is a file of JSON lines, each prefixed with its CRC-32, appended with write() and
 * flushed with fdatasync() before any writer hears "done" (group commit: the writes of one
 * event-loop turn share one flush). A crash can only lose a torn last line, which was never
 * acknowledged; opening the file again drops it. Revisions only grow: a compacted file starts
 * with a header naming the compaction and the newest revision.
 *
 * Why not SQLite like kine: better-sqlite3 is a native module that must compile from source here
 * (no prebuilt binaries may be downloaded), which costs a toolchain and minutes in CI, while one
 * writer per cluster and an in-memory index (needed anyway for watches and Table lists) make a
 * log file all the database this needs.
 */
export class LogStore {
  private fd: number;
  private readonly byResource = new Map<string, Map<string, Entry>>();
  private events: StoreEvent[] = [];
  private currentRev = 0;
  private compacted = 0;
  private records = 0;
  private pending: string[] = [];
  private pendingEvents: StoreEvent[] = [];
  private waiters: Array<() => void> = [];
  private flushScheduled = false;
  private readonly subscribers = new Set<(e: StoreEvent) => void>();
  private readonly retain: number;
  private readonly noSync: boolean;

  private constructor(
    readonly path: string,
    opts: StoreOptions,
  ) {
    this.retain = opts.retain ?? 1000;
    this.noSync = opts.noSync ?? false;
    this.fd = openSync(path, 'a+', 0o600);
    this.load();
  }

  static open(path: string, opts: StoreOptions = {}): LogStore {
    return new LogStore(path, opts);
  }

  /** The newest revision (a list's resourceVersion). */
  get rev(): number {
    return this.currentRev;
  }

  /** Watches from at or below this revision get 410 Expired. */
  get compactRev(): number {
    return this.compacted;
  }

  get(key: string): Entry | undefined {
    const [res, rest] = splitKey(key);
    return this.byResource.get(res)?.get(rest);
  }

  /** Entries of one resource ("apps/deployments"), optionally of one namespace, in key order. */
  list(resource: string, namespace?: string): Entry[] {
    const m = this.byResource.get(resource);
    if (!m) return [];
    const out: Entry[] = [];
    const prefix = namespace === undefined ? undefined : `${namespace}|`;
    for (const [k, e] of m) if (prefix === undefined || k.startsWith(prefix)) out.push(e);
    return out.sort((a, b) => (keyOf(a.value) < keyOf(b.value) ? -1 : 1));
  }

  count(resource: string): number {
    return this.byResource.get(resource)?.size ?? 0;
  }

  /**
   * Writes `value` under `key` (create or update). `build` receives the new revision and returns
   * the object to store (with that resourceVersion). Returns the entry at once; `durable`
   * resolves when it is on disk.
   */
  put(key: string, build: (rev: number) => Obj): { entry: Entry; durable: Promise<void> } {
    const rev = this.currentRev + 1;
    const value = build(rev);
    const prevEntry = this.get(key);
    const createRev = prevEntry ? prevEntry.createRev : rev;
    const entry: Entry = { rev, createRev, value };
    this.apply(key, entry);
    const ev: StoreEvent = { rev, type: prevEntry ? 'MODIFIED' : 'ADDED', key, value, createRev, ...(prevEntry ? { prev: prevEntry.value } : {}) };
    return { entry, durable: this.append({ r: rev, k: key, c: createRev, v: value }, ev) };
  }

  /** Removes `key`; `build` stamps the last object with the delete's revision. */
  delete(key: string, build: (rev: number, last: Obj) => Obj): { entry: Entry; durable: Promise<void> } | undefined {
    const prevEntry = this.get(key);
    if (!prevEntry) return undefined;
    const rev = this.currentRev + 1;
    const value = build(rev, prevEntry.value);
    const entry: Entry = { rev, createRev: prevEntry.createRev, value };
    this.remove(key);
    this.currentRev = rev;
    const ev: StoreEvent = { rev, type: 'DELETED', key, value, createRev: prevEntry.createRev, prev: prevEntry.value };
    return { entry, durable: this.append({ r: rev, k: key, c: prevEntry.createRev, v: value, d: 1 }, ev) };
  }

  /** Live events (after they are durable), in revision order. */
  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Every event after `rev`, or 'expired' when compaction removed some of them. */
  eventsSince(rev: number): StoreEvent[] | 'expired' {
    if (rev < this.compacted) return 'expired';
    // events are in revision order: binary search the first one after rev
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.rev <= rev) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  /** Resolves once every write made so far is on disk. */
  flushed(): Promise<void> {
    if (!this.pending.length) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Keeps the newest `retain` revisions of history and rewrites the file without the rest. */
  compact(retain = this.retain): void {
    this.flushNow();
    const target = this.currentRev - retain;
    if (target <= this.compacted) return;
    this.events = this.events.filter((e) => e.rev > target);
    this.compacted = target;
    this.rewrite();
  }

  close(): void {
    this.flushNow();
    closeSync(this.fd);
    this.fd = -1;
  }

  private append(record: PutRecord, ev: StoreEvent): Promise<void> {
    this.currentRev = record.r;
    this.events.push(ev);
    this.pending.push(line(record));
    this.pendingEvents.push(ev);
    const durable = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushNow());
    }
    return durable;
  }

  private flushNow(): void {
    this.flushScheduled = false;
    if (!this.pending.length || this.fd < 0) return;
    const chunk = this.pending.join('');
    const events = this.pendingEvents;
    const waiters = this.waiters;
    this.records += this.pending.length;
    this.pending = [];
    this.pendingEvents = [];
    this.waiters = [];
    writeSync(this.fd, chunk);
    if (!this.noSync) fdatasyncSync(this.fd);
    for (const w of waiters) w();
    for (const e of events) for (const s of this.subscribers) s(e);
    this.maybeCompact();
  }

  private maybeCompact(): void {
    if (this.events.length > 2 * this.retain + 1000) {
      const target = this.currentRev - this.retain;
      this.events = this.events.filter((e) => e.rev > target);
      this.compacted = target;
    }
    let live = 0;
    for (const m of this.byResource.values()) live += m.size;
    if (this.records > 4 * (live + this.events.length) + 10_000) this.rewrite();
  }

  /** Base state up to the compaction, then the retained history: written beside the log, then renamed over it. */
  private rewrite(): void {
    const temp = `${this.path}.compact`;
    const fd = openSync(temp, 'w', 0o600);
    const lines: string[] = [line({ compact: this.compacted, rev: this.currentRev })];
    for (const [res, m] of this.byResource) for (const [rest, e] of m) if (e.rev <= this.compacted) lines.push(line({ r: e.rev, k: `${res}|${rest}`, c: e.createRev, v: e.value }));
    for (const e of this.events) lines.push(line({ r: e.rev, k: e.key, c: e.createRev, v: e.value, ...(e.type === 'DELETED' ? { d: 1 as const } : {}) }));
    writeSync(fd, lines.join(''));
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(temp, this.path);
    syncFolder(dirname(this.path));
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a+', 0o600);
    this.records = lines.length;
  }

  private load(): void {
    const size = fstatSync(this.fd).size;
    if (!size) return;
    const text = readFileSync(this.path, 'utf8');
    let offset = 0;
    while (offset < text.length) {
      const end = text.indexOf('\n', offset);
      if (end < 0) break;
      const rec = parse(text.slice(offset, end));
      if (!rec) break;
      offset = end + 1;
      this.records++;
      if ('compact' in rec) {
        this.compacted = rec.compact;
        this.currentRev = Math.max(this.currentRev, rec.rev);
        continue;
      }
      this.currentRev = Math.max(this.currentRev, rec.r);
      const prev = this.get(rec.k);
      if (rec.d) this.remove(rec.k);
      else this.apply(rec.k, { rev: rec.r, createRev: rec.c, value: rec.v });
      if (rec.r > this.compacted) {
        const type: EventType = rec.d ? 'DELETED' : prev ? 'MODIFIED' : 'ADDED';
        this.events.push({ rev: rec.r, type, key: rec.k, value: rec.v, createRev: rec.c, ...(prev ? { prev: prev.value } : {}) });
      }
    }
    const good = Buffer.byteLength(text.slice(0, offset));
    // A torn last line was never acknowledged: drop it so the next append starts clean.
    if (good < size) ftruncateSync(this.fd, good);
  }

  private apply(key: string, entry: Entry): void {
    const [res, rest] = splitKey(key);
    let m = this.byResource.get(res);
    if (!m) this.byResource.set(res, (m = new Map()));
    m.set(rest, entry);
  }

  private remove(key: string): void {
    const [res, rest] = splitKey(key);
    this.byResource.get(res)?.delete(rest);
  }
}

/** The store key of an object: "<group>/<resource>|<namespace>|<name>". */
export function storeKey(groupResource: string, namespace: string, name: string): string {
  return `${groupResource}|${namespace}|${name}`;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Sort key: namespace, then name. */
function keyOf(o: Obj): string {
  const m = o.metadata ?? {};
  return `${m.namespace ?? ''}|${m.name ?? ''}`;
}

/** Flushes a folder so a rename in it survives a crash (best effort where folders can't be opened). */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the rename itself is still atomic
  }
}

function line(rec: PutRecord | HeaderRecord): string {
  const json = JSON.stringify(rec);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

function parse(text: string): PutRecord | HeaderRecord | undefined {
  const json = text.slice(9);
  if (text[8] !== ' ' || crc32(json).toString(16).padStart(8, '0') !== text.slice(0, 8)) return undefined;
  try {
    return JSON.parse(json) as PutRecord | HeaderRecord;
  } catch {
    return undefined;
  }
}
