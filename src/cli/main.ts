#!/usr/bin/env node
import { processIO } from './io.js';
import { run } from './program.js';
import { OutputGuard } from './stdio.js';

const guard = new OutputGuard(process.stdout, process.stderr);
process.exitCode = guard.exitCode(await run(process.argv.slice(2), processIO()));
