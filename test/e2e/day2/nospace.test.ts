// playbooks/nospace.yml on a real lab whose members run with a 16 MiB backend quota: one key
// overwritten until etcd raises NOSPACE and refuses writes; the playbook compacts, defragments
// every member, disarms, and writes work again with every lab key intact. Refused without quorum.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab } from '../../helpers/dr.js';
import { client, pb } from '../../helpers/day2.js';

const QUOTA = 16 * 1024 * 1024;
let l: Lab;
beforeAll(async () => {
  l = await lab(91, 3, { keys: 2000, quotaBackendBytes: QUOTA });
});
afterAll(async () => {
  await l?.down();
});

/** Overwrite one key with 512 KiB values until etcd says the database space is exceeded. */
async function fillUntilNospace(): Promise<string> {
  const c = await client(l);
  const value = 'x'.repeat(512 * 1024);
  try {
    for (let i = 0; i < 200; i++) {
      try {
        await c.put('/fill/big').value(`${i}${value}`).exec();
      } catch (e) {
        return (e as Error).message;
      }
    }
    return 'never full';
  } finally {
    c.close();
  }
}

describe('playbooks/nospace.yml', () => {
  it('brings writes back after NOSPACE: alarm list empty, every key intact', async () => {
    expect(await fillUntilNospace()).toMatch(/database space exceeded/);
    expect((await l.etcdctl(['alarm', 'list'])).stdout).toMatch(/alarm:NOSPACE/);
    expect((await l.etcdctl(['put', '/probe', '1'])).stderr).toMatch(/database space exceeded/);

    // history kept (nothing compacted) and 60% of the quota asked free: the filler's revisions
    // stay, the db cannot get that small, the alarm must stay
    const kept = await runCli([
      'apply',
      pb('nospace'),
      '-i',
      l.inventoryDir,
      '--yes',
      '--output',
      'json',
      '-e',
      'etcd_compact_retain=1000000',
      '-e',
      'etcd_nospace_min_free_percent=60',
    ]);
    expect(kept.code).toBe(2);
    expect(failures(kept)).toMatch(
      /refusing to disarm NOSPACE \(etcd\d\)(, NOSPACE \(etcd\d\))*: the cause is still there: NOSPACE: http\S+: [\d.]+ MiB in use of a 16\.0 MiB quota \(60% must stay free\): compact the history first/,
    );
    expect((await l.etcdctl(['alarm', 'list'])).stdout).toMatch(/alarm:NOSPACE/);

    const r = await runCli(['apply', pb('nospace'), '-i', l.inventoryDir, '--yes', '--output', 'json']);
    expect(r.code, failures(r)).toBe(0);
    expect((await l.etcdctl(['alarm', 'list'])).stdout.trim()).toBe('');
    const put = await l.etcdctl(['put', '/probe', '1']);
    expect(put.code, put.stderr).toBe(0);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.found).toBe(2000);
    const defragged = r
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Defragment')
      .map((e) => e['host']);
    expect(defragged.sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
  });

  it('is refused without quorum, pointing to disaster-recovery.yml', async () => {
    await l.stopMember('etcd1');
    await l.stopMember('etcd2');
    const r = await runCli(['apply', pb('nospace'), '-i', l.inventoryDir, '--yes', '--output', 'json']);
    expect(r.code).toBe(2);
    expect(failures(r)).toMatch(/refusing: only 0 of 3 members .* run playbooks\/disaster-recovery\.yml/);
    expect(r.events().some((e) => e['type'] === 'host-result' && e['task'] === 'Compact the history')).toBe(false);
    await l.startMember('etcd1');
    await l.startMember('etcd2');
  });
});
