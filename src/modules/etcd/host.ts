// Running etcdctl/etcdutl on a member's host: the tools (version detected once per
// connection), the shared arguments every etcd module takes, and a runner.
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../../connection/types.js';
import { quoteArgv } from '../../connection/quote.js';
import { failed, type ModuleResult } from '../../core/result.js';
import type { ModuleContext } from '../types.js';
import { execOpts } from '../support/exec.js';
import { str } from '../support/args.js';
import { endpointStatus, parseRelease, parseVersion, type EtcdTools } from './etcdctl.js';

/** Arguments shared by the etcd modules (the inventory's etcdctl_path, TLS files...). */
export interface EtcdCommonArgs {
  readonly etcdctl_path?: string;
  readonly etcdutl_path?: string;
  readonly cacert?: string;
  readonly cert?: string;
  readonly key?: string;
}

export class EtcdToolError extends Error {}

/** etcdTools() as a value: the tools, or the failed result that says why they cannot run. */
export async function tryEtcdTools(
  ctx: ModuleContext,
  args: EtcdCommonArgs,
): Promise<{ ok: true; tools: EtcdTools } | { ok: false; result: ModuleResult }> {
  try {
    return { ok: true, tools: await etcdTools(ctx, args) };
  } catch (e) {
    if (e instanceof EtcdToolError) return { ok: false, result: failed(e.message) };
    throw e;
  }
}

const detected = new WeakMap<object, Promise<{ version: [number, number]; release: string | undefined }>>();

export async function etcdTools(ctx: ModuleContext, args: EtcdCommonArgs): Promise<EtcdTools> {
  const etcdctl = str(args.etcdctl_path) || 'etcdctl';
  let p = detected.get(ctx.conn);
  if (!p) {
    p = run(ctx, [etcdctl, 'version']).then((r) => {
      const v = parseVersion(r.stdout);
      if (r.rc !== 0 || !v)
        throw new EtcdToolError(
          `cannot run '${etcdctl} version' on ${ctx.host}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? `rc ${r.rc}`} (install etcd-client, or set etcdctl_path)`,
        );
      return { version: v, release: parseRelease(r.stdout) };
    });
    detected.set(ctx.conn, p);
    p.catch(() => detected.delete(ctx.conn));
  }
  const { version, release } = await p;
  const tls = { cacert: str(args.cacert), cert: str(args.cert), key: str(args.key) };
  return {
    version,
    ...(release ? { release } : {}),
    etcdctl,
    etcdutl: str(args.etcdutl_path) || 'etcdutl',
    ...(tls.cacert || tls.cert || tls.key ? { tls } : {}),
  };
}

/** Run one command on the member's host with the task's become/environment; LC_ALL=C. */
export function run(ctx: ModuleContext, argv: readonly string[], stdin?: string): Promise<ExecResult> {
  return ctx.conn.exec(argv, execOpts(ctx, { env: { LC_ALL: 'C', ETCDCTL_API: '3' }, ...(stdin !== undefined ? { stdin } : {}) }));
}

/** Run a small sh script; `$1`, `$2`... are the given words (never spliced into the script). */
export function script(ctx: ModuleContext, text: string, words: readonly string[]): Promise<ExecResult> {
  return run(ctx, ['/bin/sh', '-c', text, 'runbook', ...words]);
}

/**
 * Several commands at once on the member's host, in one round trip on one shell: each in the
 * background with its output in a temp dir (removed when the script ends), then each one's exit
 * code, stdout and stderr behind a marker. Their results in the order given, as if each had run
 * alone (one after the other when the host cannot make the temp dir). For reads that need not
 * wait for each other (verify's status, health, member list and key count: four etcdctl
 * start-ups at once instead of one after the other).
 */
export async function runTogether(ctx: ModuleContext, argvs: readonly (readonly string[])[]): Promise<ExecResult[]> {
  const alone = async (): Promise<ExecResult[]> => {
    const out: ExecResult[] = [];
    for (const a of argvs) out.push(await run(ctx, a));
    return out;
  };
  if (argvs.length < 2) return alone();
  const mark = `@@runbook-${randomBytes(6).toString('hex')}`;
  const lines = ['mark=$1', 'd=$(mktemp -d 2>/dev/null) || exit 97', `trap 'rm -rf -- "$d"' EXIT`];
  argvs.forEach((a, i) => lines.push(`(exec ${quoteArgv(a)}) >"$d/${i}.out" 2>"$d/${i}.err" </dev/null & p${i}=$!`));
  argvs.forEach((_, i) =>
    lines.push(
      `wait "$p${i}"; rc=$?; printf '\\n%s ${i} %s\\n' "$mark" "$rc"; cat -- "$d/${i}.out"; printf '\\n%s ${i} err\\n' "$mark"; cat -- "$d/${i}.err"`,
    ),
  );
  lines.push(`printf '\\n%s ${argvs.length} end\\n' "$mark"`);
  const r = await script(ctx, lines.join('\n'), [mark]);
  return splitTogether(r.stdout, mark, argvs.length) ?? alone();
}

/** runTogether's output → each command's result; undefined when it is not whole (every marker, in order). Pure. */
export function splitTogether(stdout: string, mark: string, n: number): ExecResult[] | undefined {
  const parts = stdout.split(new RegExp(`\\n${mark} (\\d+) (\\d+|err|end)\\n`));
  // ['', 0, rc, out, 0, 'err', err, 1, rc, ..., n, 'end', '']: two pieces a marker, one between
  if (
    parts.length !== 6 * n + 4 ||
    parts[0] !== '' ||
    parts[6 * n + 1] !== String(n) ||
    parts[6 * n + 2] !== 'end' ||
    parts[6 * n + 3] !== ''
  )
    return undefined;
  const out: ExecResult[] = [];
  for (let i = 0; i < n; i++) {
    const [idx, rc, stdoutI, idx2, tag, stderrI] = parts.slice(1 + 6 * i, 7 + 6 * i);
    if (idx !== String(i) || idx2 !== String(i) || tag !== 'err' || !/^\d+$/.test(rc ?? '')) return undefined;
    out.push({ rc: Number(rc), stdout: stdoutI ?? '', stderr: stderrI ?? '' });
  }
  return out;
}

/**
 * Does anything listen on the URL's port, seen from the host? A cheap TCP connect (bash's
 * /dev/tcp) that spares etcdctl's dial timeout for a stopped member. Only a refused connect
 * says no: unknown (no bash, odd URL) or a probe that ran out of its second (a loaded host:
 * bash alone can take that long; seen on a 2-core machine at load 6) is true, so the caller
 * asks etcdctl. `--norc`: a bash started under sshd reads ~/.bashrc even when not interactive
 * (its rshd heuristic), and a heavy one (pyenv init) outlasts the 1 s timeout.
 */
export async function listening(ctx: ModuleContext, url: string): Promise<boolean> {
  let host: string;
  let port: string;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, '');
    port = u.port || (u.protocol === 'https:' ? '443' : '80');
  } catch {
    return true;
  }
  const r = await run(ctx, ['timeout', '1', 'bash', '--norc', '--noprofile', '-c', 'exec 3<>"/dev/tcp/$1/$2"', 'probe', host, port]);
  // 124: timeout(1) killed it; 126/127: no bash
  if (r.rc === 124 || r.rc === 127 || r.rc === 126) return true;
  return r.rc === 0;
}

// A plan changes nothing on the hosts, so an endpoint that listened but did not answer a
// status probe (a member restarted without quorum: 3.4 and 3.5 accept the connection and
// never answer) is not asked again later in the same plan: every later ask would wait out
// the same timeouts (most of a broken cluster's plan time). Check mode only; the apply asks.
const silentInPlan = new WeakMap<object, Set<string>>();

/** Check mode: this endpoint, seen from this host, did not answer earlier in this plan. */
export const silentEarlier = (ctx: ModuleContext, url: string): boolean => ctx.checkMode && silentInPlan.get(ctx.conn)?.has(url) === true;

export function rememberSilent(ctx: ModuleContext, url: string): void {
  if (!ctx.checkMode) return;
  let s = silentInPlan.get(ctx.conn);
  if (!s) silentInPlan.set(ctx.conn, (s = new Set()));
  s.add(url);
}

/**
 * A quick `endpoint status` of a member's client URL: undefined when nothing listens there (or,
 * in a plan, it did not answer earlier); a failed answer is remembered for the rest of a plan.
 */
export async function quickStatus(ctx: ModuleContext, t: EtcdTools, url: string): Promise<ExecResult | undefined> {
  if (silentEarlier(ctx, url) || !(await listening(ctx, url))) return undefined;
  const st = await run(ctx, endpointStatus(t, url, true));
  if (st.rc !== 0) rememberSilent(ctx, url);
  return st;
}
