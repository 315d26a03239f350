import { type Command, Argument } from 'commander';
import { platformJsonSchema } from '../spec/index.js';
import type { CliIO } from './io.js';

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print the JSON Schema of platform.yaml (for yaml-language-server and other editors), or of `status -o json` (schema status)')
    .addArgument(new Argument('[document]', 'which document').choices(['platform', 'status']).default('platform'))
    .action(async (document: 'platform' | 'status') => {
      // the status document's schema is loaded only when asked for
      const schema = document === 'status' ? (await import('../status/index.js')).statusJsonSchema() : platformJsonSchema();
      io.stdout(`${JSON.stringify(schema, null, 2)}\n`);
    });
}
