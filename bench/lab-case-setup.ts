/**
 * What bench/apply, bench/status and bench/verify cases share: a fresh folder holding the platform
 * of the case (`ref` = the reference lab, `N` = N generated clusters of 2 nodes), and the request
 * that applies it to the lab with the built runApply (dist/, so the lab process runs the built lab).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlatform } from './generate.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const dist = (p: string): string => join(ROOT, 'dist', p);
const { validatePlatformFile } = (await import(dist('spec/index.js'))) as typeof import('../src/spec/index.js');
type ApplyRequest = import('../src/ops/index.js').ApplyRequest;

export function benchFolder(which: string, prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'platform.yaml');
  writeFileSync(file, which === 'ref' ? readFileSync(join(ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8') : generatePlatform(Number(which), 2));
  const platform = validatePlatformFile(file).platform;
  if (!platform) throw new Error(`${file} is not valid`);
  return { dir, file, platform };
}

export function labApplyRequest(c: ReturnType<typeof benchFolder>, timeoutMs: number): ApplyRequest {
  return {
    cwd: c.dir,
    platform: c.platform,
    platformFile: c.file,
    outDir: join(c.dir, '.meshwright', 'out'),
    stateDir: join(c.dir, '.meshwright', 'state', 'pki'),
    target: 'lab',
    dryRun: false,
    timeoutMs,
    contexts: {},
    charts: {},
    replace: false,
    renderOptions: { caKeyToChart: false, kubeletInsecureTls: false },
    env: process.env,
    now: () => new Date(),
    progress: { emit: () => undefined, close: () => undefined },
  };
}
