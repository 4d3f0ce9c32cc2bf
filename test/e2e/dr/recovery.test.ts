// playbooks/disaster-recovery.yml against a real etcd lab (etcd 3.4 + sshd on loopback
// addresses): thousands of keys written first, every one checked after.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { failures, lab, membership, recover } from '../../helpers/dr.js';

let current: Lab | undefined;
afterEach(async () => {
  await current?.down();
  current = undefined;
});

describe('disaster recovery', () => {
  it('3 members, 2 disks lost: recovered from the survivor with every key; a second run changes nothing', async () => {
    const l = (current = await lab(70));
    const broke = await l.breakLab('quorum-loss');
    expect(broke.recoverFrom).toEqual(['etcd3']);
    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    const v = await l.verify();
    expect(v.ok).toBe(true);
    expect(v.found).toBe(3000);
    const st = await l.status();
    expect(st.members.map((m) => m.healthy)).toEqual([true, true, true]);
    // nothing deleted: the survivor's old data dir was moved aside
    const survivorDir = l.member('etcd3').dataDir.replace(/\/[^/]+$/, '');
    expect(readdirSync(survivorDir).some((f) => /^data\.before-\d{8}T\d{6}Z$/.test(f))).toBe(true);
    // the decision was explained with each member's revision
    const decision = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'What this run will do, and why');
    expect(JSON.stringify(decision)).toMatch(/etcd3 has the newest data: revision \d+/);

    const ids = await membership(l);
    const pids = await Promise.all(['etcd1', 'etcd2', 'etcd3'].map((m) => l.etcdPid(m)));
    const again = await recover(l);
    expect(again.code, failures(again)).toBe(0);
    for (const h of ['etcd1', 'etcd2', 'etcd3']) expect(again.recap()[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await membership(l)).toEqual(ids);
    expect(await Promise.all(['etcd1', 'etcd2', 'etcd3'].map((m) => l.etcdPid(m)))).toEqual(pids);
  });

  it('quorum kept but one member lost its disk: only that member is rejoined; verify keys checked', async () => {
    const l = (current = await lab(77, 3, { keys: 2000 }));
    const before = await membership(l);
    await l.stopMember('etcd1');
    rmSync(l.member('etcd1').dataDir, { recursive: true, force: true });
    const pids = await Promise.all(['etcd2', 'etcd3'].map((m) => l.etcdPid(m)));
    const r = await recover(l, '-e', JSON.stringify({ etcd_verify_keys: { '/lab/sentinel': '2000', '/lab/key/000001': null } }));
    expect(r.code, failures(r)).toBe(0);
    const plan = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Decide what the recovery must do');
    expect(plan!['result'].data).toMatchObject({ action: 'rejoin', join: ['etcd1'] });
    // the others were never stopped; etcd1 has a new member id
    expect(await Promise.all(['etcd2', 'etcd3'].map((m) => l.etcdPid(m)))).toEqual(pids);
    const after = await membership(l);
    expect(after['etcd2']).toBe(before['etcd2']);
    expect(after['etcd1']).not.toBe(before['etcd1']);
    expect((await l.verify()).ok).toBe(true);
    const wrong = await recover(l, '-e', JSON.stringify({ etcd_verify_keys: { '/lab/sentinel': 'not-this' } }));
    expect(wrong.code).toBe(2);
    expect(failures(wrong)).toMatch(/key \/lab\/sentinel is '2000', expected 'not-this'/);
  });

  it('restore-all: every member restored from the same snapshot and started together', async () => {
    const l = (current = await lab(71));
    await l.breakLab('quorum-loss');
    const r = await recover(l, '-e', 'etcd_dr_strategy=restore-all');
    expect(r.code, failures(r)).toBe(0);
    expect((await l.verify()).ok).toBe(true);
    expect((await l.status()).members.every((m) => m.healthy)).toBe(true);
  });

  it('TLS: https client and peer URLs with client certificates work end to end', async () => {
    const l = (current = await lab(76, 3, { tls: true, keys: 2000 }));
    expect(l.members[0]!.clientUrl).toMatch(/^https:/);
    await l.breakLab('quorum-loss');
    const r = await recover(l, '-e', 'etcd_dr_strategy=restore-all');
    expect(r.code, failures(r)).toBe(0);
    expect((await l.verify()).ok).toBe(true);
  });

  it('a stale stopped member and a newer one: the newer wins', async () => {
    const l = (current = await lab(72));
    const broke = await l.breakLab('stale-member');
    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    const plan = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Decide what the recovery must do');
    expect(broke.recoverFrom).toContain(plan!['result'].data.survivor);
    expect(plan!['result'].data.survivor).not.toBe('etcd1');
    const v = await l.verify();
    expect(v.ok).toBe(true);
    expect(v.found).toBe(broke.expectedKeys);
  });

  it('6 members with 3 hosts dead: a 3-member cluster from the reachable ones, the dead named', async () => {
    const l = (current = await lab(73, 6, { keys: 2000 }));
    const broke = await l.breakLab('dead-hosts');
    expect(broke.deadHosts).toEqual(['etcd4', 'etcd5', 'etcd6']);
    const r = await recover(l);
    expect(r.code, failures(r)).toBe(4); // hosts unreachable, as ansible-playbook reports it
    for (const h of broke.deadHosts) expect(r.recap()[h]).toMatchObject({ unreachable: 1 });
    for (const h of ['etcd1', 'etcd2', 'etcd3']) expect(r.recap()[h]).toMatchObject({ failed: 0 });
    expect(Object.keys(await membership(l)).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect((await l.verify()).ok).toBe(true);
  });

  it('plan on a broken cluster changes no file and no process', async () => {
    const l = (current = await lab(74));
    await l.breakLab('quorum-loss');
    const snapshot = async () => ({
      pids: await Promise.all(['etcd1', 'etcd2', 'etcd3'].map((m) => l.etcdPid(m))),
      files: ['etcd1', 'etcd2', 'etcd3'].map((m) => {
        const d = l.member(m).dataDir.replace(/\/[^/]+$/, '');
        return readdirSync(d)
          .filter((f) => !f.endsWith('.log'))
          .sort();
      }),
      data: ['etcd1', 'etcd2', 'etcd3'].map((m) => existsSync(l.member(m).dataDir)),
    });
    const before = await snapshot();
    const { runCli } = await import('../../helpers/cli.js');
    const { PLAYBOOK } = await import('../../helpers/dr.js');
    const p = await runCli(['plan', PLAYBOOK, '-i', l.inventoryDir]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/recover from etcd3/);
    expect(p.stdout).toMatch(/would restore/);
    expect(await snapshot()).toEqual(before);
  });
});
