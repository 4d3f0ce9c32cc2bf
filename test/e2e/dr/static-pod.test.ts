// etcd as kubeadm runs it, a static pod: the lab's members run under the lab's kubelet
// stand-in (src/lab/kubelet-standin.ts: it runs the etcd command of the manifest in its
// manifests directory and stops it when the file leaves), and the inventory says only
// `etcd_service_manager: static-pod` and where the manifest is — the name, data dir and URLs
// are read from the manifest. Quorum lost (2 disks), recovered by playbooks/disaster-recovery.yml.
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseManifest } from '../../../src/core/static-pod-manifest.js';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { failures, lab, PLAYBOOK, recover } from '../../helpers/dr.js';

let current: Lab | undefined;
afterEach(async () => {
  await current?.down();
  current = undefined;
});

const NAMES = ['etcd1', 'etcd2', 'etcd3'];
const ppid = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

describe('disaster recovery of static-pod etcd (kubeadm layout, kubelet stand-in)', () => {
  it('2 disks lost: recovered with every key, new flags in the manifests, the old ones kept outside the manifests directory', async () => {
    const l = (current = await lab(146, 3, { serviceManager: 'static-pod', keys: 1500 }));
    const manifest = (n: string): string => l.member(n).manifest!;
    const original = Object.fromEntries(NAMES.map((n) => [n, readFileSync(manifest(n), 'utf8')]));
    // the inventory gives no name, data dir or URL: they come from the manifest
    const hosts = join(l.inventoryDir, 'hosts.yml');
    writeFileSync(hosts, readFileSync(hosts, 'utf8').replace(/^ *etcd_(name|data_dir|client_url|peer_url): .*\n/gm, ''));
    expect(readFileSync(hosts, 'utf8')).not.toMatch(/etcd_data_dir|etcd_name/);

    const broke = await l.breakLab('quorum-loss');
    expect(broke.recoverFrom).toEqual(['etcd3']);
    // the lab stopped the wiped members the way the manager does: their manifests left the directory
    expect(readdirSync(dirname(manifest('etcd1')))).toEqual([]);

    // the plan moves no manifest and stops no etcd
    const snapshot = (): string[] =>
      NAMES.flatMap((n) =>
        [dirname(manifest(n)), `${dirname(manifest(n))}.stopped-by-runbook`].map((d) => `${d}: ${readdirSync(d).join(',')}`),
      );
    const before = snapshot();
    const survivorPid = await l.etcdPid('etcd3');
    const plan = await runCli(['plan', PLAYBOOK, '-i', l.inventoryDir], { timeoutMs: 120_000 });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /stop etcd via static pod: move \S+\/etcd3\/manifests\/etcd\.yaml to \S+\/etcd3\/manifests\.stopped-by-runbook\/etcd\.yaml, wait for its etcd to exit/,
    );
    expect(snapshot()).toEqual(before);
    expect(await l.etcdPid('etcd3')).toBe(survivorPid);

    const r = await recover(l);
    expect(r.code, failures(r)).toBe(0);
    const v = await l.verify();
    expect(v.ok, JSON.stringify(v)).toBe(true);
    expect(v.found).toBe(1500);
    expect((await l.status()).members.map((m) => m.healthy)).toEqual([true, true, true]);

    const record = JSON.parse(readFileSync(join(l.member('etcd3').backupDir, 'runbook-recovery.json'), 'utf8')) as {
      id: string;
      token: string;
    };
    const peer = (n: string): string => `${n}=${l.member(n).peerUrl}`;
    for (const n of NAMES) {
      // only the manifest is in the manifests directory (a copy there would be run by the kubelet)
      expect(readdirSync(dirname(manifest(n)))).toEqual(['etcd.yaml']);
      const kept = join(`${dirname(manifest(n))}.stopped-by-runbook`, `etcd.yaml.before-${record.id}`);
      expect(readFileSync(kept, 'utf8')).toBe(original[n]);
      const flags = parseManifest(readFileSync(manifest(n), 'utf8')).flags;
      expect(flags['initial-cluster-token']).toBe(record.token);
      // everything else as it was
      const rest = (text: string): string[] => text.split('\n').filter((line) => !/--initial-cluster/.test(line));
      expect(rest(readFileSync(manifest(n), 'utf8'))).toEqual(rest(original[n]!));
      // the kubelet stand-in runs the member's etcd, not the playbook
      const pid = (await l.etcdPid(n))!;
      expect(ppid(pid)).toBe(Number(readFileSync(l.member(n).kubeletPidFile!, 'utf8')));
    }
    const flags = (n: string): Readonly<Record<string, string>> => parseManifest(readFileSync(manifest(n), 'utf8')).flags;
    expect(flags('etcd3')).toMatchObject({ 'initial-cluster': peer('etcd3'), 'initial-cluster-state': 'new' });
    // the rejoined members: the membership when each was added, state existing
    expect(flags('etcd1')['initial-cluster-state']).toBe('existing');
    expect(flags('etcd1')['initial-cluster']!.split(',').sort()).toEqual([peer('etcd1'), peer('etcd3')]);
    expect(flags('etcd2')['initial-cluster']!.split(',').sort()).toEqual([peer('etcd1'), peer('etcd2'), peer('etcd3')]);

    const again = await recover(l);
    expect(again.code, failures(again)).toBe(0);
    for (const h of NAMES) expect(again.recap()[h]).toMatchObject({ changed: 0, failed: 0 });
  });

  it("strategy force-new-cluster: the flag goes into the survivor's manifest and out again once it is healthy", async () => {
    const l = (current = await lab(147, 3, { serviceManager: 'static-pod', keys: 500 }));
    await l.breakLab('quorum-loss');
    const r = await recover(l, '-e', 'etcd_dr_strategy=force-new-cluster');
    expect(r.code, failures(r)).toBe(0);
    expect((await l.verify()).found).toBe(500);
    const forced = r
      .events()
      .find(
        (e) =>
          e['type'] === 'host-result' && e['task'] === 'Start it once with --force-new-cluster (static pod; the old manifest kept aside)',
      );
    expect(forced?.['result']?.status).toBe('changed');
    for (const n of NAMES) {
      const text = readFileSync(l.member(n).manifest!, 'utf8');
      expect(text).not.toContain('force-new-cluster');
      expect(readdirSync(dirname(l.member(n).manifest!))).toEqual(['etcd.yaml']);
    }
    const again = await recover(l);
    expect(again.code, failures(again)).toBe(0);
    for (const h of NAMES) expect(again.recap()[h]).toMatchObject({ changed: 0, failed: 0 });
  });
});
