// Clear failures for a bad survivor db and a full backup filesystem (issue 16, case 8), on a
// real lab: a truncated db is named for what it is, with what to do instead; a backup dir on
// a filesystem too small for the snapshot fails the step at once and leaves no .part file.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab, PLAYBOOK } from '../../helpers/dr.js';

const SNAPSHOT = fileURLToPath(new URL('../../../playbooks/snapshot.yml', import.meta.url));

let current: Lab | undefined;
let mounted: string | undefined;
afterEach(async () => {
  if (mounted) execFileSync('umount', [mounted]);
  mounted = undefined;
  await current?.down();
  current = undefined;
});

describe('clear failures', () => {
  it('a truncated survivor db: what the file is, that it is not usable, what to use instead', async () => {
    const l = (current = await lab(144, 3, { keys: 2000 }));
    await l.breakLab('quorum-loss');
    await l.stopMember('etcd3');
    const db = join(l.member('etcd3').dataDir, 'member', 'snap', 'db');
    // 16 KiB: past bbolt's meta pages, short of its data (3.5 preallocates the file, so half of it can still hold every page)
    truncateSync(db, Math.min(16384, Math.floor(statSync(db).size / 2)));
    const r = await runCli(['plan', PLAYBOOK, '-i', l.inventoryDir, '--output', 'json']);
    expect(r.code).not.toBe(0);
    const text = r.stdout + failures(r);
    expect(text).toContain(`${db} (member etcd3's bbolt database) is not a usable etcd db: truncated or garbled`);
    expect(text).toMatch(/recover from another member \(-e etcd_survivor=NAME\) or restore a saved snapshot/);
    expect(text).not.toMatch(/db\.go:\d+ \+0x/);
  });

  it('a backup filesystem too small for the snapshot fails the step at once with the space needed; no .part left', async () => {
    const l = (current = await lab(145, 1, { keys: 3000 }));
    const backup = l.member('etcd1').backupDir;
    mkdirSync(backup, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', backup]);
    mounted = backup;
    const r = await runCli(['apply', SNAPSHOT, '-i', l.inventoryDir, '--yes', '--output', 'json'], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(failures(r)).toMatch(/not enough space for .*: \d+ KiB free, about \d+ KiB needed/);
    expect(readdirSync(backup).filter((f) => f.endsWith('.part'))).toEqual([]);
    // failed by the save step itself (at once), not by later tasks timing out
    expect(Object.keys(r.results('Save and verify a snapshot on the member'))).toEqual(['etcd1']);
    expect(r.results('Save and verify a snapshot on the member')['etcd1']?.['status']).toBe('failed');
  });
});
