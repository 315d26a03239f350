import type { Command } from 'commander';
import { platformJsonSchema } from '../spec/index.js';
import type { CliIO } from './io.js';

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print the JSON Schema of platform.yaml (for yaml-language-server and other editors)')
    .action(() => {
      io.stdout(`${JSON.stringify(platformJsonSchema(), null, 2)}\n`);
    });
}
