import { labCurl, TrafficError, type CurlOutcome } from '../traffic/curl.js';
import type { TrafficWorld } from '../traffic/world.js';
import type { Obj } from '../store/log-store.js';
import type { ExecResult } from './commands.js';

/** What `curl` was asked on its command line (the options meshwright's probe and the notebook use). */
interface CurlArgs {
  silent: boolean;
  showError: boolean;
  fail: boolean;
  headers: string[];
  /** -X: the request method. */
  method?: string;
  /** -o values, each taken by the next URL (curl pairs them in order). */
  outputs: string[];
  writeOut?: string;
  maxTime?: number;
  connectTimeout?: number;
  urls: string[];
}

const USAGE_EXIT = 2;

/** Options that take a value, long and short. */
const VALUED: Record<string, keyof CurlArgs> = {
  '-X': 'method',
  '--request': 'method',
  '-H': 'headers',
  '--header': 'headers',
  '-o': 'outputs',
  '--output': 'outputs',
  '-w': 'writeOut',
  '--write-out': 'writeOut',
  '-m': 'maxTime',
  '--max-time': 'maxTime',
  '--connect-timeout': 'connectTimeout',
};

/** Flags without a value; -k and -4 change nothing here (the lab answers plain http over IPv4). */
const FLAGS: Record<string, 'silent' | 'showError' | 'fail' | 'none'> = {
  '-s': 'silent',
  '--silent': 'silent',
  '-S': 'showError',
  '--show-error': 'showError',
  '-f': 'fail',
  '--fail': 'fail',
  '-k': 'none',
  '--insecure': 'none',
  '-4': 'none',
  '--ipv4': 'none',
};

/**
 * `curl …` run by exec in a pod of a lab cluster: the requests leave from that pod (its identity;
 * from the node for a host-network pod) and are answered by labCurl, exactly as `meshwright lab
 * curl --from NS/POD` answers them. Several URLs are several transfers, each with its own -w
 * output, and curl's exit code is the last transfer's (curl(1) --fail-early: "By default, it
 * ignores errors if there are more URLs given and the last URL's success determines the error
 * code curl returns").
 */
export function curlInPod(world: TrafficWorld, cluster: string, pod: Obj, argv: string[], seed: number): ExecResult {
  const parsed = parseCurlArgs(argv.slice(1));
  if ('error' in parsed) return { stdout: '', stderr: `curl: ${parsed.error}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: USAGE_EXIT };
  const a = parsed;
  const timeouts = [a.connectTimeout, a.maxTime].filter((x): x is number => x !== undefined);
  const from = pod.spec?.hostNetwork ? undefined : `${pod.metadata.namespace}/${pod.metadata.name}`;
  const outcomes: CurlOutcome[] = [];
  // consecutive equal URLs are one run of the lab's seeded choice, as `lab curl --count N` makes it
  for (let i = 0; i < a.urls.length; ) {
    let j = i + 1;
    while (j < a.urls.length && a.urls[j] === a.urls[i]) j++;
    try {
      outcomes.push(...labCurl(world, { cluster, url: a.urls[i]!, headers: a.headers, ...(a.method ? { method: a.method } : {}), ...(from ? { from } : {}), count: j - i, seed: seed + i, ...(timeouts.length ? { connectTimeout: Math.min(...timeouts) } : {}) }));
    } catch (err) {
      if (!(err instanceof TrafficError)) throw err;
      // labCurl's refusals of a URL are curl's own messages ("curl: (3) …"); anything else it cannot simulate is exit 1
      const m = /^curl: \((\d+)\) (.*)$/s.exec(err.message);
      for (let k = i; k < j; k++) outcomes.push({ exitCode: m ? Number(m[1]) : 1, stdout: '', stderr: `${m ? err.message : `curl: (1) ${err.message}`}\n` });
    }
    i = j;
  }
  let stdout = '';
  let stderr = '';
  outcomes.forEach((o0, i) => {
    const o = a.fail && o0.exitCode === 0 && (o0.httpStatus ?? 0) >= 400 ? { ...o0, exitCode: 22, stdout: '', stderr: `curl: (22) The requested URL returned error: ${o0.httpStatus}\n` } : o0;
    const output = a.outputs[i];
    if (output === undefined) stdout += o.stdout;
    else if (output !== '/dev/null' && output !== '-') stderr += `curl: (23) Failure writing output to destination (${output}: the lab keeps no files in containers)\n`;
    else if (output === '-') stdout += o.stdout;
    if (a.writeOut !== undefined) {
      const w = writeOut(a.writeOut, a.urls[i]!, o);
      stdout += w.text;
      stderr += w.warnings;
    }
    if (o.exitCode !== 0 && (!a.silent || a.showError)) stderr += o.stderr;
  });
  return { stdout, stderr, code: outcomes.at(-1)!.exitCode };
}

/** curl's command line: short flags may be bundled (-sS, -sSk), a short option's value may be attached (-w%{http_code}). */
export function parseCurlArgs(args: readonly string[]): CurlArgs | { error: string } {
  const a: CurlArgs = { silent: false, showError: false, fail: false, headers: [], outputs: [], urls: [] };
  const set = (key: keyof CurlArgs, name: string, value: string | undefined): string | undefined => {
    if (value === undefined) return `option ${name}: requires parameter`;
    if (key === 'headers' || key === 'outputs') a[key].push(value);
    else if (key === 'writeOut') a.writeOut = value;
    else if (key === 'method') a.method = value;
    else {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) return `option ${name}: expected a proper numerical parameter`;
      a[key as 'maxTime' | 'connectTimeout'] = n;
    }
    return undefined;
  };
  /** One option: a flag (false: it took no value), or a valued one whose value is `inline` (--x=v, -Xv) or else the next argument (true). */
  const option = (name: string, arg: string, inline: string | undefined, next: string | undefined): { error?: string; valued: boolean } => {
    if (name in FLAGS) {
      const f = FLAGS[name]!;
      if (f !== 'none') a[f] = true;
      return { valued: false };
    }
    const key = VALUED[name];
    if (!key) return { error: `option ${arg}: is unknown`, valued: true };
    const err = set(key, name, inline ?? next);
    return { ...(err ? { error: err } : {}), valued: true };
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const o = option(eq > 0 ? arg.slice(0, eq) : arg, arg, eq > 0 ? arg.slice(eq + 1) : undefined, args[i + 1]);
      if (o.error) return { error: o.error };
      if (o.valued && eq < 0) i++;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // bundled short options (-sS, -so /dev/null, -w%{http_code}): a valued one takes the rest or the next argument
      for (let k = 1; k < arg.length; k++) {
        const rest = arg.slice(k + 1);
        const o = option(`-${arg[k]}`, arg, rest || undefined, args[i + 1]);
        if (o.error) return { error: o.error };
        if (!o.valued) continue;
        if (!rest) i++;
        break;
      }
      continue;
    }
    a.urls.push(arg);
  }
  if (!a.urls.length) return { error: 'no URL specified' };
  return a;
}

/**
 * curl's --write-out for one transfer (docs/cmdline-opts/write-out.md): %{http_code} and
 * %{response_code} (000 when no response came), %{exitcode} and %{errormsg} (curl ≥ 7.75.0),
 * %{url_effective}; \n \r \t escapes and %% ; an unknown variable writes a warning and nothing.
 */
function writeOut(format: string, url: string, o: CurlOutcome): { text: string; warnings: string } {
  let warnings = '';
  const vars: Record<string, string> = {
    http_code: String(o.httpStatus ?? 0).padStart(3, '0'),
    response_code: String(o.httpStatus ?? 0).padStart(3, '0'),
    exitcode: String(o.exitCode),
    errormsg: o.exitCode === 0 ? '' : o.stderr.replace(/^curl: \(\d+\) /, '').trim(),
    url_effective: /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`,
  };
  const text = format.replace(/%\{([a-z_]+)\}|%%|\\([nrt\\])/g, (m, name: string | undefined, esc: string | undefined) => {
    if (m === '%%') return '%';
    if (esc) return esc === 'n' ? '\n' : esc === 'r' ? '\r' : esc === 't' ? '\t' : '\\';
    if (name! in vars) return vars[name!]!;
    warnings += `curl: unknown --write-out variable: '${name}'\n`;
    return '';
  });
  return { text, warnings };
}
