// No write lost that the survivor still holds: keep writing, SIGKILL every member, lose two
// disks. The survivor's WAL holds committed entries its db does not yet (the backend commits
// every 100 ms); the recovery must keep exactly what etcd itself yields when it replays that
// data dir — measured here on a copy started with --force-new-cluster in a scratch dir.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { failures, lab, recover } from '../../helpers/dr.js';

let current: Lab | undefined;
let writers: ChildProcess[] = [];
let scratch: ChildProcess | undefined;
function killWriters(): void {
  for (const w of writers) {
    try {
      if (w.pid !== undefined) process.kill(-w.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  writers = [];
}
afterEach(async () => {
  killWriters();
  scratch?.kill('SIGKILL');
  scratch = undefined;
  await current?.down();
  current = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** revision and key count of a db file, as `snapshot status` reads a copy of it */
function dbRevision(l: Lab, db: string): number {
  const e = l.member('etcd3').etcd!;
  const copy = join(mkdtempSync(join(tmpdir(), 'rb-wal-db-')), 'db');
  cpSync(db, copy);
  const tool = e.etcdutl ?? e.etcdctl;
  return (
    JSON.parse(
      execFileSync(tool, ['snapshot', 'status', copy, '-w', 'json'], { env: { ...process.env, ETCDCTL_API: '3' } }).toString(),
    ) as { revision: number }
  ).revision;
}

/** What etcd itself yields from this data dir: a copy started once with --force-new-cluster (on the lab's net, .250). */
async function replayedByEtcd(l: Lab, dataDir: string): Promise<{ revision: number; keys: number }> {
  const m = l.member('etcd3');
  const dir = mkdtempSync(join(tmpdir(), 'rb-wal-ref-'));
  cpSync(dataDir, join(dir, 'data'), { recursive: true });
  const ip = m.address.replace(/\.\d+$/, '.250');
  const child = (scratch = spawn(
    m.etcd!.bin,
    [
      '--name',
      m.name,
      '--data-dir',
      join(dir, 'data'),
      '--force-new-cluster',
      `--listen-client-urls=http://${ip}:2379`,
      `--advertise-client-urls=http://${ip}:2379`,
      `--listen-peer-urls=http://${ip}:2380`,
      `--initial-advertise-peer-urls=http://${ip}:2380`,
    ],
    { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '' } },
  ));
  const ctl = (...a: string[]) =>
    JSON.parse(
      execFileSync(m.etcd!.etcdctl, [`--endpoints=http://${ip}:2379`, '--dial-timeout=1s', ...a, '-w', 'json'], {
        env: { ...process.env, ETCDCTL_API: '3' },
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString(),
    ) as { count: number; header: { revision: number } };
  for (let i = 0; ; i++) {
    try {
      const got = ctl('get', '', '--prefix', '--keys-only', '--limit=1');
      child.kill('SIGTERM');
      scratch = undefined;
      rmSync(dir, { recursive: true, force: true });
      return { revision: got.header.revision, keys: got.count };
    } catch (e) {
      if (i > 100) throw e;
      await sleep(200);
    }
  }
}

describe('the WAL ahead of the db', () => {
  it("keep writing, SIGKILL every member, lose two disks: every key the survivor's WAL holds is recovered", async () => {
    const l = (current = await lab(99, 3, { keys: 1000 }));
    const e = l.member('etcd1').etcd!;
    writers = l.members.map((m, k) =>
      spawn(
        'bash',
        [
          '-c',
          `i=0; while :; do i=$((i+1)); ETCDCTL_API=3 "$0" --endpoints=${m.clientUrl} --dial-timeout=1s put /w/${k}/$i v$i >/dev/null 2>&1; done`,
          e.etcdctl,
        ],
        { stdio: 'ignore', detached: true },
      ),
    );
    await sleep(3000);
    const pids = await Promise.all(l.members.map((m) => l.etcdPid(m.name)));
    for (const p of pids) if (p !== undefined) process.kill(p, 'SIGKILL');
    // each writer with the etcdctl it is running (its own process group): an orphaned put,
    // still retrying, would land on the recovered cluster as one key too many
    killWriters();
    for (const m of ['etcd1', 'etcd2']) rmSync(l.member(m).dataDir, { recursive: true, force: true });

    const survivor = l.member('etcd3');
    const db = dbRevision(l, join(survivor.dataDir, 'member', 'snap', 'db'));
    const ref = await replayedByEtcd(l, survivor.dataDir);
    // the measured facts (the report quotes them): how far its WAL was ahead of its db
    console.info(`wal-ahead (${e.version}): survivor db revision ${db}, replayed by etcd ${ref.revision} (${ref.keys} keys)`);
    expect(ref.revision).toBeGreaterThanOrEqual(db);

    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    const plan = JSON.stringify(
      r.events().find((x) => x['type'] === 'host-result' && x['task'] === 'Decide what the recovery must do')?.['result'] ?? {},
    );
    expect(plan).toContain(`WAL replayed (db alone: revision ${db})`);
    expect(plan).toMatch(
      new RegExp(
        `etcd3 is stopped: saved from its WAL replayed \\(a copy started once with --force-new-cluster\\), revision ${ref.revision}`,
      ),
    );
    const snap = readdirSync(survivor.backupDir).find((f) => /^etcd-.*\.db\.json$/.test(f))!;
    expect(JSON.parse(readFileSync(join(survivor.backupDir, snap), 'utf8'))).toMatchObject({ method: 'replay', revision: ref.revision });

    const count = await l.etcdctl(['get', '', '--prefix', '--keys-only', '--limit=1', '-w', 'json']);
    expect((JSON.parse(count.stdout) as { count: number }).count).toBe(ref.keys);
    expect((await l.verify()).ok).toBe(true);
    // no scratch etcd or scratch dir left behind on the host
    expect(readdirSync(dirname(survivor.dataDir)).filter((f) => f.startsWith('.runbook-replay.'))).toEqual([]);
  });
});
