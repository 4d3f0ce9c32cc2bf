// The static-pod service manager (service: manager: static-pod): etcd as kubeadm runs it, a
// pod the kubelet starts from a manifest in its staticPodPath (/etc/kubernetes/manifests).
// The kubelet runs what is in that directory and stops what leaves it, so:
//   stop   move the manifest out of the manifests directory, to a directory runbook owns
//          (`manifest_stopped_dir`, default <manifests dir>.stopped-by-runbook: never inside
//          the manifests directory, where the kubelet would run any copy), and wait until the
//          etcd process of that manifest is gone;
//   start  move it back and wait until the kubelet runs its etcd (health is the playbook's
//          next task: a member without quorum is never healthy);
//   status started while the manifest is in the manifests directory.
// The etcd process of a manifest: an `etcd` in this network namespace (host network, as
// kubeadm's pod) whose --name and --data-dir are the manifest's.
import { basename, dirname } from 'node:path';
import { changed, failed, ok, type ModuleResult } from '../../core/result.js';
import { ManifestError, parseManifest, type EtcdManifest } from '../../core/static-pod-manifest.js';
import type { ModuleContext } from '../types.js';
import { factOpts, sleep } from './exec.js';

export interface StaticPod {
  /** the manifest in the kubelet's manifests directory */
  readonly manifest: string;
  /** where it is kept while stopped */
  readonly stoppedDir: string;
  /** how long to wait for the process to go or to come */
  readonly timeoutMs: number;
}

export const stoppedPath = (p: StaticPod): string => `${p.stoppedDir.replace(/\/+$/, '')}/${basename(p.manifest)}`;

export function staticPodOf(
  name: string,
  manifest: string | undefined,
  stoppedDir: string | undefined,
  timeoutS: number | undefined,
): StaticPod {
  const m = manifest || `/etc/kubernetes/manifests/${name.replace(/\.yaml$/, '')}.yaml`;
  return { manifest: m, stoppedDir: stoppedDir || `${dirname(m)}.stopped-by-runbook`, timeoutMs: (timeoutS ?? 90) * 1000 };
}

export interface PodState {
  /** the manifest is in the manifests directory: the kubelet runs it */
  readonly live: boolean;
  /** a copy is kept in the stopped directory */
  readonly kept: boolean;
  /** pids of the manifest's etcd */
  readonly pids: readonly number[];
  /** the manifest read (live first), when one is readable */
  readonly pod?: EtcdManifest;
  /** why the manifest could not be read */
  readonly error?: string;
}

const READ = `
if [ -f "$1" ]; then echo '@@live'; cat -- "$1"; fi
if [ -f "$2" ]; then echo '@@kept'; cat -- "$2"; fi
me=$(readlink /proc/$$/ns/net)
for pid in $(pgrep -x etcd 2>/dev/null); do
  [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$me" ] || continue
  echo "@@proc $pid"; tr '\\0' '\\n' <"/proc/$pid/cmdline" 2>/dev/null
done
exit 0`;

function flag(argv: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!.replace(/^--?/, '--');
    if (w === `--${name}` && i + 1 < argv.length) v = argv[i + 1];
    else if (w.startsWith(`--${name}=`)) v = w.slice(name.length + 3);
  }
  return v;
}

/** Pure: the state from READ's output. */
export function parsePodState(out: string): PodState {
  const blocks = out.split(/^@@(?=live$|kept$|proc )/m).filter((b) => b.trim() !== '');
  let live: string | undefined;
  let kept: string | undefined;
  const procs: { pid: number; argv: string[] }[] = [];
  for (const b of blocks) {
    const nl = b.indexOf('\n');
    const head = nl < 0 ? b : b.slice(0, nl);
    const body = nl < 0 ? '' : b.slice(nl + 1);
    if (head === 'live') live = body;
    else if (head === 'kept') kept = body;
    else if (head.startsWith('proc ')) procs.push({ pid: Number(head.slice(5)), argv: body.split('\n').filter((w) => w !== '') });
  }
  let pod: EtcdManifest | undefined;
  let error: string | undefined;
  const text = live ?? kept;
  if (text !== undefined) {
    try {
      pod = parseManifest(text);
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      error = e.message;
    }
  }
  const pids = pod
    ? procs
        .filter((p) => flag(p.argv, 'name') === (pod.flags['name'] ?? 'default') && flag(p.argv, 'data-dir') === pod.flags['data-dir'])
        .map((p) => p.pid)
    : [];
  return { live: live !== undefined, kept: kept !== undefined, pids, ...(pod ? { pod } : {}), ...(error ? { error } : {}) };
}

export async function podState(ctx: ModuleContext, p: StaticPod): Promise<PodState> {
  const r = await ctx.conn.exec(['/bin/sh', '-c', READ, 'runbook', p.manifest, stoppedPath(p)], factOpts(ctx));
  return parsePodState(r.stdout);
}

export type PodAction = 'start' | 'stop' | 'restart';

/** What `state` asks of this pod, or undefined when it is there already. */
export function podAction(state: 'started' | 'stopped' | 'restarted' | 'reloaded', s: PodState): PodAction | undefined {
  if (state === 'started') return s.live ? undefined : 'start';
  if (state === 'stopped') return !s.live && s.pids.length === 0 ? undefined : 'stop';
  return s.live ? 'restart' : 'start';
}

export function podVia(p: StaticPod, action: PodAction): string {
  const kept = stoppedPath(p);
  if (action === 'stop') return `via static pod: move ${p.manifest} to ${kept}, wait for its etcd to exit`;
  if (action === 'start') return `via static pod: move ${kept} back to ${p.manifest}, wait for the kubelet to run it`;
  return `via static pod: move ${p.manifest} to ${kept} and back`;
}

async function move(ctx: ModuleContext, from: string, to: string): Promise<string | undefined> {
  const r = await ctx.conn.exec(
    ['/bin/sh', '-c', 'mkdir -p -m 0700 -- "$(dirname -- "$2")" && mv -f -- "$1" "$2"', 'runbook', from, to],
    factOpts(ctx),
  );
  return r.rc === 0 ? undefined : `cannot move ${from} to ${to}: ${(r.stderr || r.stdout).trim() || `rc ${r.rc}`}`;
}

async function waitFor(ctx: ModuleContext, p: StaticPod, want: (s: PodState) => boolean): Promise<PodState | undefined> {
  const deadline = Date.now() + p.timeoutMs;
  for (;;) {
    const s = await podState(ctx, p);
    if (want(s)) return undefined;
    if (Date.now() > deadline) return s;
    if (!(await sleep(200, ctx.signal))) return s;
  }
}

async function stop(ctx: ModuleContext, p: StaticPod): Promise<string | undefined> {
  const s = await podState(ctx, p);
  if (s.live) {
    const err = await move(ctx, p.manifest, stoppedPath(p));
    if (err) return err;
  }
  const left = await waitFor(ctx, p, (x) => x.pids.length === 0);
  return left
    ? `etcd (pid ${left.pids.join(', ')}) still runs ${p.timeoutMs / 1000} s after its manifest left ${dirname(p.manifest)} (kept in ${stoppedPath(p)}): is the kubelet running?`
    : undefined;
}

async function start(ctx: ModuleContext, p: StaticPod): Promise<string | undefined> {
  const s = await podState(ctx, p);
  if (!s.live) {
    if (!s.kept) return `no manifest to start: neither ${p.manifest} nor ${stoppedPath(p)} exists`;
    if (s.error) return `${stoppedPath(p)}: ${s.error}: left where it is`;
    const err = await move(ctx, stoppedPath(p), p.manifest);
    if (err) return err;
  }
  const left = await waitFor(ctx, p, (x) => x.pids.length > 0);
  return left
    ? `the kubelet did not run etcd within ${p.timeoutMs / 1000} s of ${p.manifest} appearing${left.error ? ` (${left.error})` : ''}: is the kubelet running, with staticPodPath ${dirname(p.manifest)}?`
    : undefined;
}

export async function applyStaticPod(ctx: ModuleContext, name: string, p: StaticPod, action: PodAction): Promise<ModuleResult> {
  const steps = action === 'restart' ? [stop, start] : action === 'stop' ? [stop] : [start];
  for (const step of steps) {
    const err = await step(ctx, p);
    if (err) return failed(`${action} ${name}: ${err}`);
  }
  return changed({
    data: { name, manager: 'static-pod', state: action === 'stop' ? 'stopped' : 'started', manifest: p.manifest, kept: stoppedPath(p) },
  });
}

export function podUnchanged(name: string, s: PodState, p: StaticPod): ModuleResult {
  const running = s.live;
  return ok({
    data: { name, manager: 'static-pod', state: running ? 'started' : 'stopped', status: { running, pids: s.pids }, manifest: p.manifest },
  });
}
