import { type Command, Argument } from 'commander';
import { platformJsonSchema } from '../spec/index.js';
import type { CliIO } from './io.js';

/** The documents whose JSON Schema meshwright publishes; the status and verify ones are loaded only when asked for. */
const SCHEMAS: Record<string, () => Promise<unknown>> = {
  platform: async () => platformJsonSchema(),
  status: async () => (await import('../status/index.js')).statusJsonSchema(),
  verify: async () => (await import('../verify/index.js')).verifyReportJsonSchema(),
};

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print a JSON Schema: of platform.yaml (for yaml-language-server and other editors), of `status -o json` or of `verify -o json`')
    .addArgument(new Argument('[document]', 'which document').choices(Object.keys(SCHEMAS)).default('platform'))
    .action(async (document: string) => {
      io.stdout(`${JSON.stringify(await SCHEMAS[document]!(), null, 2)}\n`);
    });
}
