// The day-2 snapshot and restore on kubeadm's static-pod etcd (the lab's kubelet stand-in, TLS):
// snapshot.yml keeps each member's etcd files (its manifest and the certificates and keys it
// names) beside the snapshot; a node rebuilt without its manifest, its key and its data is
// brought back by restore-from-snapshot.yml: the missing files put back from that member's own
// archive (never over a file that is there), every member restored from the snapshot, the new
// cluster written into the manifests (the old ones kept aside). The inventory names no member,
// data dir or URL: they are read from the manifests. And the DR playbook's restore-all on static pods.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '../../../src/core/static-pod-manifest.js';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab, PLAYBOOK, recover } from '../../helpers/dr.js';

const SNAP = fileURLToPath(new URL('../../../playbooks/snapshot.yml', import.meta.url));
const RESTORE = fileURLToPath(new URL('../../../playbooks/restore-from-snapshot.yml', import.meta.url));
const NAMES = ['etcd1', 'etcd2', 'etcd3'];
const manifest = (l: Lab, n: string): string => l.member(n).manifest!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let current: Lab | undefined;
afterEach(async () => {
  await current?.down();
  current = undefined;
});

describe('snapshot and restore of static-pod etcd (kubeadm layout, kubelet stand-in, TLS)', () => {
  it('a rebuilt node without manifest, key and data: its files put back from its archive, every member on the snapshot', async () => {
    const l = (current = await lab(148, 3, { serviceManager: 'static-pod', tls: true, keys: 1000 }));
    const hosts = join(l.inventoryDir, 'hosts.yml');
    writeFileSync(hosts, readFileSync(hosts, 'utf8').replace(/^ *etcd_(name|data_dir|client_url|peer_url): .*\n/gm, ''));
    const out = mkdtempSync(join(tmpdir(), 'rb-sp-restore-'));

    const s = await runCli(['apply', SNAP, '-i', l.inventoryDir, '--yes', '-e', `etcd_controller_backup_dir=${out}`], {
      timeoutMs: 120_000,
    });
    expect(s.code, failures(s)).toBe(0);
    const db = readdirSync(out).find((f) => f.endsWith('.db'))!;
    const snapshot = join(out, db);
    // each member's files kept beside the snapshot, private: its manifest and the files it names
    for (const n of NAMES) {
      const tar = join(out, `${db}.${n}.files.tar`);
      expect(statSync(tar).mode & 0o777).toBe(0o600);
      const listed = execFileSync('tar', ['-tf', tar])
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((f) => `/${f}`);
      const flags = parseManifest(readFileSync(manifest(l, n), 'utf8')).flags;
      expect(listed).toContain(manifest(l, n));
      for (const f of ['cert-file', 'key-file', 'trusted-ca-file']) expect(listed).toContain(flags[f]);
    }

    await l.load(1500); // written after the snapshot: gone after the restore
    // etcd2's node is rebuilt: no manifest (the kubelet stops its etcd), no server key, no data
    const flags2 = parseManifest(readFileSync(manifest(l, 'etcd2'), 'utf8')).flags;
    const key2 = flags2['key-file']!;
    const keyText = readFileSync(key2, 'utf8');
    const manifestText = readFileSync(manifest(l, 'etcd2'), 'utf8');
    rmSync(manifest(l, 'etcd2'));
    for (let i = 0; (await l.etcdPid('etcd2')) !== undefined; i++) {
      expect(i).toBeLessThan(150);
      await sleep(200);
    }
    rmSync(key2);
    rmSync(l.member('etcd2').dataDir, { recursive: true, force: true });

    const r = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`], {
      timeoutMs: 180_000,
    });
    expect(r.code, failures(r)).toBe(0);
    // put back from its own archive: the same key, the same manifest apart from the new cluster
    expect(readFileSync(key2, 'utf8')).toBe(keyText);
    const rest = (text: string): string[] => text.split('\n').filter((line) => !/--initial-cluster/.test(line));
    expect(rest(readFileSync(manifest(l, 'etcd2'), 'utf8'))).toEqual(rest(manifestText));
    const put = r
      .events()
      .find(
        (e) =>
          e['type'] === 'host-result' && e['host'] === 'etcd2' && e['task'] === 'Put back its etcd files missing here, from the archive',
      );
    expect(JSON.stringify(put?.['result'] ?? {})).toContain(key2);
    // nothing put back where nothing was missing
    for (const n of ['etcd1', 'etcd3']) {
      const other = r
        .events()
        .find(
          (e) => e['type'] === 'host-result' && e['host'] === n && e['task'] === 'Put back its etcd files missing here, from the archive',
        );
      expect((other?.['result'] as { status?: string } | undefined)?.status).toBe('ok');
    }

    const sha = (JSON.parse(readFileSync(`${snapshot}.json`, 'utf8')) as { sha256: string }).sha256;
    for (const n of NAMES) {
      expect(readdirSync(dirname(manifest(l, n)))).toEqual(['etcd.yaml']);
      const f = parseManifest(readFileSync(manifest(l, n), 'utf8')).flags;
      expect(f['initial-cluster-token']).toBe(`etcd-restore-${sha.slice(0, 12)}`);
      expect(f['initial-cluster-state']).toBe('new');
      expect(f['initial-cluster']!.split(',').sort()).toEqual(NAMES.map((m) => `${m}=${l.member(m).peerUrl}`));
      if (n !== 'etcd2')
        expect(existsSync(join(`${dirname(manifest(l, n))}.stopped-by-runbook`, `etcd.yaml.before-restore-${sha.slice(0, 12)}`))).toBe(
          true,
        );
    }
    expect((await l.status()).members.map((m) => m.healthy)).toEqual([true, true, true]);
    const count = await l.etcdctl(['get', '/lab/key/', '--prefix', '--keys-only', '--limit=1', '-w', 'json']);
    expect((JSON.parse(count.stdout) as { count: number }).count).toBe(1000);

    const again = await runCli(['apply', RESTORE, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', `snapshot=${snapshot}`], {
      timeoutMs: 120_000,
    });
    expect(again.code, failures(again)).toBe(0);
    for (const h of NAMES) expect(again.recap()[h]).toMatchObject({ changed: 0, failed: 0 });
  });

  it("disaster-recovery.yml, strategy restore-all: every member restored from the survivor's snapshot through its manifest, every key", async () => {
    const l = (current = await lab(148, 3, { serviceManager: 'static-pod', keys: 800 }));
    expect((await l.breakLab('quorum-loss')).recoverFrom).toEqual(['etcd3']);
    const r = await recover(l, '-e', 'etcd_dr_strategy=restore-all');
    expect(r.code, failures(r)).toBe(0);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.found).toBe(800);
    const record = JSON.parse(readFileSync(join(l.member('etcd3').backupDir, 'runbook-recovery.json'), 'utf8')) as {
      id: string;
      token: string;
    };
    for (const n of NAMES) {
      expect(readdirSync(dirname(manifest(l, n)))).toEqual(['etcd.yaml']);
      const f = parseManifest(readFileSync(manifest(l, n), 'utf8')).flags;
      expect(f['initial-cluster-token']).toBe(record.token);
      expect(f['initial-cluster-state']).toBe('new');
      expect(f['initial-cluster']!.split(',').sort()).toEqual(NAMES.map((m) => `${m}=${l.member(m).peerUrl}`));
      expect(f['force-new-cluster']).toBeUndefined();
    }
    expect((await l.status()).members.map((m) => m.healthy)).toEqual([true, true, true]);
    const again = await recover(l);
    expect(again.code, failures(again)).toBe(0);
    for (const h of NAMES) expect(again.recap()[h]).toMatchObject({ changed: 0, failed: 0 });
  });

  it('--enable-v2 in the manifests: the plan chooses force-new-cluster and says why', async () => {
    const l = (current = await lab(148, 3, { serviceManager: 'static-pod', v2: true, keys: 200 }));
    expect(parseManifest(readFileSync(manifest(l, 'etcd1'), 'utf8')).flags['enable-v2']).toBe('true');
    // the lab's inventory says etcd_v2_data: only the manifests say it here
    for (const f of readdirSync(l.inventoryDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
      const path = join(f.parentPath, f.name);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^ *etcd_v2_data: .*\n/gm, ''));
    }
    await l.breakLab('quorum-loss');
    const plan = await runCli(['plan', PLAYBOOK, '-i', l.inventoryDir], { timeoutMs: 120_000 });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /strategy force-new-cluster: the default when v2 data may exist \(v2 enabled in its configuration: ETCD_ENABLE_V2=true in the env file or --enable-v2 in the manifest\)/,
    );
  });
});
