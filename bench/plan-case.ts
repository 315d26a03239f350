import { parseManifestText } from '../src/manifests/index.js';
import { buildPlan } from '../src/plan/index.js';
import { validatePlatformText } from '../src/spec/index.js';
import { generateGlobalServices, generatePlatform } from './generate.js';
import { ms, peakRssMiB } from './measure.js';

/** One size in its own process: validate, parse the manifests, then the plan (aggregate or per pair). */
const [clusters, nodes, services] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const detail = (process.argv[5] ?? 'aggregate') as 'aggregate' | 'pairs';

let t = process.hrtime.bigint();
const platform = validatePlatformText('bench.yaml', generatePlatform(clusters, nodes)).platform!;
const validateMs = ms(t);

t = process.hrtime.bigint();
const manifests = parseManifestText('services.yaml', generateGlobalServices(services));
const parseMs = ms(t);

t = process.hrtime.bigint();
const plan = buildPlan({ platform, objects: manifests.objects, detail });
const planMs = ms(t);

t = process.hrtime.bigint();
const json = JSON.stringify(plan);
const jsonMs = ms(t);

const predictions = detail === 'pairs' ? plan.globalServices.length : plan.serviceAggregates!.reduce((n, a) => n + a.clients.length, 0);
console.log(JSON.stringify({ clusters, nodes: clusters * nodes, services, detail, validateMs, parseMs, planMs, jsonMs, jsonBytes: json.length, predictions, peakMiB: peakRssMiB() }));
