import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CertificateRow } from '../pki/index.js';
import { isSecretPath, readTree } from '../render-output/index.js';
import type { RenderedFile, RenderOptions } from '../render/index.js';
import type { Platform } from '../spec/index.js';
// state/atomic.js itself, not state's index: that one loads pki, which a no-op apply never needs
import { writeFileAtomic } from '../state/atomic.js';
import { inputsHash } from './journal.js';

export const RENDER_STAMP_FILE = 'apply-render-stamp.json';

/** The same renewal point pki/reuse.ts expiryReason applies: 30 days, or a third of the lifetime, before notAfter. */
const RENEW_MS = 30 * 24 * 3600 * 1000;

interface Stamp {
  key: string;
  /** Before this instant render would reuse every certificate (ISO 8601). */
  renewBy: string;
}

/**
 * What render's result depends on, as one hash: the platform, the options, the code that renders
 * (its version and its files' sizes and times), the state folder's certificates and keys, and the
 * output folder as it is on disk. Render is deterministic in these (DESIGN.md: same input, same
 * bytes) except for the clock, which only matters once a certificate is due: hence renewBy.
 */
function stampKey(platform: Platform, options: RenderOptions, outDir: string, stateDir: string): { key: string; tree: Map<string, string> } {
  const tree = readTree(outDir);
  const key = inputsHash({ platform, options, code: codeSignature(), state: stateFiles(stateDir), output: [...tree] });
  return { key, tree };
}

/**
 * The rendered files as they are on disk, when a render now would give exactly these bytes and
 * keep every certificate (the stamp written after the last render still matches); otherwise undefined.
 */
export function unchangedRender(platform: Platform, options: RenderOptions, outDir: string, stateDir: string, now: Date): RenderedFile[] | undefined {
  const file = join(stateDir, RENDER_STAMP_FILE);
  if (!existsSync(file)) return undefined;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (!(now.getTime() < Date.parse(stamp.renewBy))) return undefined;
  const { key, tree } = stampKey(platform, options, outDir, stateDir);
  if (key !== stamp.key) return undefined;
  return [...tree].map(([path, content]) => ({ path, content, secret: isSecretPath(path) }));
}

/** Records, after a render that wrote or matched the output, what it depended on. */
export function writeRenderStamp(platform: Platform, options: RenderOptions, outDir: string, stateDir: string, certificates: readonly CertificateRow[]): void {
  const renewBy = Math.min(...certificates.map((c) => {
    const after = Date.parse(c.notAfter);
    const lifetime = after - Date.parse(c.notBefore);
    return Math.min(after - RENEW_MS, after - lifetime / 3);
  }));
  if (!Number.isFinite(renewBy)) return;
  const stamp: Stamp = { key: stampKey(platform, options, outDir, stateDir).key, renewBy: new Date(renewBy).toISOString() };
  writeFileAtomic(join(stateDir, RENDER_STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

/**
 * Every file of the state folder render reads (the CA, the leaves, IPsec keys: all but apply's own
 * files), with its mode: render refuses keys others can read (state/permissions.ts), so a mode
 * change must not be skipped over either.
 */
function stateFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      if (!rel && /^\.?appl(y|ied)/.test(name)) continue;
      const full = join(d, name);
      const st = statSync(full);
      const r = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) walk(full, r);
      else out.push(`${r}:${st.mode}:${readFileSync(full, 'base64')}`);
    }
  };
  walk(dir, '');
  return out;
}

let signature: string | undefined;

/** The rendering code as built: meshwright's version and the size and time of every file of render, pki, state and render-output. */
function codeSignature(): string {
  if (signature) return signature;
  const here = fileURLToPath(new URL('.', import.meta.url));
  const parts: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else parts.push(`${full}:${st.size}:${st.mtimeMs}`);
    }
  };
  for (const folder of ['render', 'pki', 'state', 'render-output', 'manifests']) walk(join(here, '..', folder));
  parts.push(readFileSync(join(here, '..', '..', 'package.json'), 'utf8'));
  return (signature = inputsHash(parts));
}
