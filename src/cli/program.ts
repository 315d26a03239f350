import { Command, CommanderError, Option } from 'commander';
import { formatDiagnostic, MeshwrightError } from '../diag/index.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { VERSION } from './version.js';

type Register = (program: Command, io: CliIO) => void;

/**
 * Each command's module, loaded only when its command runs: `lab up` or `validate` should not
 * pay for the PKI, the policy engine and the renderers (about a third of a second of start-up).
 * Help and unknown commands load them all, in this order (the order `--help` lists them).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate: async () => (await import('./validate.js')).registerValidate,
  render: async () => (await import('./render.js')).registerRender,
  plan: async () => (await import('./plan.js')).registerPlan,
  policy: async () => (await import('./policy.js')).registerPolicy,
  schema: async () => (await import('./schema.js')).registerSchema,
  demo: async () => (await import('./demo.js')).registerDemo,
  lab: async () => (await import('./lab.js')).registerLab,
  kubeconfig: async () => (await import('./kubeconfig.js')).registerKubeconfig,
  apply: async () => (await import('./apply.js')).registerApply,
  status: async () => (await import('./status.js')).registerStatus,
  verify: async () => (await import('./verify.js')).registerVerify,
  observe: async () => (await import('./observe.js')).registerObserve,
  dashboard: async () => (await import('./dashboard.js')).registerDashboard,
};

/** The program with the commands `argv` needs (all of them when `argv` is not given or names none). */
export async function createProgram(io: CliIO, argv?: readonly string[]): Promise<Command> {
  const program = new Command('meshwright')
    .description('Build, predict and verify Kubernetes platforms joined by Cilium Cluster Mesh, from one platform.yaml.')
    .version(VERSION, '--version', 'print the meshwright version')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError()
    .showHelpAfterError("(run 'meshwright --help' for usage)");
  const named = argv?.find((a) => !a.startsWith('-'));
  // `meshwright --version` needs no command; help and unknown commands need them all (to list or suggest)
  const versionOnly = named === undefined && argv?.includes('--version') === true && !argv.some((a) => a === '--help' || a === '-h');
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : versionOnly ? [] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) register(program, io);
  return program;
}

/** Runs one command line; returns the exit code. Never calls process.exit. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = await createProgram(io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    return exitCodeFor(err, io, colorFor(program.opts<Globals>(), io, 'stderr'));
  }
}

function exitCodeFor(err: unknown, io: CliIO, color: boolean): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof CommanderError) {
    const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
    return done ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof MeshwrightError) {
    for (const d of err.diagnostics) io.stderr(`${formatDiagnostic(d, undefined, color)}\n`);
    return err.exitCode;
  }
  // Not a user's mistake: a bug. Keep the stack so it can be found, and a code of its own (70).
  io.stderr(`meshwright: internal error (a bug; please report it with this output): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.software;
}
