/**
 * Test hook (issue 15): `MESHWRIGHT_APPLY_TEST_KILL=<point>/<cluster>` kills this process with
 * SIGKILL at that point, so interruption is tested at a chosen place instead of by a sleep race.
 * Points: a step's name (right after its side effect, before its journal entry), and
 * `helm-pending` (the lab's helm, after it recorded a revision pending, before its objects).
 */
export function testKill(env: NodeJS.ProcessEnv, point: string, cluster: string): void {
  if (env.MESHWRIGHT_APPLY_TEST_KILL === `${point}/${cluster}`) process.kill(process.pid, 'SIGKILL');
}
