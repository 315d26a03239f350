export { createProgram, run } from './program.js';
export { memoryIO, processIO } from './io.js';
export type { CliIO } from './io.js';
export { EXIT, ExitError } from './exit.js';
