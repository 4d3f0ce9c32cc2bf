// etcd_facts: what one member is right now — running? with quorum? its revision (live, or
// from a copy of its db when stopped), the membership it sees, its key count, the recovery
// record on the host. Only reads; sets the fact `etcd_member` (see facts-model.ts).
import type { EtcdFactsArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { etcdBinary, replayWal } from './replay.js';
import {
  endpointHealth,
  endpointHealthPatient,
  endpointStatus,
  endpointStatusPatient,
  keyCount,
  memberList,
  snapshotStatus,
  v2List,
  type EtcdTools,
} from './etcdctl.js';
import type { MemberFacts, RecoveryRecord } from './facts-model.js';
import { newestSegment, readWalSegment, snapName } from './wal.js';
import { etcdTools, EtcdToolError, rememberSilent, run, script, silentEarlier } from './host.js';
import { dataDirMismatch, memberConfigOf, memberConfigRead } from './data-dir.js';
import { etcdError, leaderless, parseCount, parseEndpointStatus, parseHealth, parseMembers, parseSnapshotStatus } from './parse.js';
import { sleep } from '../support/exec.js';
import { clientPortStateBeside } from './unready.js';

export const RECORD_FILE = 'runbook-recovery.json';

/** What a db that `snapshot status` cannot read is, and what to do instead. */
export function unusableDb(db: string, member: string, cause: string): string {
  return `${db} (member ${member}'s bbolt database) is not a usable etcd db: truncated or garbled (${cause || 'unreadable'}); recover from another member (-e etcd_survivor=NAME) or restore a saved snapshot (playbooks/restore-from-snapshot.yml)`;
}

// $1 the db, then the `snapshot status` command with '-' where the copy goes: copied to a
// temp file (never read where etcd owns it), read, removed, in one round trip. Exit 90: no
// temp file; 91: the copy failed (its message on stderr).
const DB_STATUS = `copy=$(mktemp) || exit 90
trap 'rm -f -- "$copy"' EXIT
cp -- "$1" "$copy" || exit 91
shift
for a; do if [ "$a" = - ]; then set -- "$@" "$copy"; else set -- "$@" "$a"; fi; shift; done
"$@"`;

/** Revision of a stopped member's db, read from a copy (never the file etcd owns). */
async function dbRevision(ctx: ModuleContext, t: EtcdTools, db: string, member: string): Promise<{ revision?: number; error?: string }> {
  try {
    const r = await script(ctx, DB_STATUS, [db, ...snapshotStatus(t, '-')]);
    if (r.rc === 90) return { error: `mktemp failed: ${r.stderr.trim()}` };
    if (r.rc === 91) return { error: `cannot copy ${db}: ${r.stderr.trim()}` };
    if (r.rc !== 0) return { error: unusableDb(db, member, etcdError(r.stderr) || `snapshot status failed (rc ${r.rc})`) };
    return { revision: parseSnapshotStatus(r.stdout).revision };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const WAL_CHUNK = 4 << 20;

/**
 * The raft position a stopped member's WAL holds (its newest segment, read in 4 MiB chunks
 * until the end of its records) and its newest .snap file. Never the files of a live member:
 * a leaderless etcd rewrites its WAL on its own.
 */
export async function walFacts(ctx: ModuleContext, dataDir: string): Promise<MemberFacts['wal']> {
  const ls = await script(ctx, 'ls -1 -- "$1/member/wal" 2>/dev/null; echo //; ls -1 -- "$1/member/snap" 2>/dev/null', [dataDir]);
  const [walNames = '', snapNames = ''] = ls.stdout.split('//\n');
  const seg = newestSegment(walNames.split('\n'));
  if (!seg) return undefined;
  const file = `${dataDir}/member/wal/${seg}`;
  let buf = Buffer.alloc(0);
  for (let chunk = 0; chunk < 64; chunk++) {
    const r = await run(ctx, [
      '/bin/sh',
      '-c',
      'dd if="$1" bs=4194304 skip="$2" count=1 status=none | base64 -w0',
      'runbook',
      file,
      String(chunk),
    ]);
    if (r.rc !== 0) return { segment: seg, error: `cannot read ${file}: ${r.stderr.trim()}` };
    const part = Buffer.from(r.stdout.trim(), 'base64');
    buf = Buffer.concat([buf, part]);
    const pos = readWalSegment(buf);
    // a clean end (zeros) or the end of the file: done; a record cut by the chunk: read on
    if (!pos.torn || part.length < WAL_CHUNK) {
      const snaps = snapNames
        .split('\n')
        .map(snapName)
        .filter((x): x is [number, number] => x !== undefined);
      const snapIndex = Math.max(0, ...snaps.map((x) => x[1]));
      return {
        segment: seg,
        last_term: pos.last_term,
        last_index: pos.last_index,
        hard_term: pos.hard_term,
        commit: pos.commit,
        snap_index: Math.max(snapIndex, pos.snapshot_index),
        torn: pos.torn,
      };
    }
  }
  return { segment: seg, error: `${file}: no end of records within 256 MiB` };
}

async function readRecord(ctx: ModuleContext, backupDir: string): Promise<RecoveryRecord | undefined> {
  const data = await ctx.conn.readFile(`${backupDir.replace(/\/+$/, '')}/${RECORD_FILE}`, ctx.become ? { become: ctx.become } : {});
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as RecoveryRecord;
  } catch {
    return undefined; // a torn record is treated as absent; the survivor is decided again
  }
}

/** v2 keys of the store (directories not counted); undefined when etcdctl cannot tell. */
export async function countV2(ctx: ModuleContext, t: EtcdTools, endpoint: string): Promise<number | undefined> {
  const argv = v2List(t, endpoint);
  if (!argv) return undefined; // 3.6+: no v2 API to ask
  const r = await run(ctx, argv);
  if (r.rc !== 0) return /Key not found/i.test(r.stderr) ? 0 : undefined;
  return r.stdout.split('\n').filter((l) => l.trim() !== '' && !l.endsWith('/')).length;
}

export async function gatherMemberFacts(ctx: ModuleContext, a: EtcdFactsArgs): Promise<MemberFacts> {
  const t = await etcdTools(ctx, a);
  const base = {
    host: ctx.host,
    name: a.name,
    client_url: a.client_url,
    peer_url: a.peer_url,
    backup_dir: a.backup_dir,
    version: t.release ?? t.version.join('.'),
  };
  const dir = a.data_dir.replace(/\/+$/, '');
  const input = {
    dataDir: dir,
    envFile: a.env_file,
    service: a.service,
    manifest: a.manifest,
    manifestStoppedDir: a.manifest_stopped_dir,
    name: a.name,
    clientUrl: a.client_url,
  };
  const config = memberConfigRead(input);
  // an etcd that accepts no connection at all (ours waits unaccepted, its process idle) has not
  // joined its cluster: not serving, and every probe would only wait out its timeouts. The
  // member's configuration is read meanwhile, in the same round trip (the probe samples for
  // 0.05 s or more on such a member)
  const { port, other: configRead } = silentEarlier(ctx, a.client_url)
    ? { port: 'silent' as const, other: await script(ctx, config.text, config.words) }
    : await clientPortStateBeside(ctx, a.client_url, config.text, config.words);
  const listens = port === 'listening';
  let st = listens
    ? await run(ctx, endpointStatus(t, a.client_url, true))
    : { rc: 1, stdout: '', stderr: port === 'unready' ? 'accepts no connection' : 'not listening' };
  // listening but slow (a loaded host, a pause): asked again patiently before it counts as not
  // serving — in a plan too, which must not show a paused member's data moved aside. Once per
  // plan: a member that did not answer patiently is not asked again by later steps (silentEarlier).
  if (listens && st.rc !== 0) st = await run(ctx, endpointStatusPatient(t, a.client_url));
  if ((listens || port === 'unready') && st.rc !== 0) rememberSilent(ctx, a.client_url);
  let status: MemberFacts['status'];
  let healthy = false;
  let members: MemberFacts['members'];
  let count: number | undefined;
  if (st.rc === 0) {
    let s = parseEndpointStatus(st.stdout);
    // no leader: an election may be under way (one takes about an election timeout, 1 s by
    // default), so asked once more a second later; still none, it has no quorum and its
    // health could only time out (2 s, then 5 s patiently: most of a broken cluster's plan)
    if (leaderless(s) && (await sleep(1000, ctx.signal))) {
      const again = await run(ctx, endpointStatus(t, a.client_url, true));
      if (again.rc === 0) s = parseEndpointStatus(again.stdout);
    }
    status = {
      cluster_id: s.clusterId,
      member_id: s.memberId,
      leader: s.leader,
      revision: s.revision,
      raft_term: s.raftTerm,
      raft_index: s.raftIndex,
      version: s.version,
    };
    if (!leaderless(s)) {
      let h = await run(ctx, endpointHealth(t, a.client_url));
      if (h.rc !== 0) h = await run(ctx, endpointHealthPatient(t, a.client_url));
      healthy = h.rc === 0 && parseHealth(h.stdout).healthy;
    }
    if (healthy) {
      const ml = await run(ctx, memberList(t, [a.client_url]));
      if (ml.rc === 0)
        members = parseMembers(ml.stdout).members.map((m) => ({ id: m.id, name: m.name, peer_urls: m.peerUrls, is_learner: m.isLearner }));
      const c = await run(ctx, keyCount(t, [a.client_url]));
      if (c.rc === 0) count = parseCount(c.stdout);
    } else {
      // serving without quorum (it lost its peers while running): its own store still counts. A
      // member restarted without quorum never serves, not even serializable reads: no count then.
      const c = await run(ctx, keyCount(t, [a.client_url], true));
      if (c.rc === 0) count = parseCount(c.stdout);
    }
  }
  const db = `${dir}/member/snap/db`;
  const probe = await script(ctx, 'if [ -d "$1" ]; then echo dir; fi; if [ -f "$2" ]; then echo db; fi', [dir, db]);
  const data: {
    exists: boolean;
    db: boolean;
    revision?: number;
    error?: string;
    replayed?: NonNullable<MemberFacts['data']['replayed']>;
    configured?: NonNullable<MemberFacts['data']['configured']>;
    refused?: string;
  } = { exists: /\bdir\b/.test(probe.stdout), db: /\bdb\b/.test(probe.stdout) };
  const { sources, flags } = memberConfigOf(configRead.stdout, input);
  data.configured = sources.map((s) => ({ dir: s.dir, from: s.where }));
  // recorded, not thrown: the playbook refuses the whole run with every member's reason (a
  // failed host would only drop out, and the recovery be decided without it)
  const mismatch = dataDirMismatch(dir, sources);
  if (mismatch) data.refused = mismatch;
  if (data.db && !status) Object.assign(data, await dbRevision(ctx, t, db, a.name));
  const wal = !status && data.exists ? await walFacts(ctx, dir) : undefined;
  // what the member really holds: its WAL replayed by etcd itself (a copy, in a scratch dir)
  if (wal && !wal.error && data.db && !data.error && !data.refused && (a.replay_wal ?? true)) {
    const rp = await replayWal(ctx, t, etcdBinary(a.etcd_path, t), dir, a.name);
    data.replayed = 'error' in rp ? { error: rp.error } : rp;
  }
  const record = await readRecord(ctx, a.backup_dir);
  const v2 = flags?.v2_enabled ?? false;
  const v2Count = v2 && healthy ? await countV2(ctx, t, a.client_url) : undefined;
  return {
    ...base,
    serving: status !== undefined,
    healthy,
    ...(status ? { status } : {}),
    ...(members ? { members } : {}),
    ...(count !== undefined ? { key_count: count } : data.replayed?.key_count !== undefined ? { key_count: data.replayed.key_count } : {}),
    data,
    ...(record ? { record } : {}),
    ...(v2Count !== undefined ? { v2_key_count: v2Count } : {}),
    v2_enabled: v2,
    ...(flags ? { env_flags: flags } : {}),
    ...(wal ? { wal } : {}),
  };
}

/** One line for the task's output. */
export function describeMember(f: MemberFacts): string {
  if (f.data.refused) return `${f.name}: refused: ${f.data.refused}`;
  if (f.healthy) return `${f.name}: healthy, revision ${f.status!.revision}, ${f.key_count ?? '?'} keys`;
  if (f.serving) return `${f.name}: running without quorum, revision ${f.status!.revision}`;
  if (!f.data.exists) return `${f.name}: not serving, no data dir`;
  if (!f.data.db) return `${f.name}: not serving, no db`;
  if (f.data.error) return `${f.name}: not serving, ${f.data.error}`;
  const rp = f.data.replayed;
  const replay = rp ? (rp.error ? `; ${rp.error}` : `, ${rp.revision} with its WAL replayed (${rp.key_count} keys)`) : '';
  return `${f.name}: not serving, db revision ${f.data.revision}${replay}`;
}

const etcdFacts: Module<EtcdFactsArgs, never> = {
  name: 'etcd_facts',
  readOnly: true,
  async check(ctx, args) {
    try {
      const f = await gatherMemberFacts(ctx, args);
      return { kind: 'unchanged', result: ok({ msg: describeMember(f), ansible_facts: { etcd_member: f } }) };
    } catch (e) {
      if (e instanceof EtcdToolError) return { kind: 'failed', result: failed(e.message) };
      throw e;
    }
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default etcdFacts;
