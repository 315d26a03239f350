/**
 * `npm run mutate -- [FOLDER…] [--full] [--ignore-static] [--one-process] [--mutate GLOB [--tests GLOB]]`: StrykerJS over one core folder at a
 * time, with the test files that cover it, then a line per folder: mutants killed, survived,
 * timed out, not covered, and the mutation score. Incremental by default (results kept in
 * reports/mutation/<folder>/, or in a subfolder per --mutate scope); --full re-runs every
 * mutant. Not part of `npm test` or CI.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import { globSync } from 'glob';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { isSurvivor, survivorLine } from './mutate-live-reporter.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each core folder and the test files that exercise it (tap runner: one process per file). */
const SUITES: Record<string, string[]> = {
  spec: ['test/spec/**/*.test.ts', 'test/cli/validate.test.ts', 'test/cli/schema.test.ts'],
  model: ['test/model/**/*.test.ts', 'test/plan/**/*.test.ts', 'test/policy-report/**/*.test.ts'],
  plan: ['test/plan/**/*.test.ts', 'test/cli/plan.test.ts'],
  'policy-report': ['test/policy-report/**/*.test.ts', 'test/cli/policy.test.ts'],
  render: ['test/render/**/*.test.ts', 'test/cli/render.test.ts'],
  pki: ['test/pki/**/*.test.ts'],
};

interface Args {
  folders: string[];
  full: boolean;
  mutate?: string[];
  /** Only these test files: a lower bound on the score (the folder's other tests could kill more), in minutes instead of hours. */
  tests?: string[];
  /**
   * Skip static mutants (module-level code: shapes, tables, messages kept in constants). Each one
   * runs every test file with no coverage to narrow it, so they are most of a run's time.
   */
  ignoreStatic: boolean;
  /**
   * Run the listed test files as one node process (an entry file importing them all) instead of
   * one process each. Where every file covers every mutant (the policy engine), a surviving mutant
   * costs one start-up of node and tsx instead of twenty-four: about 4 s instead of 14 s.
   */
  oneProcess: boolean;
}

function parseArgs(argv: string[]): Args {
  const folders: string[] = [];
  let full = false;
  let ignoreStatic = false;
  let oneProcess = false;
  let mutate: string[] | undefined;
  let tests: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--full') full = true;
    else if (a === '--ignore-static') ignoreStatic = true;
    else if (a === '--one-process') oneProcess = true;
    else if (a === '--mutate') (mutate ??= []).push(argv[++i] ?? '');
    else if (a === '--tests') (tests ??= []).push(argv[++i] ?? '');
    else if (a in SUITES) folders.push(a);
    else {
      process.stderr.write(`mutate: unknown folder or flag ${JSON.stringify(a)}; folders: ${Object.keys(SUITES).join(', ')}\n`);
      process.exit(2);
    }
  }
  if (tests && !mutate) {
    process.stderr.write('mutate: --tests needs --mutate (a folder-wide score takes every test that covers it)\n');
    process.exit(2);
  }
  return { folders: folders.length ? folders : Object.keys(SUITES), full, ignoreStatic, oneProcess, ...(mutate ? { mutate } : {}), ...(tests ? { tests } : {}) };
}

/** Stryker's sandbox sits two folders deeper than the repository: tests that read ../shared need it beside the sandbox. */
function linkShared(tempDir: string): void {
  mkdirSync(tempDir, { recursive: true });
  const link = join(tempDir, 'shared');
  const target = resolve(ROOT, '..', 'shared');
  if (!existsSync(link) && existsSync(target)) symlinkSync(target, link, 'dir');
}

/**
 * Where a run keeps its reports: reports/mutation/<folder>/, or a subfolder named after the
 * --mutate globs. Stryker rewrites its incremental file with the run's mutants only, so a run
 * split by files needs one file per part, or each part would forget the others' results.
 */
function reportsDir(folder: string, args: Args): string {
  const base = join(ROOT, 'reports', 'mutation', folder);
  if (!args.mutate) return args.ignoreStatic ? join(base, 'no-static') : base;
  const slug = (globs: string[]) => globs.map((g) => g.replace(/^(src|test)\//, '').replace(/[^A-Za-z0-9.-]+/g, '_')).join('+');
  // --one-process keeps its own results: Stryker's incremental file names tests, and there the one test is the entry file.
  const name = slug(args.mutate) + (args.tests ? `--by--${slug(args.tests)}` : '') + (args.ignoreStatic ? '--no-static' : '') + (args.oneProcess ? '--one-process' : '');
  // Many globs make a name past the file system's 255 bytes: keep its start and a hash of the whole.
  return join(base, name.length <= 120 ? name : `${name.slice(0, 80)}…${createHash('sha256').update(name).digest('hex').slice(0, 12)}`);
}

/**
 * Where --one-process writes its entry file: inside test/ so Stryker copies it into the sandbox,
 * one per reports folder so that runs of two scopes keep apart; git-ignored, and not named
 * *.test.ts so that `npm test` during a run does not pick it up.
 */
const entryPath = (reports: string): string => join(ROOT, 'test', `.mutate-entry-${createHash('sha256').update(reports).digest('hex').slice(0, 8)}.ts`);

/**
 * The entry file: one import per test file the globs match, in a stable order. Stryker's
 * incremental mode tells a changed test by its file's text; here that file is the entry, so it
 * carries a hash of every imported file's text, and a changed test file re-runs the mutants.
 */
function writeEntry(globs: string[], entry: string): string {
  const files = globSync(globs, { cwd: ROOT, absolute: true }).filter((f) => f.endsWith('.test.ts')).sort();
  if (files.length === 0) {
    process.stderr.write(`mutate: --one-process: no test file matches ${globs.join(' ')}\n`);
    process.exit(2);
  }
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(f));
  const lines = files.map((f) => `import './${relative(dirname(entry), f)}';`);
  writeFileSync(entry, `// Written by scripts/mutate.ts --one-process for one run; the tests' text: ${hash.digest('hex')}\n${lines.join('\n')}\n`);
  // Stryker turns SIGINT and SIGTERM into process.exit (its unexpected-exit handler): a finally would not run.
  process.on('exit', () => rmSync(entry, { force: true }));
  return relative(ROOT, entry);
}

function options(folder: string, args: Args, reports: string, testFiles: string[]): PartialStrykerOptions {
  const tempDirName = join('.stryker-tmp', folder);
  linkShared(join(ROOT, tempDirName));
  return {
    packageManager: 'npm',
    testRunner: 'tap',
    tap: { testFiles, nodeArgs: ['--import', 'tsx', '--test-reporter=tap'], forceBail: true },
    checkers: ['typescript'],
    // The core folders and what they import: the checker re-checks a mutant's dependents, and the lab, CLI and ops (two thirds of src/) are none of the core's.
    tsconfigFile: 'tsconfig.mutate.json',
    coverageAnalysis: 'perTest',
    ignoreStatic: args.ignoreStatic,
    concurrency: 2,
    mutate: args.mutate ?? [`src/${folder}/**/*.ts`, `!src/${folder}/**/index.ts`, `!src/${folder}/**/types.ts`],
    ignorePatterns: ['dist', 'reports', '.meshwright', 'bench', '.stryker-tmp'],
    incremental: true,
    force: args.full,
    incrementalFile: join(reports, 'incremental.json'),
    tempDirName,
    reporters: ['html', 'json', 'clear-text', 'progress-append-only', 'live'],
    htmlReporter: { fileName: join(reports, 'index.html') },
    jsonReporter: { fileName: join(reports, 'mutation.json') },
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
    timeoutMS: 20000,
    plugins: ['@stryker-mutator/tap-runner', '@stryker-mutator/typescript-checker'],
    appendPlugins: [join(ROOT, 'scripts', 'mutate-live-reporter.ts')],
  };
}

interface Tally {
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  errors: number;
}

function tally(results: MutantResult[]): Tally {
  const t: Tally = { killed: 0, survived: 0, timeout: 0, noCoverage: 0, errors: 0 };
  for (const r of results) {
    if (r.status === 'Killed') t.killed++;
    else if (r.status === 'Survived') t.survived++;
    else if (r.status === 'Timeout') t.timeout++;
    else if (r.status === 'NoCoverage') t.noCoverage++;
    else if (r.status === 'RuntimeError') t.errors++;
  }
  return t;
}

/** Stryker's own definition: detected (killed + timed out) over valid mutants (detected + survived + not covered). */
const score = (t: Tally): number => (100 * (t.killed + t.timeout)) / Math.max(1, t.killed + t.timeout + t.survived + t.noCoverage);

function survivors(results: MutantResult[]): string {
  return results
    .filter(isSurvivor)
    .map((r) => survivorLine(r, ROOT))
    .sort()
    .join('\n');
}

const args = parseArgs(process.argv.slice(2));
const rows: string[] = [];
for (const folder of args.folders) {
  const reports = reportsDir(folder, args);
  process.env['MUTATE_LIVE_DIR'] = reports;
  const globs = args.tests ?? SUITES[folder]!;
  const entry = entryPath(reports);
  const testFiles = args.oneProcess ? [writeEntry(globs, entry)] : globs;
  const results = await new Stryker(options(folder, args, reports, testFiles)).runMutationTest();
  if (args.oneProcess) rmSync(entry, { force: true });
  const t = tally(results);
  writeFileSync(join(reports, 'survivors.txt'), `${survivors(results)}\n`);
  if (args.mutate) process.stdout.write(`\n${folder} limited to ${args.mutate.join(' ')}${args.tests ? `, tested by ${args.tests.join(' ')} only (a lower bound)` : ''}: reports in ${reports.replace(`${ROOT}/`, '')}/\n`);
  rows.push(`${folder.padEnd(8)} ${String(results.length).padStart(6)} ${String(t.killed).padStart(7)} ${String(t.survived).padStart(9)} ${String(t.timeout).padStart(9)} ${String(t.noCoverage).padStart(12)} ${score(t).toFixed(1).padStart(7)}%`);
}
process.stdout.write(`\nFOLDER   MUTANTS  KILLED  SURVIVED  TIMED-OUT  NOT-COVERED   SCORE\n${rows.join('\n')}\n`);
process.stdout.write(`survivors: reports/mutation/<folder>/survivors.txt · report: reports/mutation/<folder>/index.html\n`);
