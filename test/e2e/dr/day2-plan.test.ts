// Every day-2 playbook is previewable: `runbook plan` on a real lab says what it would do and
// changes no process and no file in the members' directories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { lab } from '../../helpers/dr.js';

const pb = (n: string) => fileURLToPath(new URL(`../../../playbooks/${n}.yml`, import.meta.url));
let l: Lab;
beforeAll(async () => {
  l = await lab(85, 3, { keys: 2000 });
});
afterAll(async () => {
  await l?.down();
});

describe('day-2 playbooks in plan mode', () => {
  it('health, rolling-restart, snapshot, replace-member and restore-from-snapshot plan without changing anything', async () => {
    const names = ['etcd1', 'etcd2', 'etcd3'];
    const state = async () => ({
      pids: await Promise.all(names.map((m) => l.etcdPid(m))),
      files: names.map((m) =>
        readdirSync(l.member(m).dataDir.replace(/\/[^/]+$/, ''))
          .filter((f) => !f.endsWith('.log'))
          .sort(),
      ),
    });
    const before = await state();
    const snapDir = mkdtempSync(join(tmpdir(), 'rb-plan-snap-'));
    const fake = join(snapDir, 'etcd-snapshot-20260101T000000Z.db');
    writeFileSync(fake, 'not a db');
    writeFileSync(`${fake}.json`, JSON.stringify({ sha256: '0'.repeat(64), method: 'snapshot', revision: 1 }));
    const plans: [string, string[], RegExp][] = [
      ['health', [], /Plan: 0 to change/],
      ['rolling-restart', [], /would restart etcd via command `/],
      ['snapshot', ['-e', `etcd_controller_backup_dir=${snapDir}/out`], /would save a snapshot/],
      ['replace-member', ['-e', 'member=etcd2', '-e', 'replace_healthy=true'], /would remove etcd2/],
      ['restore-from-snapshot', ['-e', `snapshot=${fake}`], /would restore/],
    ];
    for (const [name, extra, expected] of plans) {
      const r = await runCli(['plan', pb(name), '-i', l.inventoryDir, ...extra]);
      expect(r.stdout + r.stderr, name).toMatch(expected);
    }
    expect(await state()).toEqual(before);
    expect(readdirSync(snapDir)).toEqual(['etcd-snapshot-20260101T000000Z.db', 'etcd-snapshot-20260101T000000Z.db.json']);
  });
});
