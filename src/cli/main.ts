#!/usr/bin/env node
import { EXIT } from './exit.js';
import { processIO } from './io.js';
import { run } from './program.js';
import { OutputGuard } from './stdio.js';

const argv = process.argv.slice(2);
// Only `render` has --diff; there a failure must not read as "would change" (1).
const guard = new OutputGuard(process.stdout, process.stderr, argv.includes('--diff') ? EXIT.diffFailed : EXIT.invalid);
process.exitCode = guard.exitCode(await run(argv, processIO()));
