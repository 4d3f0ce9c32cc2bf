// playbooks/restore-from-snapshot.yml on a real lab: the cluster goes back to the snapshot's
// data (keys written after it are gone), every member from the same file; a re-run changes
// nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { ETCD_35, failures, killedAt, lab, membership } from '../../helpers/dr.js';

const SNAP = fileURLToPath(new URL('../../../playbooks/snapshot.yml', import.meta.url));
const RESTORE = fileURLToPath(new URL('../../../playbooks/restore-from-snapshot.yml', import.meta.url));
let l: Lab;
beforeAll(async () => {
  // TLS on 3.5 (the plain path is the 3.4 run's)
  l = await lab(82, 3, { keys: 2000, tls: ETCD_35 });
});
afterAll(async () => {
  await l?.down();
});

async function get(key: string): Promise<string | undefined> {
  const r = await l.etcdctl(['get', key, '--print-value-only']);
  return r.stdout.trim() === '' ? undefined : r.stdout.trim();
}

describe('playbooks/restore-from-snapshot.yml', () => {
  it('rebuilds every member from the same snapshot; a second run changes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rb-restore-'));
    const s = await runCli(['apply', SNAP, '-i', l.inventoryDir, '--yes', '-e', `etcd_controller_backup_dir=${out}`]);
    expect(s.code, failures(s)).toBe(0);
    const snapshot = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.db'))!,
    );
    await l.load(2500); // the data goes bad after the snapshot: 500 more keys, sentinel changed
    expect(await get('/lab/key/002500')).toBeDefined();
    const before = await membership(l);
    const r = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`]);
    expect(r.code, failures(r)).toBe(0);
    expect(await get('/lab/sentinel')).toBe('2000');
    expect(await get('/lab/key/002000')).toBeDefined();
    expect(await get('/lab/key/002001')).toBeUndefined();
    const after = await membership(l);
    expect(Object.keys(after).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(after['etcd1']).not.toBe(before['etcd1']); // a new cluster
    const again = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`]);
    expect(again.code, failures(again)).toBe(0);
    for (const h of ['etcd1', 'etcd2', 'etcd3']) expect(again.recap()[h]).toMatchObject({ changed: 0 });
    expect(await membership(l)).toEqual(after);
  });

  it('killed while restoring and again while starting, then run again: every member back on the snapshot', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rb-restore-'));
    const s = await runCli(['apply', SNAP, '-i', l.inventoryDir, '--yes', '-e', `etcd_controller_backup_dir=${out}`]);
    expect(s.code, failures(s)).toBe(0);
    const snapshot = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.db'))!,
    );
    await l.load(3000); // keys written after the snapshot
    expect(
      (await killedAt(l, RESTORE, 'Restore it with the full membership and the new token', 150, '-e', `snapshot=${snapshot}`)).killed,
    ).toBe(true);
    expect((await killedAt(l, RESTORE, 'Start etcd', 100, '-e', `snapshot=${snapshot}`)).killed).toBe(true);
    const r = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`]);
    expect(r.code, failures(r)).toBe(0);
    expect((await l.status()).members.every((m) => m.healthy)).toBe(true);
    expect(await get('/lab/key/002000')).toBeDefined(); // in the snapshot
    expect(await get('/lab/key/002001')).toBeUndefined(); // written after it
    expect(Object.keys(await membership(l)).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
  });

  it('one member that cannot be restored (its archive unreadable), or no snapshot at that path: nothing stopped anywhere, named; without the archive it restores', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rb-restore-'));
    const s = await runCli(['apply', SNAP, '-i', l.inventoryDir, '--yes', '-e', `etcd_controller_backup_dir=${out}`]);
    expect(s.code, failures(s)).toBe(0);
    const snapshot = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.db'))!,
    );
    writeFileSync(`${snapshot}.etcd2.files.tar`, 'not a tar archive\n');
    const before = await membership(l);
    const pids = await Promise.all(l.members.map((m) => l.etcdPid(m.name)));
    const r = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`]);
    expect(r.code).toBe(2);
    const put = r
      .events()
      .find(
        (e) =>
          e['type'] === 'host-result' && e['host'] === 'etcd2' && e['task'] === 'Put back its etcd files missing here, from the archive',
      );
    expect((put?.['result'] as { stderr?: string } | undefined)?.stderr).toContain(
      `cannot read ${snapshot}.etcd2.files.tar (the archive of this member's etcd files, beside the snapshot); nothing was stopped`,
    );
    expect(r.events().some((e) => e['type'] === 'host-result' && e['task'] === 'Stop etcd (only where the restore is still to do)')).toBe(
      false,
    );
    expect(await Promise.all(l.members.map((m) => l.etcdPid(m.name)))).toEqual(pids);
    expect(await membership(l)).toEqual(before);
    const wrong = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}.typo`]);
    expect(wrong.code).toBe(2);
    expect(failures(wrong)).toContain(`snapshot=${snapshot}.typo: ${snapshot}.typo and ${snapshot}.typo.json not found on the controller`);
    rmSync(`${snapshot}.etcd2.files.tar`);
    const again = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`]);
    expect(again.code, failures(again)).toBe(0);
    expect(Object.keys(await membership(l)).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect((await l.status()).members.every((m) => m.healthy)).toBe(true);
  });
});
