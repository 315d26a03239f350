import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The platform file apply last converged from this state folder (`file` of ops' applied-platform.json,
 * src/ops/journal.ts APPLIED_PLATFORM_FILE): `status` and `verify` use it when given none. Read
 * here rather than through ops' public face, which loads the renderers.
 */
export function appliedPlatformFile(stateDir: string): string | undefined {
  try {
    const file = (JSON.parse(readFileSync(join(stateDir, 'applied-platform.json'), 'utf8')) as { file?: unknown }).file;
    return typeof file === 'string' && file ? file : undefined;
  } catch {
    return undefined;
  }
}
