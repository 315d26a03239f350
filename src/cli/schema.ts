import type { Command } from 'commander';
import { platformJsonSchema } from '../spec/index.js';
import { usage } from './args.js';
import type { CliIO } from './io.js';

/** The documents whose JSON Schema meshwright publishes; the verify report's is loaded only when asked for. */
const SCHEMAS: Record<string, () => Promise<unknown>> = {
  platform: async () => platformJsonSchema(),
  verify: async () => (await import('../verify/index.js')).verifyReportJsonSchema(),
};

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print a JSON Schema: of platform.yaml (for yaml-language-server and other editors), or of `verify -o json`')
    .argument('[document]', `which schema: ${Object.keys(SCHEMAS).join(' or ')}`, 'platform')
    .action(async (document: string) => {
      const make = SCHEMAS[document];
      if (!make) usage(`schema ${document}: meshwright publishes ${Object.keys(SCHEMAS).join(', ')}`);
      io.stdout(`${JSON.stringify(await make(), null, 2)}\n`);
    });
}
