// playbooks/certs.yml on a real TLS lab: expiry reported; new certificates (signed by the lab
// CA, 90 days instead of 30) rolled one member at a time; every member healthy over TLS after,
// the old files kept aside, every key there; a second run restarts nothing. A missing key on the
// controller stops the run before any member is touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab } from '../../helpers/dr.js';
import { leaderNow, pb, runLeader } from '../../helpers/day2.js';

let l: Lab;
beforeAll(async () => {
  l = await lab(94, 3, { tls: true, keys: 2000 });
});
afterAll(async () => {
  await l?.down();
});

/** A member certificate like the lab's, valid 90 days, in dir/<name>.crt and .key. */
function newCert(dir: string, name: string, address: string): void {
  const tlsDir = dirname(l.tls!.caFile);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-subj',
      `/CN=${name}`,
      '-out',
      csr,
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(
    ext,
    `subjectAltName=IP:${address},DNS:${name},DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`,
  );
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      l.tls!.caFile,
      '-CAkey',
      join(tlsDir, 'ca.key'),
      '-set_serial',
      `0x${Date.now().toString(16)}${name.slice(-1)}`,
      '-days',
      '90',
      '-extfile',
      ext,
      '-out',
      join(dir, `${name}.crt`),
    ],
    { stdio: 'ignore' },
  );
  rmSync(csr);
  rmSync(ext);
}

/** member → days left, from the expiry table's last column */
function daysLeft(r: Awaited<ReturnType<typeof runCli>>): Record<string, number> {
  const table = r.events().find((e) => e['type'] === 'host-result' && e['task'] === 'Expiry table')?.['result']?.data?.msg as string[];
  return Object.fromEntries(table.filter((x) => /^etcd\d/.test(x)).map((x) => [x.split(/\s+/)[0], Number(x.trim().split(/\s+/).pop())]));
}

describe('playbooks/certs.yml', () => {
  it('reports expiry, rolls new certificates one member at a time, keeps the old files aside', async () => {
    const report = await runCli(['apply', pb('certs'), '-i', l.inventoryDir, '--yes', '--output', 'json']);
    expect(report.code, failures(report)).toBe(0);
    expect(report.recap()['etcd1']).toMatchObject({ changed: 0 });
    const before = daysLeft(report);
    for (const m of l.members) expect(before[m.name], JSON.stringify(before)).toBeLessThanOrEqual(30);

    const dir = mkdtempSync(join(tmpdir(), 'rb-newcerts-'));
    for (const m of l.members) newCert(dir, m.name, m.address);
    // one key missing: refused before anything changes
    const saved = readFileSync(join(dir, 'etcd3.key'));
    rmSync(join(dir, 'etcd3.key'));
    const pidsBefore = await Promise.all(l.members.map((m) => l.etcdPid(m.name)));
    const refused = await runCli([
      'apply',
      pb('certs'),
      '-i',
      l.inventoryDir,
      '--yes',
      '--output',
      'json',
      '-e',
      `etcd_new_certs_dir=${dir}`,
    ]);
    expect(refused.code).toBe(2);
    expect(failures(refused)).toMatch(/etcd3: needs .*etcd3\.key on the controller/);
    expect(await Promise.all(l.members.map((m) => l.etcdPid(m.name)))).toEqual(pidsBefore);
    writeFileSync(join(dir, 'etcd3.key'), saved);

    const led = await leaderNow(l);
    const r = await runCli(['apply', pb('certs'), '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `etcd_new_certs_dir=${dir}`]);
    expect(r.code, failures(r)).toBe(0);
    const restarted = r
      .events()
      .filter((e) => e['type'] === 'host-result' && e['task'] === 'Restart etcd with them' && e['result']?.status === 'changed')
      .map((e) => e['host']);
    expect(restarted).toHaveLength(3);
    expect(restarted[2]).toBe(runLeader(r.events(), 'Member status', led));
    for (const m of l.members) {
      expect(readFileSync(m.certFile!, 'utf8')).toBe(readFileSync(join(dir, `${m.name}.crt`), 'utf8'));
      const aside = readdirSync(dirname(m.certFile!)).filter((f) => f.startsWith(`${m.name}.crt.`) && f.endsWith('~'));
      expect(aside, m.name).toHaveLength(1);
    }
    const st = await l.status();
    expect(
      st.members.every((m) => m.healthy),
      JSON.stringify(st),
    ).toBe(true);
    expect((await l.verify()).ok).toBe(true);

    const again = await runCli([
      'apply',
      pb('certs'),
      '-i',
      l.inventoryDir,
      '--yes',
      '--output',
      'json',
      '-e',
      `etcd_new_certs_dir=${dir}`,
    ]);
    expect(again.code, failures(again)).toBe(0);
    for (const m of l.members) expect(again.recap()[m.name]).toMatchObject({ changed: 0 });
    const days = daysLeft(again);
    for (const m of l.members) expect(days[m.name], JSON.stringify(days)).toBeGreaterThan(80);
  });
});
