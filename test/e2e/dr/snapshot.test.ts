// playbooks/snapshot.yml on a real lab: a verified snapshot fetched to the controller with its
// checksum, the newest N kept on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab } from '../../helpers/dr.js';

const PB = fileURLToPath(new URL('../../../playbooks/snapshot.yml', import.meta.url));
let l: Lab;
beforeAll(async () => {
  // TLS: snapshot save and status with the inventory's tool paths and certificates (3.5: etcdutl)
  l = await lab(81, 3, { keys: 3000, tls: true });
});
afterAll(async () => {
  await l?.down();
});

describe('playbooks/snapshot.yml', () => {
  it('fetches a verified snapshot with its checksum and keeps the newest N', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rb-snaps-'));
    for (let i = 0; i < 3; i++) {
      const r = await runCli([
        'apply',
        PB,
        '-i',
        l.inventoryDir,
        '--yes',
        '--output',
        'plain',
        '-e',
        'etcd_snapshot_keep=2',
        '-e',
        `etcd_controller_backup_dir=${out}`,
      ]);
      expect(r.code, failures(r) + r.stdout).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(`snapshot of etcd\\d at revision \\d+, sha256 [0-9a-f]{64}: ${out}/etcd-snapshot-\\d{8}T\\d{6}Z\\.db`),
      );
      await new Promise((res) => setTimeout(res, 1100)); // names carry the second
    }
    const dbs = readdirSync(out)
      .filter((f) => f.endsWith('.db'))
      .sort();
    expect(dbs).toHaveLength(2);
    // each member's etcd files kept with each snapshot, pruned with it
    expect(
      readdirSync(out)
        .filter((f) => f.endsWith('.files.tar'))
        .sort(),
    ).toEqual(dbs.flatMap((f) => l.members.map((m) => `${f}.${m.name}.files.tar`)).sort());
    for (const f of dbs) {
      const meta = JSON.parse(readFileSync(join(out, `${f}.json`), 'utf8')) as { sha256: string; method: string; revision: number };
      expect(meta.method).toBe('snapshot');
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, f)))
          .digest('hex'),
      ).toBe(meta.sha256);
      const st = JSON.parse(execFileSync('etcdctl', ['snapshot', 'status', join(out, f), '-w', 'json'], { encoding: 'utf8' })) as {
        revision: number;
      };
      expect(st.revision).toBe(meta.revision);
    }
  });

  it('keeps snapshots private, by default outside the checkout: 0600 files in 0700 directories on both sides', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rb-xdg-'));
    const r = await runCli(['apply', PB, '-i', l.inventoryDir, '--yes', '--output', 'plain'], { env: { XDG_DATA_HOME: data } });
    expect(r.code, failures(r) + r.stdout).toBe(0);
    const out = join(data, 'runbook', 'backups');
    const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
    expect(mode(out)).toBe('700');
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.db'))).toHaveLength(1);
    for (const f of files) expect([f, mode(join(out, f))]).toEqual([f, '600']);
    // on the member: its etcd_backup_dir (the lab's is under the lab dir)
    const source = /snapshot of (etcd\d) /.exec(r.stdout)![1]!;
    const backupDir = l.members.find((m) => m.name === source)!.backupDir;
    expect(mode(backupDir)).toBe('700');
    const remote = readdirSync(backupDir).filter((f) => f.startsWith('etcd-snapshot-'));
    expect(remote.length).toBeGreaterThan(0);
    for (const f of remote) expect([f, mode(join(backupDir, f))]).toEqual([f, '600']);
  });
});
