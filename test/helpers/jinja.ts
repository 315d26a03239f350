import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'jinja-eval.py');
/** Debian's python3, whose jinja2 ansible-core depends on (scripts/install-test-tools installs it). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface JinjaItem {
  template: string;
  /** Native: a single expression keeps its type, as Ansible's templar does (default). Text: a file template. */
  native?: boolean;
}

/**
 * Renders Jinja templates with Jinja2 itself, against `vars` resolved as Ansible resolves
 * variables that are templates themselves. Values are returned; a template error fails the test.
 */
export function jinja(vars: Record<string, unknown>, items: JinjaItem[]): unknown[] {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ vars, items }), encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') assert.fail('python3 is not on PATH: apt-get install ansible-core (it brings python3-jinja2)');
  assert.equal(run.status, 0, `jinja-eval failed:\n${run.stderr}`);
  const out = JSON.parse(run.stdout) as ({ value: unknown } | { error: string })[];
  return out.map((r, i) => {
    if ('error' in r) assert.fail(`${items[i]!.template}: ${r.error}`);
    return r.value;
  });
}

/** One expression, evaluated natively ("{{ expr }}"). */
export const jinjaExpr = (vars: Record<string, unknown>, expr: string): unknown => jinja(vars, [{ template: `{{ ${expr} }}` }])[0];
