// A rolling upgrade interrupted by the disaster: etcd1 already on 3.5.30, etcd2 and etcd3 still
// on 3.4 (the versions are set here, whatever the project's RUNBOOK_ETCD_VERSION). Quorum lost,
// recovered with each host's own tools, every key back; a 3.5 survivor with 3.4 members is
// refused before anything is touched (a 3.4 member cannot join a cluster restored by 3.5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { ETCD_VERSION, failures, lab, recover } from '../../helpers/dr.js';

const SNAP = fileURLToPath(new URL('../../../playbooks/snapshot.yml', import.meta.url));
const RESTORE = fileURLToPath(new URL('../../../playbooks/restore-from-snapshot.yml', import.meta.url));

const VERSIONS = '3.5.30,3.4,3.4';

// the versions are this file's own: it runs once, in the e2e project (net 98), not again per version
describe.skipIf(ETCD_VERSION !== '3.4')('mixed 3.4 / 3.5 members', () => {
  let l: Lab;
  beforeAll(async () => {
    l = await lab(98, 3, { etcdVersion: VERSIONS, keys: 1500 });
  });
  afterAll(async () => {
    await l?.down();
  });

  const decision = (r: Awaited<ReturnType<typeof recover>>): string =>
    JSON.stringify(
      r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Decide what the recovery must do')?.['result'] ?? {},
    );

  it('a 3.4 survivor: rejoin (etcd1 on 3.5 joins the 3.4 cluster), then restore-all, every key back each time', async () => {
    expect(l.members.map((m) => m.etcd?.version.split('.').slice(0, 2).join('.'))).toEqual(['3.5', '3.4', '3.4']);
    expect((await l.breakLab('quorum-loss')).recoverFrom).toEqual(['etcd3']);
    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    // the plan shows each member's version
    const table = decision(r);
    expect(table).toMatch(/etcd1 +etcd1 +3\.5\.30 +not serving, no data dir/);
    expect(table).toMatch(/etcd3 +etcd3 +3\.4\.23 /);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.found).toBe(1500);
    const st = await l.etcdctl(['endpoint', 'status', '-w', 'json']);
    expect(st.stdout).toMatch(/"version":"3\.5\.30"/); // etcd1 still runs its own etcd
    expect(st.stdout).toMatch(/"version":"3\.4\.23"/);

    expect((await l.breakLab('quorum-loss')).recoverFrom).toEqual(['etcd3']);
    const all = await recover(l, '-e', 'etcd_dr_strategy=restore-all');
    expect(all.code, failures(all)).toBe(0);
    expect((await l.verify()).found).toBe(1500);
  });

  it('restore-from-snapshot of a snapshot saved by 3.5: refused for the 3.4 members before any member is stopped', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rb-mixed-snap-'));
    const s = await runCli(['apply', SNAP, '-i', l.inventoryDir, '--yes', '-e', `etcd_controller_backup_dir=${out}`]);
    expect(s.code, failures(s)).toBe(0);
    const snapshot = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.db'))!,
    );
    expect((JSON.parse(readFileSync(`${snapshot}.json`, 'utf8')) as { etcd_version: string }).etcd_version).toMatch(/^3\.5\./); // from etcd1
    const pids = await Promise.all(l.members.map((m) => l.etcdPid(m.name)));
    const r = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`]);
    expect(r.code).toBe(2);
    for (const m of ['etcd2', 'etcd3'])
      expect(failures(r)).toMatch(
        new RegExp(`on ${m}: it was saved from etcd 3\\.5\\.30 and etcdctl here is etcd 3\\.4 \\(etcd does not downgrade\\)`),
      );
    expect(r.events().some((e) => e['type'] === 'host-result' && e['task'] === 'Stop etcd (only where the restore is still to do)')).toBe(
      false,
    );
    expect(await Promise.all(l.members.map((m) => l.etcdPid(m.name)))).toEqual(pids);
    expect((await l.verify()).found).toBe(1500);
  });

  it('a 3.5 survivor with 3.4 members: refused in one line naming them, nothing touched', async () => {
    await l.breakLab('quorum-loss', { survivor: 'etcd1' });
    const pid = await l.etcdPid('etcd1');
    const record = `${l.member('etcd1').backupDir}/runbook-recovery.json`;
    const before = readFileSync(record, 'utf8');
    const r = await recover(l);
    expect(r.code).toBe(2);
    const why = failures(r);
    expect(why).toMatch(
      /etcd1, the survivor, runs etcd 3\.5\.30 and etcd2 \(3\.4\.23\), etcd3 \(3\.4\.23\) run an older etcd: a 3\.4 member can neither join a cluster restored by 3\.5 nor restore its snapshot \(etcd does not downgrade\); upgrade etcd on etcd2, etcd3 to 3\.5 and run again/,
    );
    expect(await l.etcdPid('etcd1')).toBe(pid);
    for (const m of ['etcd2', 'etcd3']) expect(existsSync(l.member(m).dataDir)).toBe(false);
    expect(readFileSync(record, 'utf8')).toBe(before); // no recovery was started
  });
});
