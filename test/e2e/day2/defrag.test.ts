// playbooks/defrag.yml and consistency.yml on a real lab: thousands of keys written and deleted
// leave every member space to reclaim; after defrag.yml every member's db is smaller, every
// lab key is there, the leader was defragmented last (journal order), and a second run
// changes nothing. consistency.yml passes on the clean cluster. snapshot.yml's optional upload
// step calls the AWS CLI as documented (a stand-in `aws` on PATH: no object store runs here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab } from '../../helpers/dr.js';
import { hashVerdict } from '../../../src/modules/etcd/hashkv-verdict.js';
import { parseHashKv } from '../../../src/modules/etcd/parse.js';
import { dbSizes, deletePrefix, journal, leaderNow, pb, runLeader, writeJunk } from '../../helpers/day2.js';

let l: Lab;
beforeAll(async () => {
  // net 92: 90 is trust.test.ts's (files run two at a time)
  l = await lab(92, 3, { keys: 3000 });
});
afterAll(async () => {
  await l?.down();
});

describe('the day-2 maintenance playbooks in plan mode', () => {
  it('defrag, nospace, consistency, scale and certs plan without changing a process or a file', async () => {
    const names = ['etcd1', 'etcd2', 'etcd3'];
    const state = async () => ({
      pids: await Promise.all(names.map((m) => l.etcdPid(m))),
      files: names.map((m) =>
        readdirSync(l.member(m).dir)
          .filter((f) => !f.endsWith('.log'))
          .sort(),
      ),
      env: names.map((m) => readFileSync(l.member(m).envFile, 'utf8')),
    });
    // history to compact, so nospace.yml has something to predict
    await writeJunk(l, '/plan-junk/', 500, 1024);
    await deletePrefix(l, '/plan-junk/');
    const before = await state();
    for (const [name, expected] of [
      ['defrag', /Plan: 0 to change/],
      ['nospace', /compact the history to revision \d+/],
      ['consistency', /Plan: 0 to change, 1 unchanged/],
      ['scale', /Plan: 0 to change/],
      ['certs', /Plan: 0 to change/],
    ] as const) {
      const r = await runCli(['plan', pb(name), '-i', l.inventoryDir]);
      expect(r.code, `${name}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr, name).toMatch(expected);
    }
    expect(await state()).toEqual(before);
  });
});

describe('playbooks/defrag.yml', () => {
  it('defragments every member, followers first and the leader last; every key kept; a second run changes nothing', async () => {
    await writeJunk(l, '/junk/', 4000, 1024);
    await deletePrefix(l, '/junk/');
    const before = await dbSizes(l);
    const led = await leaderNow(l);
    const state = mkdtempSync(join(tmpdir(), 'rb-defrag-state-'));
    const r = await runCli([
      'apply',
      pb('defrag'),
      '-i',
      l.inventoryDir,
      '--yes',
      '--output',
      'json',
      '--state-dir',
      state,
      '-e',
      'etcd_compact_first=true',
    ]);
    expect(r.code, failures(r)).toBe(0);
    const after = await dbSizes(l);
    for (const m of Object.keys(before)) expect(after[m]!.dbSize, m).toBeLessThan(before[m]!.dbSize - 2 * 1024 * 1024);
    const order = journal(state)
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Defragment' && e['result']?.status === 'changed')
      .map((e) => e['host'] as string);
    expect(order).toHaveLength(3);
    expect(order[2]).toBe(runLeader(r.events(), 'Member status', led));
    const summary = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Reclaimed space')?.['result']?.data
      ?.msg as string[];
    expect(summary.join('\n')).toMatch(/member\s+before\s+after\s+reclaimed/);
    expect(summary).toHaveLength(4);
    for (const m of Object.keys(before)) expect(summary.find((x) => x.startsWith(m))).toMatch(/^etcd\d\s+\d+ KiB\s+\d+ KiB\s+\d+ KiB$/);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.found).toBe(3000);

    const again = await runCli(['apply', pb('defrag'), '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', 'etcd_compact_first=true']);
    expect(again.code, failures(again)).toBe(0);
    for (const m of Object.keys(before)) expect(again.recap()[m]).toMatchObject({ changed: 0 });
    expect(again.stdout).toMatch(/nothing to reclaim/);
  });
});

describe('playbooks/consistency.yml', () => {
  it('a clean cluster: every member has the same HashKV, nothing to replace', async () => {
    const r = await runCli(['apply', pb('consistency'), '-i', l.inventoryDir, '--yes', '--output', 'json']);
    expect(r.code, failures(r)).toBe(0);
    const res = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Compare HashKV of every member')?.['result'];
    expect(res?.msg).toMatch(/every member has HashKV \d+ at revision \d+/);
  });

  it("the comparison on the members' real HashKV answers: agree, and one changed hash is named", async () => {
    await l.etcdctl(['put', '/hashkv/probe', '1']);
    const rev = JSON.parse((await l.etcdctl(['endpoint', 'status', '-w', 'json'], ['etcd1'])).stdout.replace(/(":)(\d{16,})/g, '$1"$2"'))[0]
      .Status.header.revision as number;
    const answers = [];
    for (const m of l.members) {
      const r = await l.etcdctl(['endpoint', 'hashkv', `--rev=${rev}`, '-w', 'json'], [m.name]);
      expect(r.code, r.stderr).toBe(0);
      const a = parseHashKv(r.stdout)[0]!;
      answers.push({ name: m.name, endpoint: a.endpoint, hash: a.hash, compactRevision: a.compactRevision });
    }
    expect(hashVerdict(answers).kind).toBe('agree');
    const tampered = answers.map((a) => (a.name === 'etcd2' ? { ...a, hash: a.hash ^ 1 } : a));
    const v = hashVerdict(tampered);
    expect(v.kind === 'mismatch' && v.odd.map((m) => m.name)).toEqual(['etcd2']);
  });
});

describe('playbooks/snapshot.yml upload step', () => {
  it('with etcd_snapshot_s3_url, copies the snapshot and its sidecar with `aws s3 cp`; without, calls nothing', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rb-s3-'));
    const bin = join(tmp, 'bin');
    const bucket = join(tmp, 'bucket');
    mkdirSync(bin);
    mkdirSync(bucket);
    // stand-in for the AWS CLI: records its argv, "uploads" s3://bucket/<key> into the bucket dir
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/sh\necho "$*" >> ${tmp}/calls\n[ "$1 $2" = "s3 cp" ] || exit 2\ncp "$3" ${bucket}/$(basename "$4")\n`,
    );
    chmodSync(join(bin, 'aws'), 0o755);
    const env = { PATH: `${bin}:${process.env['PATH']}` };
    const out = join(tmp, 'out');
    const local = await runCli(
      ['apply', pb('snapshot'), '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `etcd_controller_backup_dir=${out}`],
      { env },
    );
    expect(local.code, failures(local)).toBe(0);
    expect(readdirSync(tmp)).not.toContain('calls');
    const r = await runCli(
      [
        'apply',
        pb('snapshot'),
        '-i',
        l.inventoryDir,
        '--yes',
        '--output',
        'json',
        '-e',
        `etcd_controller_backup_dir=${out}`,
        '-e',
        'etcd_snapshot_s3_url=s3://backups/etcd/',
        '-e',
        'etcd_snapshot_s3_endpoint=http://minio.example:9000',
      ],
      { env },
    );
    expect(r.code, failures(r)).toBe(0);
    const calls = readFileSync(join(tmp, 'calls'), 'utf8').trim().split('\n');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(
      /^s3 cp \S+\/etcd-snapshot-\S+\.db s3:\/\/backups\/etcd\/etcd-snapshot-\S+\.db --endpoint-url http:\/\/minio\.example:9000 --only-show-errors$/,
    );
    const uploaded = readdirSync(bucket).sort();
    expect(uploaded).toHaveLength(2);
    expect(readFileSync(join(bucket, uploaded[0]!))).toEqual(readFileSync(join(out, uploaded[0]!)));
  });
});
