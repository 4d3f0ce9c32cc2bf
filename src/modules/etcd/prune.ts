// etcd_prune_snapshots: keep the newest `keep` snapshots (etcd-snapshot-*.db and their .json
// sidecars) in a directory and remove the older ones — the rotation of scheduled backups.
// Names sort by their UTC timestamp, so the oldest are the first in order.
import type { EtcdPruneSnapshotsArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import { num, str } from '../support/args.js';
import { run, script } from './host.js';

const LIST = 'for f in "$1"/etcd-snapshot-*.db; do [ -f "$f" ] && printf "%s\\n" "$f"; done; exit 0';

const prune: Module<EtcdPruneSnapshotsArgs, string[]> = {
  name: 'etcd_prune_snapshots',
  async check(ctx, args) {
    const dir = str(args.dir)?.replace(/\/+$/, '');
    const keep = num(args.keep, 7);
    if (!dir || !Number.isInteger(keep) || keep < 1) return { kind: 'failed', result: failed('dir is required and keep must be a whole number ≥ 1') };
    const r = await script(ctx, LIST, [dir]);
    const all = r.stdout.split('\n').filter(Boolean).sort();
    const old = all.slice(0, Math.max(0, all.length - keep));
    if (old.length === 0) return { kind: 'unchanged', result: ok({ msg: `${all.length} snapshot(s) in ${dir}, keeping up to ${keep}`, data: { kept: all } }) };
    return { kind: 'change', summary: `remove ${old.length} old snapshot(s) in ${dir}, keep the newest ${keep}`, plan: old };
  },
  async apply(ctx, _args, p) {
    const r = await run(ctx, ['rm', '-f', '--', ...p.plan.flatMap((f) => [f, `${f}.json`])]);
    if (r.rc !== 0) return failed(`cannot remove old snapshots: ${r.stderr.trim()}`);
    return changed({ msg: `removed ${p.plan.map((f) => f.split('/').pop()).join(', ')}`, data: { removed: p.plan } });
  },
};

export default prune;
