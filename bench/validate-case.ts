import { YamlSource } from '../src/source/index.js';
import { validatePlatformText } from '../src/spec/index.js';
import { generatePlatform } from './generate.js';
import { ms, peakRssMiB } from './measure.js';

/** One size, cold (as a CLI run is), in its own process: parse, validate, and the path with one finding. */
const [clusters, nodes] = process.argv.slice(2).map(Number) as [number, number];
const text = generatePlatform(clusters, nodes);

let t = process.hrtime.bigint();
const loaded = new YamlSource('bench.yaml', text).load();
const parseMs = ms(t);
if (loaded.diagnostics.length) throw new Error('generated platform does not parse');

t = process.hrtime.bigint();
const result = validatePlatformText('bench.yaml', text);
const totalMs = ms(t);
if (result.diagnostics.length) throw new Error(`generated platform is not clean: ${result.diagnostics[0]!.message}`);

// One mistake at the end: positions are resolved, which costs a full position-keeping parse.
const broken = text.replace(/address: (\S+)\n(?![\s\S]*address:)/, 'address: 172.16.16.0\n');
t = process.hrtime.bigint();
const withFinding = validatePlatformText('bench.yaml', broken);
const findingMs = ms(t);
if (withFinding.diagnostics.length === 0) throw new Error('the broken variant found nothing');

console.log(JSON.stringify({ clusters, nodes: clusters * nodes, bytes: Buffer.byteLength(text), parseMs, validateMs: totalMs - parseMs, totalMs, findingMs, peakMiB: peakRssMiB() }));
