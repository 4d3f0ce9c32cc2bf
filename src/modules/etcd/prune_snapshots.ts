// etcd_prune_snapshots: keep the newest `keep` snapshots (etcd-snapshot-*.db, their .json
// sidecars and the members' files kept with them, <db>.<host>.files.tar) in a directory and remove the older ones — the rotation of scheduled backups.
// Names sort by their UTC timestamp, so the oldest are the first in order.
import type { EtcdPruneSnapshotsArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import { script } from './host.js';

const LIST = 'for f in "$1"/etcd-snapshot-*.db; do [ -f "$f" ] && printf "%s\\n" "$f"; done; exit 0';

const prune: Module<EtcdPruneSnapshotsArgs, string[]> = {
  name: 'etcd_prune_snapshots',
  async check(ctx, args) {
    const dir = args.dir?.replace(/\/+$/, '');
    const keep = args.keep;
    if (!dir || !Number.isInteger(keep) || keep < 1)
      return { kind: 'failed', result: failed('dir is required and keep must be a whole number ≥ 1') };
    const r = await script(ctx, LIST, [dir]);
    const all = r.stdout.split('\n').filter(Boolean).sort();
    const old = all.slice(0, Math.max(0, all.length - keep));
    if (old.length === 0)
      return { kind: 'unchanged', result: ok({ msg: `${all.length} snapshot(s) in ${dir}, keeping up to ${keep}`, data: { kept: all } }) };
    return { kind: 'change', summary: `remove ${old.length} old snapshot(s) in ${dir}, keep the newest ${keep}`, plan: old };
  },
  async apply(ctx, _args, p) {
    // with each snapshot go its .json sidecar and the members' files kept with it (<db>.<host>.files.tar)
    const r = await script(ctx, 'for f; do rm -f -- "$f" "$f.json" "$f".*.files.tar || exit 1; done', p.plan);
    if (r.rc !== 0) return failed(`cannot remove old snapshots: ${r.stderr.trim()}`);
    return changed({ msg: `removed ${p.plan.map((f) => f.split('/').pop()).join(', ')}`, data: { removed: p.plan } });
  },
};

export default prune;
