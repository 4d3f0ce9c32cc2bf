// playbooks/scale.yml on a real lab: 3 → 5 → 3 members, every key kept, and a writer putting a
// key every 50 ms through the whole run never sees writes fail for longer than an election.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab, labNet, membership } from '../../helpers/dr.js';
import { client, pb } from '../../helpers/day2.js';

const NET = 93;
let l: Lab;
beforeAll(async () => {
  // five hosts; etcd4 and etcd5 are then taken out so the cluster starts at three
  l = await lab(NET, 5, { keys: 3000 });
  for (const m of ['etcd5', 'etcd4']) {
    const id = (await membership(l))[m]!;
    // etcd refuses a reconfiguration while a member is recently started ("unhealthy cluster")
    let r = await l.etcdctl(['member', 'remove', BigInt(id).toString(16)], ['etcd1', 'etcd2', 'etcd3']);
    for (let i = 0; r.code !== 0 && i < 40; i++) {
      await new Promise((res) => setTimeout(res, 500));
      r = await l.etcdctl(['member', 'remove', BigInt(id).toString(16)], ['etcd1', 'etcd2', 'etcd3']);
    }
    expect(r.code, r.stderr).toBe(0);
    await l.stopMember(m);
  }
});
afterAll(async () => {
  await l?.down();
});

/** Until these members answer `endpoint health` (after a stop, an election may be running). */
async function settled(names: readonly string[]): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await l.etcdctl(['endpoint', 'health'], names)).code === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${names.join(', ')} not healthy after 30 s`);
}

/** Writes /watch/<n> every 50 ms until stopped; returns the longest run of failed writes in ms. */
function writer(): { stop(): Promise<{ writes: number; failures: number; longestOutageMs: number }> } {
  let running = true;
  const done = (async () => {
    const c = await client(l);
    let writes = 0;
    let fails = 0;
    let firstFail: number | undefined;
    let longest = 0;
    try {
      for (let n = 0; running; n++) {
        const t = Date.now();
        try {
          await Promise.race([
            c.put(`/watch/${n}`).value(String(n)).exec(),
            new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000)),
          ]);
          writes++;
          if (firstFail !== undefined) longest = Math.max(longest, Date.now() - firstFail);
          firstFail = undefined;
        } catch {
          fails++;
          firstFail ??= t;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (firstFail !== undefined) longest = Math.max(longest, Date.now() - firstFail);
    } finally {
      c.close();
    }
    return { writes, failures: fails, longestOutageMs: longest };
  })();
  return {
    stop: async () => {
      running = false;
      return done;
    },
  };
}

describe('playbooks/scale.yml', () => {
  it('grows 3 → 5 and shrinks 5 → 3, one member at a time, keys intact, writes never down for more than an election', async () => {
    expect(Object.keys(await membership(l)).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    await settled(['etcd1', 'etcd2', 'etcd3']);
    const plan = await runCli(['plan', pb('scale'), '-i', l.inventoryDir]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`add etcd4 (http://127.0.${labNet(NET)}.4:2380) as a learner`);
    expect(Object.keys(await membership(l)).sort()).toEqual(['etcd1', 'etcd2', 'etcd3']);
    const w = writer();
    const grow = await runCli(['apply', pb('scale'), '-i', l.inventoryDir, '--yes', '--output', 'json'], { timeoutMs: 240_000 });
    expect(grow.code, failures(grow)).toBe(0);
    const m5 = await membership(l);
    expect(Object.keys(m5).sort()).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcd5']);
    const st = await l.status();
    expect(
      st.members.every((m) => m.healthy),
      JSON.stringify(st),
    ).toBe(true);
    const joined = grow
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Add it as a learner')
      .map((e) => e['host']);
    expect(joined.sort()).toEqual(['etcd4', 'etcd5']);

    // shrink: leadership moved to etcd4 first, so one of the members removed is the leader
    const ids = await membership(l);
    const moved = await l.etcdctl(['move-leader', BigInt(ids['etcd4']!).toString(16)], [st.leader!]);
    expect(moved.code, moved.stderr).toBe(0);
    const small = join(l.dir, 'inv-3');
    cpSync(l.inventoryDir, small, { recursive: true });
    const { parse, stringify } = await import('yaml');
    const file = join(small, 'hosts.yml');
    const inv = parse(readFileSync(file, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, unknown> }> } };
    const hosts = inv.all.children['etcd']!.hosts;
    expect((await l.status()).leader).toBe('etcd4');
    const drop = ['etcd4', 'etcd5'];
    const retired: Record<string, unknown> = {};
    for (const h of drop) {
      retired[h] = hosts[h];
      delete hosts[h];
    }
    inv.all.children['etcd_retired'] = { hosts: retired };
    writeFileSync(file, stringify(inv));
    expect(existsSync(join(small, 'group_vars', 'etcd.yml'))).toBe(true);
    writeFileSync(join(small, 'group_vars', 'etcd_retired.yml'), readFileSync(join(small, 'group_vars', 'etcd.yml')));
    const shrink = await runCli(['apply', pb('scale'), '-i', small, '--yes', '--output', 'json'], { timeoutMs: 240_000 });
    const removed = shrink
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Remove members that are not in group etcd (followers first)');
    expect(shrink.code, failures(shrink) + JSON.stringify(removed)).toBe(0);
    expect(JSON.stringify(removed)).toMatch(/leadership handed over first/);
    expect(['etcd1', 'etcd2', 'etcd3']).toContain((await l.status()).leader);
    const m3 = await membership(l);
    expect(Object.keys(m3).sort()).toEqual(
      Object.keys(m5)
        .filter((n) => !drop.includes(n))
        .sort(),
    );
    const w1 = await w.stop();
    expect(w1.writes).toBeGreaterThan(20);
    // a leader election takes about a second here (election timeout 1 s); allow one, plus the client's reconnect
    expect(w1.longestOutageMs, JSON.stringify(w1)).toBeLessThan(3000);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.found).toBe(3000);

    const again = await runCli(['apply', pb('scale'), '-i', small, '--yes', '--output', 'json']);
    expect(again.code, failures(again)).toBe(0);
    for (const h of Object.keys(m3)) expect(again.recap()[h] ?? { changed: 0 }).toMatchObject({ changed: 0 });
  });

  it('refuses a removal that would leave the healthy voting members short of a quorum', async () => {
    // 3 members, etcd3 down; shrinking to {etcd1, etcd3} would remove healthy etcd2: 1 healthy of 2
    await l.stopMember('etcd3');
    await settled(['etcd1', 'etcd2']);
    const dir = join(l.dir, 'inv-13');
    cpSync(l.inventoryDir, dir, { recursive: true });
    const { parse, stringify } = await import('yaml');
    const file = join(dir, 'hosts.yml');
    const inv = parse(readFileSync(file, 'utf8')) as { all: { children: Record<string, { hosts: Record<string, unknown> }> } };
    const hosts = inv.all.children['etcd']!.hosts;
    for (const h of Object.keys(hosts)) if (h !== 'etcd1' && h !== 'etcd3') delete hosts[h];
    writeFileSync(file, stringify(inv));
    const before = await membership(l);
    const odd = await runCli(['apply', pb('scale'), '-i', dir, '--yes', '--output', 'json']);
    expect(odd.code).toBe(2);
    expect(failures(odd)).toMatch(/an even count/);
    const r = await runCli(['apply', pb('scale'), '-i', dir, '--yes', '--output', 'json', '-e', 'etcd_allow_even=true']);
    expect(r.code).toBe(2);
    const removal = r
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Remove members that are not in group etcd (followers first)');
    expect(JSON.stringify(removal), failures(r)).toMatch(
      /refusing to remove etcd2: 1 healthy of the 2 voting members left, 2 needed for quorum/,
    );
    expect(await membership(l)).toEqual(before);
    await l.startMember('etcd3');
  });
});
