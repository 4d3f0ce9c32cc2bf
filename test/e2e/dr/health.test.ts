// playbooks/health.yml on a real TLS lab: healthy → exit 0 with the table; a member down →
// non-zero, naming it; nothing changed either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { lab } from '../../helpers/dr.js';

const HEALTH = fileURLToPath(new URL('../../../playbooks/health.yml', import.meta.url));
let l: Lab;
beforeAll(async () => {
  l = await lab(79, 3, { tls: true, keys: 2000 });
});
afterAll(async () => {
  await l?.down();
});

describe('playbooks/health.yml', () => {
  it('a healthy cluster: a table per member, exit 0, nothing changed', async () => {
    const r = await runCli(['apply', HEALTH, '-i', l.inventoryDir, '--yes', '--output', 'plain']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/member\s+health\s+leader\s+version\s+db size\s+raft index\s+alarms\s+cert days/);
    expect(r.stdout.match(/etcd\d\s+healthy/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/healthy: 3 members, one cluster/);
    expect(r.stdout).toMatch(/etcd1\s+:.*changed=0.*failed=0/);
  });

  it('a member down: exit 2 and the verdict names it', async () => {
    await l.stopMember('etcd2');
    const r = await runCli(['apply', HEALTH, '-i', l.inventoryDir, '--yes', '--output', 'plain']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/etcd2\s+down/);
    // the member that is down is blamed, on its own line and in the recap; not the one that read
    expect(r.stdout).toMatch(/fatal: \[etcd2\]: FAILED! => unhealthy: etcd2 is not healthy/);
    expect(r.stdout).not.toMatch(/fatal: \[etcd[13]\]/);
    expect(r.stdout).toMatch(/etcd1\s+:.*failed=0/);
    expect(r.stdout).toMatch(/etcd2\s+:.*failed=1/);
    await l.startMember('etcd2');
  });
});
