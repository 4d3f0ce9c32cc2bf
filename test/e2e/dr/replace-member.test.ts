// playbooks/replace-member.yml on a real lab: a member with a corrupt db is replaced while the
// cluster keeps quorum; a second run changes nothing; refused when it would cost quorum.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { ETCD_35, failures, lab, membership } from '../../helpers/dr.js';

const PB = fileURLToPath(new URL('../../../playbooks/replace-member.yml', import.meta.url));
let l: Lab;
beforeAll(async () => {
  // TLS on 3.5 (the plain path is the 3.4 run's)
  l = await lab(83, 3, { keys: 2000, tls: ETCD_35 });
});
afterAll(async () => {
  await l?.down();
});

describe('playbooks/replace-member.yml', () => {
  it('replaces a member whose db is corrupt; every key there; a second run changes nothing', async () => {
    const broke = await l.breakLab('one-bad-member');
    const bad = broke.corrupted[0]!;
    const before = await membership(l);
    const r = await runCli(['apply', PB, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `member=${bad}`]);
    expect(r.code, failures(r)).toBe(0);
    const after = await membership(l);
    expect(after[bad]).not.toBe(before[bad]);
    for (const m of Object.keys(before)) if (m !== bad) expect(after[m]).toBe(before[m]);
    expect((await l.status()).members.every((m) => m.healthy)).toBe(true);
    expect((await l.verify()).ok).toBe(true);
    const again = await runCli(['apply', PB, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `member=${bad}`]);
    expect(again.code, failures(again)).toBe(0);
    for (const h of ['etcd1', 'etcd2', 'etcd3']) expect(again.recap()[h]).toMatchObject({ changed: 0 });
  });

  it('is refused when removing the member would cost quorum', async () => {
    await l.stopMember('etcd2');
    const r = await runCli(['apply', PB, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', 'member=etcd3']);
    expect(r.code).toBe(2);
    expect(failures(r)).toMatch(
      /refusing to replace etcd3: 1 healthy other member\(s\) \(etcd1\) of 2 left: removing it would cost quorum/,
    );
    await l.startMember('etcd2');
  });
});
