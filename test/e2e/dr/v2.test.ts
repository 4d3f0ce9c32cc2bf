// Clusters that still hold v2 keys: a snapshot restore would drop them, so the recovery forces
// a new cluster from the survivor's own data dir instead (issue 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { CLI } from '../../helpers/cli.js';
import { failures, lab, PLAYBOOK, recover } from '../../helpers/dr.js';

let l: Lab;
beforeAll(async () => {
  l = await lab(78, 3, { v2: true, keys: 2000 });
});
afterAll(async () => {
  await l?.down();
});

const names = ['etcd1', 'etcd2', 'etcd3'];
const forceFlagLeft = () => names.some((m) => /ETCD_FORCE_NEW_CLUSTER/.test(readFileSync(l.member(m).envFile, 'utf8')));

function killAt(task: string, delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'apply', PLAYBOOK, '-i', l.inventoryDir, '--yes', '--output', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let hit = false;
    child.stdout.on('data', (b: Buffer) => {
      if (
        !hit &&
        b
          .toString()
          .split('\n')
          .some((x) => x.includes('"type":"task-start"') && x.includes(`"task":${JSON.stringify(task)}`))
      ) {
        hit = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('close', () => resolve(hit));
  });
}

describe('v2 data: force-new-cluster', () => {
  it('an explicit snapshot strategy is refused with the reason, and nothing changes', async () => {
    await l.breakLab('quorum-loss');
    const pids = await Promise.all(names.map((m) => l.etcdPid(m)));
    const dirs = names.map((m) => readdirSync(l.member(m).dataDir.replace(/\/[^/]+$/, '')).sort());
    const r = await recover(l, '-e', 'etcd_dr_strategy=restore-all');
    expect(r.code).toBe(2);
    expect(failures(r)).toMatch(/restore-all would lose every v2 key .*force-new-cluster.*etcd_allow_v2_loss/);
    expect(await Promise.all(names.map((m) => l.etcdPid(m)))).toEqual(pids);
    expect(names.map((m) => readdirSync(l.member(m).dataDir.replace(/\/[^/]+$/, '')).sort())).toEqual(dirs);
  });

  it('two disks lost: force-new-cluster is chosen and every v2 and v3 key comes back', async () => {
    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    const decision = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Decide what the recovery must do');
    expect(decision!['result'].data).toMatchObject({ action: 'recover', strategy: 'force-new-cluster', survivor: 'etcd3' });
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.v2).toMatchObject({ found: 200 });
    expect(forceFlagLeft()).toBe(false);
    const dir = l.member('etcd3').dataDir;
    expect(readdirSync(dir.replace(/\/[^/]+$/, '')).some((f) => /^data\.before-/.test(f))).toBe(true);
    expect(existsSync(`${dir}/member`)).toBe(true);
  });

  it('killed after forcing and while rejoining, then run again: every key, no force flag left', async () => {
    await l.breakLab('quorum-loss');
    expect(await killAt('Wait until it is healthy', 300)).toBe(true);
    expect(await killAt('Add it as a learner', 50)).toBe(true);
    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(forceFlagLeft()).toBe(false);
  });
});
