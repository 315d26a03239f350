/**
 * The background lab process (`meshwright lab up` spawns it detached, its output going to
 * .meshwright/lab/lab.log): serves every cluster of the platform until SIGTERM. It loads only
 * spec/ and lab/, so it answers quickly.
 */
import { validatePlatformFile } from '../../spec/index.js';
import { serveLab } from './supervisor.js';

const [cwd, platformFile, latency] = process.argv.slice(2) as [string, string, string | undefined];
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
try {
  const r = validatePlatformFile(platformFile, platformFile);
  if (!r.platform) {
    log(`meshwright lab: ${platformFile} is not a valid platform: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    process.exit(1);
  }
  const served = await serveLab({ cwd, platform: r.platform, platformFile, now: new Date(), latencyMs: Number(latency ?? 0) || 0 }, log);
  await served.stopped;
  process.exit(0);
} catch (err) {
  log(`meshwright lab: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(3);
}
