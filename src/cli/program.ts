import { Command, CommanderError, Option } from 'commander';
import { formatDiagnostic, MeshwrightError } from '../diag/index.js';
import { registerDemo } from './demo.js';
import { registerLab } from './lab.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { registerPlan } from './plan.js';
import { registerPolicy } from './policy.js';
import { registerRender } from './render.js';
import { registerSchema } from './schema.js';
import { registerValidate } from './validate.js';
import { VERSION } from './version.js';

export function createProgram(io: CliIO): Command {
  const program = new Command('meshwright')
    .description('Build, predict and verify Kubernetes platforms joined by Cilium Cluster Mesh, from one platform.yaml.')
    .version(VERSION, '--version', 'print the meshwright version')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError()
    .showHelpAfterError("(run 'meshwright --help' for usage)");
  registerValidate(program, io);
  registerRender(program, io);
  registerPlan(program, io);
  registerPolicy(program, io);
  registerSchema(program, io);
  registerDemo(program, io);
  registerLab(program, io);
  return program;
}

/** Runs one command line; returns the exit code. Never calls process.exit. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = createProgram(io);
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
