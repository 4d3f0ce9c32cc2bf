// playbooks/snapshot.yml on a real lab: a verified snapshot fetched to the controller with its
// checksum, the newest N kept on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd-lab.js';
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
      const r = await runCli(['apply', PB, '-i', l.inventoryDir, '--yes', '--output', 'plain', '-e', 'etcd_snapshot_keep=2', '-e', `etcd_controller_backup_dir=${out}`]);
      expect(r.code, failures(r) + r.stdout).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`snapshot of etcd\\d at revision \\d+, sha256 [0-9a-f]{64}: ${out}/etcd-snapshot-\\d{8}T\\d{6}Z\\.db`));
      await new Promise((res) => setTimeout(res, 1100)); // names carry the second
    }
    const dbs = readdirSync(out).filter((f) => f.endsWith('.db')).sort();
    expect(dbs).toHaveLength(2);
    for (const f of dbs) {
      const meta = JSON.parse(readFileSync(join(out, `${f}.json`), 'utf8')) as { sha256: string; method: string; revision: number };
      expect(meta.method).toBe('snapshot');
      expect(createHash('sha256').update(readFileSync(join(out, f))).digest('hex')).toBe(meta.sha256);
      const st = JSON.parse(execFileSync('etcdctl', ['snapshot', 'status', join(out, f), '-w', 'json'], { encoding: 'utf8' })) as { revision: number };
      expect(st.revision).toBe(meta.revision);
    }
  });
});
