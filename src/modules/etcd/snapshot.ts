// etcd_snapshot: save a member's data to `dest` before anything is replaced: `etcdctl
// snapshot save` when the member still serves (integrity hash kept), else a copy of its
// member/snap/db (restored later with --skip-hash-check). A sidecar `<dest>.json` records the
// method, the sha256 and the revision; a dest whose checksum matches it is converged.
// A snapshot holds every secret of the cluster: the file and its sidecar are 0600, a directory
// made for them 0700 (an existing one is the operator's and kept as it is).
import type { EtcdSnapshotArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { etcdBinary, replayWal } from './replay.js';
import { snapshotSave, snapshotStatus } from './etcdctl.js';
import { etcdTools, tryEtcdTools, quickStatus, run, script } from './host.js';
import { etcdError, parseEndpointStatus, parseSnapshotStatus } from './parse.js';
import { dataDirInput, dataDirMismatch, effectiveDataDir } from './data-dir.js';

export interface SnapshotMeta {
  /** snapshot: saved from the running member; replay: from a scratch replay of its WAL (a stopped member); copy: its db file */
  readonly method: 'snapshot' | 'replay' | 'copy';
  readonly sha256: string;
  readonly revision: number;
  readonly source: string;
  readonly taken: string;
  /** the etcd it was saved from (the serving member's, else the host's tools'): never restored by older tools */
  readonly etcd_version?: string;
}

async function sha256(ctx: ModuleContext, path: string): Promise<string | undefined> {
  const r = await run(ctx, ['sha256sum', path]);
  return r.rc === 0 ? r.stdout.split(/\s+/)[0] : undefined;
}

/** The sidecar of a complete snapshot whose file still matches it, else undefined. */
export async function readSnapshotMeta(ctx: ModuleContext, dest: string): Promise<SnapshotMeta | undefined> {
  const raw = await ctx.conn.readFile(`${dest}.json`, ctx.become ? { become: ctx.become } : {});
  if (!raw) return undefined;
  let meta: SnapshotMeta;
  try {
    meta = JSON.parse(raw.toString('utf8')) as SnapshotMeta;
  } catch {
    return undefined;
  }
  return (await sha256(ctx, dest)) === meta.sha256 ? meta : undefined;
}

type Plan = { method: SnapshotMeta['method']; dest: string; db: string; size: number; version: string };

const snapshot: Module<EtcdSnapshotArgs, Plan> = {
  name: 'etcd_snapshot',
  async check(ctx, args) {
    // dest_dir: a new timestamped snapshot every run (scheduled backups); dest: exactly that file.
    // The name made from the clock is a decision: the apply of a plan uses the plan's (ctx.pinned)
    const dir = args.dest_dir?.replace(/\/+$/, '');
    const pinned =
      typeof ctx.pinned?.['dest'] === 'string' && dir && (ctx.pinned['dest'] as string).startsWith(`${dir}/`)
        ? (ctx.pinned['dest'] as string)
        : undefined;
    const dest =
      args.dest ??
      pinned ??
      (dir
        ? `${dir}/etcd-snapshot-${new Date()
            .toISOString()
            .replace(/[-:]/g, '')
            .replace(/\.\d+Z$/, 'Z')}.db`
        : undefined);
    if (!dest) return { kind: 'failed', result: failed('dest or dest_dir is required') };
    const decision = args.dest === undefined ? { decision: { dest } } : {};
    const meta = await readSnapshotMeta(ctx, dest);
    if (meta)
      return {
        kind: 'unchanged',
        result: ok({ msg: `${dest} already saved (${meta.method}, revision ${meta.revision})`, data: { path: dest, ...meta } }),
      };
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const t = got.tools;
    const dataDir = args.data_dir.replace(/\/+$/, '');
    const db = `${dataDir}/member/snap/db`;
    // a copy of the wrong db (a parent's, an old one) would be restored as "the survivor's data"
    const mismatch = dataDirMismatch(dataDir, await effectiveDataDir(ctx, dataDirInput(dataDir, args)));
    if (mismatch) return { kind: 'failed', result: failed(mismatch) };
    const st = await quickStatus(ctx, t, args.client_url);
    const toolsVersion = t.release ?? t.version.join('.');
    if (st?.rc === 0) {
      const s = parseEndpointStatus(st.stdout);
      return {
        kind: 'change',
        summary: `save a snapshot of ${args.client_url} to ${dest}`,
        plan: { method: 'snapshot', dest, db, size: s.dbSize, version: s.version || toolsVersion },
        ...decision,
      };
    }
    const size = await script(ctx, '[ -f "$1" ] && stat -c %s -- "$1"', [db]);
    if (size.rc !== 0)
      return { kind: 'failed', result: failed(`nothing to save: ${args.client_url} does not answer and ${db} does not exist`) };
    // stopped: its WAL may hold committed entries its db does not yet (a hard kill): replayed
    const wal = await script(ctx, 'ls -1 -- "$1/member/wal" 2>/dev/null | grep -q "\\.wal$"', [dataDir]);
    if (wal.rc === 0 && (args.replay_wal ?? true)) {
      return {
        kind: 'change',
        summary: `replay ${dataDir}'s WAL (member stopped; a copy started once with --force-new-cluster on 127.0.0.1) and save a snapshot of it to ${dest}`,
        plan: { method: 'replay', dest, db, size: Number(size.stdout.trim()) || 0, version: toolsVersion },
        ...decision,
      };
    }
    return {
      kind: 'change',
      summary: `copy ${db} (member stopped) to ${dest}`,
      plan: { method: 'copy', dest, db, size: Number(size.stdout.trim()) || 0, version: toolsVersion },
      ...decision,
    };
  },
  async apply(ctx, args, p) {
    const { method, dest, db } = p.plan;
    const t = await etcdTools(ctx, args);
    const part = `${dest}.part`;
    const mk = await script(
      ctx,
      'd=$(dirname -- "$1"); { [ -d "$d" ] || (umask 077 && mkdir -p -- "$d"); } && rm -f -- "$2" && df -Pk -- "$d" | tail -n 1',
      [dest, part],
    );
    if (mk.rc !== 0) return failed(`cannot create the directory of ${dest}: ${mk.stderr.trim()}`);
    // a full filesystem fails the step at once, before etcdctl writes half a file
    const freeKb = Number(mk.stdout.trim().split(/\s+/)[3]);
    const neededKb = Math.ceil((p.plan.size * 1.1) / 1024);
    if (Number.isFinite(freeKb) && p.plan.size > 0 && freeKb < neededKb) {
      return failed(
        `not enough space for ${dest}: ${freeKb} KiB free, about ${neededKb} KiB needed (the db is ${Math.ceil(p.plan.size / 1024)} KiB); free space there or set etcd_backup_dir elsewhere`,
      );
    }
    if (method === 'replay') {
      const rp = await replayWal(ctx, t, etcdBinary(args.etcd_path, t), args.data_dir.replace(/\/+$/, ''), args.name ?? 'default', part);
      if ('error' in rp) {
        await run(ctx, ['rm', '-f', '--', part]);
        return failed(
          `${rp.error}; nothing saved (-e etcd_replay_wal=false saves a copy of the db instead, giving up what only the WAL holds)`,
        );
      }
    }
    const r =
      method === 'snapshot'
        ? await run(ctx, snapshotSave(t, args.client_url, part))
        : method === 'copy'
          ? await run(ctx, ['cp', '--', db, part])
          : { rc: 0, stdout: '', stderr: '' };
    if (r.rc !== 0) {
      await run(ctx, ['rm', '-f', '--', part]); // never leave half a snapshot behind
      const full = /no space left/i.test(r.stderr) ? ` (the filesystem of ${dest} is full: about ${neededKb} KiB needed)` : '';
      return failed(
        `${method === 'snapshot' ? 'snapshot save' : 'copy of the db'} failed${full}: ${etcdError(r.stderr) || r.stderr.trim()}`,
      );
    }
    const private_ = await run(ctx, ['chmod', '0600', '--', part]);
    if (private_.rc !== 0) return failed(`cannot make ${part} private (chmod 0600): ${private_.stderr.trim()}`);
    const st = await run(ctx, snapshotStatus(t, part));
    if (st.rc !== 0) return failed(`the saved file ${part} is not a readable etcd db: ${etcdError(st.stderr)} (kept for inspection)`);
    const revision = parseSnapshotStatus(st.stdout).revision;
    const mv = await run(ctx, ['mv', '--', part, dest]);
    if (mv.rc !== 0) return failed(`cannot rename ${part} to ${dest}: ${mv.stderr.trim()}`);
    const sum = await sha256(ctx, dest);
    if (!sum) return failed(`cannot checksum ${dest}`);
    const meta: SnapshotMeta = {
      method,
      sha256: sum,
      revision,
      source: method === 'snapshot' ? args.client_url : method === 'replay' ? `${args.data_dir} (WAL replayed)` : db,
      taken: new Date().toISOString(),
      ...(p.plan.version ? { etcd_version: p.plan.version } : {}),
    };
    await ctx.conn.writeFileAtomic(`${dest}.json`, JSON.stringify(meta, null, 2) + '\n', {
      mode: 0o600,
      ...(ctx.become ? { become: ctx.become } : {}),
    });
    return changed({ msg: `saved ${dest} (${method}, revision ${revision}, sha256 ${sum.slice(0, 12)}…)`, data: { path: dest, ...meta } });
  },
};

export default snapshot;
