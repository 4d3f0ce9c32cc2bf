// etcd_compact's time window and etcd_alarm's CORRUPT rule on a real lab (net 150).
// Compaction: a first run records a (time, revision) sample and compacts nothing; with a sample
// back-dated past the window the next run compacts to exactly that revision. CORRUPT: a real
// alarm raised through etcd's Alarm API (ACTIVATE, as etcd's corruption check raises it), which
// stops every write; one member's db file changed on disk so its HashKV really differs: the
// disarm is refused naming it; the byte put back, the disarm goes through and writes work again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { failures, lab, membership } from '../../helpers/dr.js';
import { client } from '../../helpers/day2.js';

let l: Lab;
const tmp = mkdtempSync(join(tmpdir(), 'rb-maint-'));
beforeAll(async () => {
  l = await lab(150, 3, { keys: 1000 });
});
afterAll(async () => {
  await l?.down();
});

const TOOLS = `
        etcdctl_path: "{{ etcdctl_path | default(omit) }}"
        etcdutl_path: "{{ etcdutl_path | default(omit) }}"
        cacert: "{{ etcd_cacert | default(omit) }}"
        cert: "{{ etcd_cert | default(omit) }}"
        key: "{{ etcd_key | default(omit) }}"`;

function playbook(name: string, task: string): string {
  const file = join(tmp, `${name}.yml`);
  writeFileSync(file, `- hosts: etcd1\n  gather_facts: false\n  tasks:\n    - name: ${name}\n${task}${TOOLS}\n`);
  return file;
}

const apply = (file: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['apply', file, '-i', l.inventoryDir, '--yes', '--output', 'json', ...extra]);
const resultOf = (r: CliResult, task: string): Record<string, any> => r.results(task)['etcd1']!;

async function revisions(): Promise<{ current: number; compacted: number }> {
  const st = await l.etcdctl(['endpoint', 'status', '-w', 'json'], ['etcd1']);
  const hk = await l.etcdctl(['endpoint', 'hashkv', '-w', 'json'], ['etcd1']);
  const big = (s: string) => s.replace(/(":)(\d{16,})/g, '$1"$2"');
  return {
    current: JSON.parse(big(st.stdout))[0].Status.header.revision,
    compacted: JSON.parse(big(hk.stdout))[0].HashKV.compact_revision,
  };
}

describe('etcd_compact with retain_duration', () => {
  it('a first run records a sample and is unchanged; a sample older than the window is compacted to', async () => {
    const history = join(l.member('etcd1').backupDir, 'compact-history.jsonl');
    const pb = playbook(
      'Compact to an hour ago',
      `      etcd_compact:
        endpoints: "{{ groups['etcd'] | map('extract', hostvars, 'etcd_client_url') | list }}"
        retain_duration: 1h
        history_file: "{{ etcd_backup_dir }}/compact-history.jsonl"`,
    );
    const before = await revisions();

    // a plan records nothing
    const plan = await runCli(['plan', pb, '-i', l.inventoryDir]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/Plan: 0 to change, 1 unchanged/);
    expect(() => readFileSync(history)).toThrow();

    const first = await apply(pb);
    expect(first.code, failures(first)).toBe(0);
    expect(first.recap()['etcd1']).toMatchObject({ changed: 0, failed: 0 });
    expect(resultOf(first, 'Compact to an hour ago').msg).toMatch(
      /^nothing to compact for a 1h window: no revision sampled at least 1h ago yet \(none recorded before this run\); recorded revision \d+$/,
    );
    const samples = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x) as { time: number; revision: number; cluster_id: string });
    expect(samples).toHaveLength(1);
    expect(samples[0]!.revision).toBe(before.current);
    expect(Math.abs(samples[0]!.time - Date.now() / 1000)).toBeLessThan(60);
    expect((await revisions()).compacted).toBe(before.compacted);

    // history moves on; the first sample is made two hours old
    for (let i = 0; i < 20; i++) await l.etcdctl(['put', `/maint/k${i}`, String(i)]);
    const sampled = samples[0]!.revision;
    writeFileSync(history, JSON.stringify({ ...samples[0], time: samples[0]!.time - 7200 }) + '\n');
    const second = await apply(pb);
    expect(second.code, failures(second)).toBe(0);
    expect(resultOf(second, 'Compact to an hour ago')).toMatchObject({
      status: 'changed',
      msg: `compacted the history to revision ${sampled}`,
    });
    const after = await revisions();
    expect(after.compacted).toBe(sampled);
    expect(after.current).toBeGreaterThanOrEqual(sampled + 20);
    const old = await l.etcdctl(['get', '/maint/k0', `--rev=${sampled - 1}`]);
    expect(old.stderr).toMatch(/required revision has been compacted/);
    expect((await l.etcdctl(['get', '/maint/k0', '--print-value-only'])).stdout.trim()).toBe('0');
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(2);

    // the same window again: nothing newer is an hour old, unchanged
    const third = await apply(pb);
    expect(third.code, failures(third)).toBe(0);
    expect(third.recap()['etcd1']).toMatchObject({ changed: 0 });
    expect(resultOf(third, 'Compact to an hour ago').msg).toMatch(
      new RegExp(
        `^already compacted at revision ${sampled} \\(revision ${sampled} was current 2h ago, a 1h window\\); recorded revision \\d+$`,
      ),
    );

    const both = playbook(
      'Both windows',
      `      etcd_compact:
        endpoints: "{{ etcd_client_url }}"
        retain_duration: 1h
        retain_revisions: 10
        history_file: "{{ etcd_backup_dir }}/compact-history.jsonl"`,
    );
    const refused = await apply(both);
    expect(refused.code).toBe(2);
    expect(failures(refused)).toMatch(/give retain_revisions or retain_duration, not both/);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });
});

/** etcd3's maintenance client: the Alarm RPC with ACTIVATE (etcdctl can only list and disarm). */
async function activateCorrupt(memberId: string): Promise<void> {
  const c = (await client(l)) as unknown as { maintenance: { alarm(r: object): Promise<unknown> }; close(): void };
  try {
    await c.maintenance.alarm({ action: 'Activate', memberID: memberId, alarm: 'Corrupt' });
  } finally {
    c.close();
  }
}

/** Stop etcd3, replace `from` by `to` (same length) everywhere in its db file, start it, wait until it answers. */
async function patchDb(from: string, to: string): Promise<number> {
  await l.stopMember('etcd3');
  const db = join(l.member('etcd3').dataDir, 'member', 'snap', 'db');
  const buf = readFileSync(db);
  const a = Buffer.from(from);
  let n = 0;
  for (let i = buf.indexOf(a); i >= 0; i = buf.indexOf(a, i + 1)) {
    Buffer.from(to).copy(buf, i);
    n++;
  }
  writeFileSync(db, buf);
  await l.startMember('etcd3');
  for (let i = 0; i < 60; i++) {
    if ((await l.etcdctl(['endpoint', 'status'], ['etcd3'])).code === 0) return n;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('etcd3 does not answer after the patch');
}

describe('etcd_alarm with a real CORRUPT alarm', () => {
  it('refused while one member really holds other data (named); disarmed once HashKV agrees, reads back', async () => {
    const VALUE = 'corruption-probe-0123456789-abcdef';
    expect((await l.etcdctl(['put', '/maint/probe', VALUE])).code).toBe(0);
    const ids = await membership(l);
    await activateCorrupt(ids['etcd3']!);
    const listed = await l.etcdctl(['alarm', 'list']);
    expect(listed.stdout).toMatch(/alarm:CORRUPT/);
    // under CORRUPT etcd refuses every write (reads are still served)
    const write = await l.etcdctl(['put', '/maint/refused', 'x']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/corrupt cluster/);

    const disarm = playbook(
      'Disarm',
      `      etcd_alarm:
        endpoints: "{{ groups['etcd'] | map('extract', hostvars, 'etcd_client_url') | list }}"
        state: disarmed`,
    );
    // etcd3's copy of the probe's value changed on disk: its HashKV really differs now
    expect(await patchDb(VALUE, VALUE.replace('abcdef', 'abcdeX'))).toBeGreaterThan(0);
    const refused = await apply(disarm);
    expect(refused.code).toBe(2);
    expect(failures(refused)).toMatch(
      /refusing to disarm CORRUPT \(etcd3\): the cause is still there: CORRUPT: HashKV mismatch at revision \d+: etcd3 disagrees with the majority/,
    );
    expect((await l.etcdctl(['alarm', 'list'])).stdout).toMatch(/alarm:CORRUPT/);

    expect(await patchDb(VALUE.replace('abcdef', 'abcdeX'), VALUE)).toBeGreaterThan(0);
    const r = await apply(disarm);
    expect(r.code, failures(r)).toBe(0);
    expect(resultOf(r, 'Disarm')).toMatchObject({ status: 'changed', msg: 'disarmed CORRUPT (etcd3)' });
    expect((await l.etcdctl(['alarm', 'list'])).stdout.trim()).toBe('');
    expect((await l.etcdctl(['get', '/maint/probe', '--print-value-only'])).stdout.trim()).toBe(VALUE);
    expect((await l.etcdctl(['put', '/maint/accepted', 'x'])).code).toBe(0);
    const again = await apply(disarm);
    expect(again.recap()['etcd1']).toMatchObject({ changed: 0, failed: 0 });
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
  });
});
