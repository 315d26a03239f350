import { parseManifestText } from '../src/manifests/index.js';
import { buildPlan } from '../src/plan/index.js';
import { validatePlatformText } from '../src/spec/index.js';
import { generatePlatform } from './generate.js';
import { generateLiveSnapshot } from './generate-live.js';
import { ms, peakRssMiB } from './measure.js';

/**
 * A live snapshot of one cluster (Deployments, ReplicaSets, pods with owner references, Services)
 * planned on a 2-cluster platform: the time to parse the file against the time to plan it, in
 * the same process.
 */
const [deployments, podsEach] = process.argv.slice(2, 4).map(Number) as [number, number];
const platform = validatePlatformText('bench.yaml', generatePlatform(2, 100)).platform!;
const text = generateLiveSnapshot(1, deployments, podsEach, 99);

let t = process.hrtime.bigint();
const parsed = parseManifestText('snapshot.yaml', text, 'site-001');
const parseMs = ms(t);

t = process.hrtime.bigint();
const plan = buildPlan({ platform, objects: parsed.objects });
const planMs = ms(t);

const mine = plan.globalServices.filter((g) => g.client === 'site-001');
const ready = mine.reduce((n, g) => n + (g.backends['site-001'] ?? 0), 0);
console.log(JSON.stringify({ pods: deployments * podsEach, objects: parsed.objects.length, bytes: text.length, parseMs, planMs, ready, warnings: plan.warnings.length, peakMiB: peakRssMiB() }));
