// Runs every test of the given files on its own and reports each one that fails alone, i.e. one
// that passes in its file only because an earlier test left the state it needs. Run by hand (it
// starts one test process per test, slow for the lab files), not part of `npm test`:
//   nice -n 19 node --import tsx scripts/tests-alone.ts test/lab/kubectl.test.ts [more files…]
// Exit 0 when every test passes alone, 1 when one does not, 2 on usage.
//
// Node 20's --test-name-pattern matches a test's own name (a describe's name runs all it holds), so a
// test is run alone with the pattern ^name$; tests sharing a name in one file run together.
import { run } from 'node:test';
import { existsSync } from 'node:fs';

interface Outcome {
  path: string[];
  name: string;
  passed: boolean;
  skipped: boolean;
  error?: string;
}

interface TestEvent {
  name: string;
  nesting: number;
  skip?: boolean | string;
  todo?: boolean | string;
  details?: { type?: string; error?: unknown };
}

// A test's own outcome plus the describes around it. node:test reports a suite after its children,
// so outcomes wait at their depth until their parent is reported.
async function runFile(file: string, pattern?: string): Promise<Outcome[]> {
  const waiting = new Map<number, Outcome[]>();
  const stream = run({ files: [file], testNamePatterns: pattern === undefined ? undefined : [pattern] });
  for await (const event of stream) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data as TestEvent;
    const children = waiting.get(data.nesting + 1) ?? [];
    waiting.delete(data.nesting + 1);
    const here = waiting.get(data.nesting) ?? [];
    if (data.details?.type === 'suite') {
      for (const child of children) child.path.unshift(data.name);
      here.push(...children);
    } else {
      // a test's own subtests (t.test) belong to it: it is the unit that runs alone
      here.push({
        path: [],
        name: data.name,
        passed: event.type === 'test:pass',
        skipped: Boolean(data.skip) || Boolean(data.todo),
        error: event.type === 'test:fail' ? describeError(data.details?.error) : undefined,
      });
    }
    waiting.set(data.nesting, here);
  }
  return waiting.get(0) ?? [];
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n').filter((line) => line.trim() !== '').slice(0, 6).join('\n      ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function label(outcome: Outcome): string {
  return [...outcome.path, outcome.name].join(' › ');
}

async function checkFile(file: string): Promise<number> {
  const all = await runFile(file);
  let failures = 0;
  const names = [...new Set(all.filter((test) => !test.skipped).map((test) => test.name))];
  for (const name of names) {
    const together = all.filter((test) => test.name === name);
    if (together.some((test) => !test.passed)) {
      console.log(`  (fails in the whole file too, not checked) ${together.map(label).join(', ')}`);
      continue;
    }
    const alone = (await runFile(file, `^${escapeRegExp(name)}$`)).filter((test) => !test.skipped);
    const ran = alone.filter((test) => test.name === name);
    if (ran.length === 0) {
      failures += 1;
      console.log(`  DID NOT RUN ALONE ${together.map(label).join(', ')}`);
      continue;
    }
    for (const test of alone.filter((test) => !test.passed)) {
      failures += 1;
      console.log(`  FAILS ALONE ${label(test)}\n      ${test.error ?? ''}`);
    }
    if (together.length > 1) console.log(`  (${together.length} tests named "${name}" ran together: ${together.map((test) => test.path.join(' › ')).join('; ')})`);
  }
  console.log(`${file}: ${names.length} test name(s) run alone, ${failures} failing alone`);
  return failures;
}

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.some((file) => file.startsWith('-'))) {
    console.error('usage: node --import tsx scripts/tests-alone.ts TEST_FILE...');
    return 2;
  }
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    console.error(`no such test file: ${missing.join(', ')}`);
    return 2;
  }
  let failures = 0;
  for (const file of files) failures += await checkFile(file);
  console.log(failures === 0 ? 'every test passes alone' : `${failures} test(s) fail alone`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
