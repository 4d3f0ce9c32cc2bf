// A recovery killed with SIGKILL at several points, then started again from the top, ends
// with a healthy cluster and every key (the recovery record on the hosts is continued).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { CLI } from '../../helpers/cli.js';
import { failures, killedAt as killedAtTask, lab, PLAYBOOK, recover } from '../../helpers/dr.js';

let l: Lab;
beforeAll(async () => {
  l = await lab(75);
});
afterAll(async () => {
  await l?.down();
});

/** Run the recovery and SIGKILL it `delayMs` after the task named `at` starts. */
function killedAt(at: string, delayMs: number, ...extra: string[]): Promise<{ killed: boolean }> {
  return killedAtTask(l, PLAYBOOK, at, delayMs, ...extra);
}

async function completes(...extra: string[]): Promise<void> {
  const r = await recover(l, ...extra);
  expect(r.code, failures(r)).toBe(0);
  const v = await l.verify();
  expect(v.ok, JSON.stringify(v)).toBe(true);
  expect((await l.status()).members.every((m) => m.healthy)).toBe(true);
}

describe('a recovery killed mid-way and run again', () => {
  it('killed while saving the snapshot, then while adding a member: completes with every key', async () => {
    await l.breakLab('quorum-loss');
    expect((await killedAt('Save its data (snapshot, or a copy of its db when stopped)', 100)).killed).toBe(true);
    expect((await killedAt('Add it as a learner', 50)).killed).toBe(true);
    await completes();
  });

  it('killed while restoring, then while promoting: completes with every key', async () => {
    await l.breakLab('quorum-loss');
    expect((await killedAt('Restore the snapshot (the old data dir is moved aside)', 150)).killed).toBe(true);
    expect((await killedAt('Promote it to a voting member once it caught up', 100)).killed).toBe(true);
    await completes();
  });

  it('killed after the first member rejoined, while starting the second', async () => {
    await l.breakLab('quorum-loss');
    let starts = 0;
    // the third 'Start etcd' of the run is the second joiner's (survivor, joiner 1, joiner 2)
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'apply', PLAYBOOK, '-i', l.inventoryDir, '--yes', '--output', 'json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (b: Buffer) => {
        for (const line of b.toString().split('\n'))
          if (line.includes('"type":"task-start"') && line.includes('"task":"Start etcd"') && ++starts === 3)
            setTimeout(() => child.kill('SIGKILL'), 300);
      });
      child.on('close', () => resolve());
    });
    expect(starts).toBeGreaterThanOrEqual(3);
    await completes();
  });

  it('restore-all killed while restoring the members, then run again', async () => {
    await l.breakLab('quorum-loss');
    expect((await killedAt('Restore the snapshot with the full new membership', 100, '-e', 'etcd_dr_strategy=restore-all')).killed).toBe(
      true,
    );
    await completes('-e', 'etcd_dr_strategy=restore-all');
  });
});
