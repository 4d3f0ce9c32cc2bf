// etcd_manifest: a kubeadm static-pod manifest of etcd, read (the member's name, data dir,
// URLs and certificates, host paths through its hostPath volumes) and, with `flags`, made to
// say exactly these flags (`--initial-cluster`, `--initial-cluster-state`...; null removes
// one), every other line kept. The recovery's counterpart of the env-file lines it rewrites.
// The file edited is the manifest in the manifests directory when it is there, else the copy
// the static-pod service manager keeps while the pod is stopped (the one its start moves
// back). Before the first change the file as it was is kept beside the stopped copy, as
// <stopped dir>/<name>.<aside_suffix> (never in the manifests directory: the kubelet would run it).
import type { EtcdManifestArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import { ManifestError, manifestMember, parseManifest, setManifestFlags } from '../../core/static-pod-manifest.js';
import type { Module } from '../types.js';
import { staticPodOf, stoppedPath } from '../support/static-pod.js';

interface Plan {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  readonly aside?: string;
  readonly data: Record<string, unknown>;
}

function wantedFlags(v: unknown): Record<string, string | null> | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    return 'flags must be a mapping of flag name (without --) to a value, or null to remove it';
  const out: Record<string, string | null> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const name = k.replace(/^--/, '');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return `flags: '${k}' is not an etcd flag name`;
    if (val === null) out[name] = null;
    else if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[name] = String(val);
    else return `flags.${name} must be a string, or null to remove it`;
  }
  return out;
}

const manifest: Module<EtcdManifestArgs, Plan> = {
  name: 'etcd_manifest',
  async check(ctx, args) {
    const pod = staticPodOf('etcd', args.path, args.stopped_dir, undefined);
    const flags = wantedFlags(args.flags);
    if (typeof flags === 'string') return { kind: 'failed', result: failed(flags) };
    const live = await ctx.conn.readFile(pod.manifest);
    const kept = live ? null : await ctx.conn.readFile(stoppedPath(pod));
    const file = live ? pod.manifest : stoppedPath(pod);
    const text = (live ?? kept)?.toString('utf8');
    if (text === undefined)
      return { kind: 'failed', result: failed(`no manifest: neither ${pod.manifest} nor ${stoppedPath(pod)} exists`) };
    let after = text;
    let data: Record<string, unknown>;
    try {
      if (flags) after = setManifestFlags(text, flags);
      const m = parseManifest(after);
      data = { manifest: file, member: manifestMember(m), flags: m.flags };
    } catch (e) {
      if (e instanceof ManifestError) return { kind: 'failed', result: failed(`${file}: ${e.message}`) };
      throw e;
    }
    if (after === text) return { kind: 'unchanged', result: ok({ data }) };
    const suffix = args.aside_suffix;
    const aside = suffix ? `${stoppedPath(pod)}.${suffix}` : undefined;
    const keepOld = aside !== undefined && (await ctx.conn.readFile(aside)) === null;
    const names = Object.keys(flags ?? {})
      .map((f) => `--${f}`)
      .join(', ');
    return {
      kind: 'change',
      summary: `set ${names} in ${file}${keepOld ? ` (the old one kept as ${aside})` : ''}`,
      plan: { file, before: text, after, ...(keepOld ? { aside } : {}), data },
    };
  },
  async apply(ctx, _args, p) {
    const { file, before, after, aside, data } = p.plan;
    if (aside) await ctx.conn.writeFileAtomic(aside, before, { mode: 0o600 });
    await ctx.conn.writeFileAtomic(file, after, { mode: 0o600 });
    return changed({ data: { ...data, ...(aside ? { aside } : {}) } });
  },
};

export default manifest;
