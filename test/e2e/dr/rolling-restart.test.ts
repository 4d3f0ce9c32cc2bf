// playbooks/rolling-restart.yml on a real lab: one at a time, the leader last, every key kept;
// a member that does not come back stops the run and the rest stays untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { ETCD_35, failures, lab } from '../../helpers/dr.js';
import { leaderNow, runLeader } from '../../helpers/day2.js';

const PB = fileURLToPath(new URL('../../../playbooks/rolling-restart.yml', import.meta.url));
const names = ['etcd1', 'etcd2', 'etcd3'];
let l: Lab;
beforeAll(async () => {
  // TLS on 3.5 (the plain path is the 3.4 run's)
  l = await lab(80, 3, { keys: 2000, tls: ETCD_35 });
});
afterAll(async () => {
  await l?.down();
});

describe('playbooks/rolling-restart.yml', () => {
  it('restarts every member one at a time, the leader last, keeping every key', async () => {
    const led = await leaderNow(l);
    const before = await Promise.all(names.map((m) => l.etcdPid(m)));
    const r = await runCli(['apply', PB, '-i', l.inventoryDir, '--yes', '--output', 'json']);
    expect(r.code, failures(r)).toBe(0);
    const order = r
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Restart etcd')
      .map((e) => e['host']);
    expect(order).toHaveLength(3);
    expect(order[2]).toBe(runLeader(r.events(), 'Member status', led));
    const after = await Promise.all(names.map((m) => l.etcdPid(m)));
    after.forEach((p, i) => expect(p).not.toBe(before[i]));
    expect((await l.verify()).ok).toBe(true);
  });

  it('stops at the first member that does not come back; the others are not restarted', async () => {
    // every env file broken, so whichever follower the run takes first cannot come back
    // (which one it is follows the run's own reading of the leader: an election may come between)
    const led = await leaderNow(l);
    const good = names.map((m) => readFileSync(l.member(m).envFile, 'utf8'));
    names.forEach((m, i) =>
      writeFileSync(
        l.member(m).envFile,
        good[i]!.replace(/^ETCD_LISTEN_CLIENT_URLS=.*$/m, 'ETCD_LISTEN_CLIENT_URLS=http://192.0.2.1:2379'),
      ),
    );
    const before = await Promise.all(names.map((m) => l.etcdPid(m)));
    const r = await runCli([
      'apply',
      PB,
      '-i',
      l.inventoryDir,
      '--yes',
      '--output',
      'json',
      '-e',
      'etcd_restart_timeout=5',
      '-e',
      'etcd_gate_timeout=3',
    ]);
    names.forEach((m, i) => writeFileSync(l.member(m).envFile, good[i]!));
    expect(r.code).toBe(2);
    const first = names.find((m) => m !== runLeader(r.events(), 'Member status', led))!;
    // it fails to restart, or its health gate fails: either way the run stops there
    expect(failures(r)).toMatch(new RegExp(`^${first} (Restart etcd|It is back and the cluster healthy)`, 'm'));
    const restarted = r
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Restart etcd')
      .map((e) => e['host']);
    expect(restarted).toEqual([first]);
    const after = await Promise.all(names.map((m) => l.etcdPid(m)));
    names.forEach((m, i) => {
      if (m !== first) expect(after[i]).toBe(before[i]);
    });
    await l.startMember(first);
  });
});
