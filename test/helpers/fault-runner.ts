/**
 * Runs command lines in process and prints their results as JSON, as whoever started it:
 * test/cli/faults.test.ts starts it once as an unprivileged user (setpriv), so one child process
 * covers every case that needs a file the user cannot read or a folder the user cannot write.
 * Input (stdin): [{ argv, cwd }]. Output (stdout): [{ code, stdout, stderr }].
 */
import { readFileSync } from 'node:fs';
import { memoryIO, run } from '../../src/cli/index.js';

const cases = JSON.parse(readFileSync(0, 'utf8')) as { argv: string[]; cwd: string }[];
const results: { code: number; stdout: string; stderr: string }[] = [];
for (const c of cases) {
  const io = memoryIO({ NO_COLOR: '1' }, c.cwd, () => new Date('2026-11-24T09:00:00Z'));
  const code = await run(c.argv, io);
  results.push({ code, stdout: io.out.join(''), stderr: io.err.join('') });
}
process.stdout.write(JSON.stringify(results));
