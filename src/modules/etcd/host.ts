// Running etcdctl/etcdutl on a member's host: the tools (version detected once per
// connection), the shared arguments every etcd module takes, and a runner.
import type { ExecResult } from '../../connection/types.js';
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
