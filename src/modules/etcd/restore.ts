// etcd_restore: the member's data dir becomes a restore of `snapshot` with the new membership
// and token. Whatever was there is moved aside (`<data_dir>.<aside_suffix>`), never deleted.
// The restore is written beside the data dir and renamed into place, then a marker
// `<data_dir>.runbook-restore.json` records token and snapshot: a data dir with a matching
// marker is converged (a second run, or a run after a kill, does not restore again).
import type { EtcdRestoreArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { num } from '../support/args.js';
import { fileTool, offersBumpRevision, restoreHelp, snapshotRestore } from './etcdctl.js';
import { tryEtcdTools, run } from './host.js';
import { etcdError } from './parse.js';
import { exists, moveAside } from './aside.js';
import { asideRefusal, dataDirInput } from './data-dir.js';
import { readSnapshotMeta } from './snapshot.js';
import { snapshotTooNew } from './versions.js';

interface Marker {
  readonly token: string;
  readonly snapshot: string;
  readonly sha256: string;
  readonly initial_cluster: string;
  readonly restored: string;
}

const markerPath = (dataDir: string): string => `${dataDir}.runbook-restore.json`;

async function readMarker(ctx: ModuleContext, dataDir: string): Promise<Marker | undefined> {
  const raw = await ctx.conn.readFile(markerPath(dataDir), ctx.become ? { become: ctx.become } : {});
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as Marker;
  } catch {
    return undefined;
  }
}

type Plan = { dataDir: string; sha256: string; skipHashCheck: boolean; replaces: boolean };

const restore: Module<EtcdRestoreArgs, Plan> = {
  name: 'etcd_restore',
  async check(ctx, args) {
    const dataDir = args.data_dir?.replace(/\/+$/, '');
    if (!dataDir || dataDir === '/') return { kind: 'failed', result: failed('data_dir is required (and may not be /)') };
    // restored exactly where etcd will read, and only over what is an etcd data dir
    const refused = await asideRefusal(ctx, dataDir, { ...dataDirInput(dataDir, args), backupDir: args.backup_dir, keep: args.keep ?? [] });
    if (refused) return { kind: 'failed', result: failed(refused) };
    const marker = await readMarker(ctx, dataDir);
    const hasData = await exists(ctx, `${dataDir}/member`);
    if (marker && marker.token === args.token && marker.initial_cluster === args.initial_cluster && hasData) {
      return { kind: 'unchanged', result: ok({ msg: `${dataDir} already restored from ${marker.snapshot} (token ${marker.token})` }) };
    }
    const meta = await readSnapshotMeta(ctx, args.snapshot);
    if (!meta) {
      return {
        kind: 'pending',
        inPlan: {
          kind: 'change',
          summary: `restore ${args.snapshot} (to be saved by an earlier task) into ${dataDir} as ${args.name} of ${args.initial_cluster}`,
          plan: { dataDir, sha256: '', skipHashCheck: false, replaces: await exists(ctx, dataDir) },
        },
        failure: failed(
          `snapshot ${args.snapshot} is missing or does not match its checksum (${args.snapshot}.json): refusing to restore from it`,
        ),
      };
    }
    // a snapshot of a newer etcd is refused before anything is moved (a rolling upgrade interrupted)
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const tooNew = snapshotTooNew(
      args.snapshot,
      meta.etcd_version,
      got.tools.version,
      ctx.host,
      fileTool(got.tools) === 'etcdutl' ? got.tools.etcdutl : got.tools.etcdctl,
    );
    if (tooNew) return { kind: 'failed', result: failed(tooNew) };
    const replaces = await exists(ctx, dataDir);
    const aside = replaces ? `; ${dataDir} moved aside to ${dataDir}.${args.aside_suffix}` : '';
    return {
      kind: 'change',
      summary: `restore ${args.snapshot} (revision ${meta.revision}) into ${dataDir} as ${args.name} of ${args.initial_cluster}, token ${args.token}${aside}`,
      plan: { dataDir, sha256: meta.sha256, skipHashCheck: meta.method === 'copy', replaces },
    };
  },
  async apply(ctx, args, p) {
    const { dataDir } = p.plan;
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return got.result;
    const t = got.tools;
    const staging = `${dataDir}.restoring`;
    const moved: string[] = [];
    if (await exists(ctx, staging)) moved.push(await moveAside(ctx, staging, `partial-${args.aside_suffix}`));
    // Kubernetes-safe restore only where the tool offers it (etcdutl of 3.5.x and later; never 3.4's etcdctl)
    const wantBump = num(args.bump_revision, 0);
    const bump = wantBump > 0 && fileTool(t) === 'etcdutl' && offersBumpRevision((await run(ctx, restoreHelp(t))).stdout) ? wantBump : 0;
    const noBump =
      wantBump > 0 && bump === 0
        ? `; NOT revision-bumped (${fileTool(t) === 'etcdctl' ? 'etcdctl' : 'this etcdutl'} has no --bump-revision): restart kube-apiserver so its watchers re-list`
        : '';
    const r = await run(
      ctx,
      snapshotRestore(t, {
        snapshot: args.snapshot,
        name: args.name,
        peerUrl: args.peer_url,
        initialCluster: args.initial_cluster,
        token: args.token,
        dataDir: staging,
        skipHashCheck: p.plan.skipHashCheck,
        bumpRevision: bump,
      }),
    );
    if (r.rc !== 0) return failed(`snapshot restore failed: ${etcdError(r.stderr) || r.stderr.trim()}`, { rc: r.rc, stderr: r.stderr });
    if (await exists(ctx, dataDir)) moved.push(await moveAside(ctx, dataDir, args.aside_suffix));
    const mv = await run(ctx, ['mv', '--', staging, dataDir]);
    if (mv.rc !== 0) return failed(`cannot move the restore into ${dataDir}: ${mv.stderr.trim()}`);
    await run(ctx, ['chmod', '700', dataDir]);
    const owner = args.owner;
    if (owner) {
      const ch = await run(ctx, ['chown', '-R', '--', owner, dataDir]);
      if (ch.rc !== 0) return failed(`cannot give ${dataDir} to ${owner}: ${ch.stderr.trim()}`);
    }
    const marker: Marker = {
      token: args.token,
      snapshot: args.snapshot,
      sha256: p.plan.sha256,
      initial_cluster: args.initial_cluster,
      restored: new Date().toISOString(),
    };
    await ctx.conn.writeFileAtomic(markerPath(dataDir), JSON.stringify(marker, null, 2) + '\n', {
      mode: 0o600,
      ...(ctx.become ? { become: ctx.become } : {}),
    });
    return changed({
      msg: `restored ${args.snapshot} into ${dataDir}${bump ? `, revisions bumped by ${bump} and marked compacted` : ''}${moved.length ? `; moved aside: ${moved.join(', ')}` : ''}${noBump}`,
      data: { moved_aside: moved, bump_revision: bump },
    });
  },
};

export default restore;
