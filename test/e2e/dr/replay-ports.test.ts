// The WAL replay's scratch etcd (src/modules/etcd/replay.ts REPLAY_SCRIPT), run as the host runs
// it (/bin/sh -c) with the real etcd and etcdctl, no sshd. A scratch etcd that exits at once (a
// port taken: "bind: address already in use") must not be asked: etcdctl waits out its whole
// --command-timeout on a port nothing answers, refused included, and a restore-all took 33 s
// instead of 3 now and then (issue 21). Its ports lie below the kernel's ephemeral range, where
// the host's own outgoing connections take theirs.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPLAY_SCRIPT } from '../../../src/modules/etcd/replay.js';
import { resolveEtcd } from '../../../src/lab/etcd/versions.js';
import { ETCD_VERSION } from '../../helpers/dr.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A dir with a data dir, and an etcdctl that logs each call's arguments before running the real one. */
function setup(realEtcdctl: string): { dir: string; data: string; etcdctl: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'rb-replay-ports-'));
  dirs.push(dir);
  const data = join(dir, 'member-data');
  mkdirSync(data, { mode: 0o700 });
  const log = join(dir, 'etcdctl.log');
  const etcdctl = join(dir, 'etcdctl');
  writeFileSync(etcdctl, `#!/bin/sh\necho "$*" >>'${log}'\nexec '${realEtcdctl}' "$@"\n`);
  chmodSync(etcdctl, 0o755);
  const calls = (): string[] => {
    try {
      return readFileSync(log, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { dir, data, etcdctl, calls };
}

const replay = (etcd: string, etcdctl: string, data: string) =>
  spawnSync('/bin/sh', ['-c', REPLAY_SCRIPT, 'runbook', etcd, etcdctl, data, 'etcd1', ''], { encoding: 'utf8', timeout: 120_000 });

describe('the WAL replay scratch etcd', () => {
  it('an etcd that exits at once is not asked (no etcdctl waiting out its timeout on a dead port)', async () => {
    const e = await resolveEtcd({ version: ETCD_VERSION });
    const s = setup(e.etcdctl);
    const r = replay('/bin/false', s.etcdctl, s.data);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`etcd (/bin/false) did not start on a copy of ${s.data} with --force-new-cluster`);
    expect(s.calls()).toEqual([]);
  });

  it('listens below the ephemeral port range, and answers', async () => {
    const e = await resolveEtcd({ version: ETCD_VERSION });
    const s = setup(e.etcdctl);
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const r = replay(e.bin, s.etcdctl, s.data);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ports = s.calls().map((c) => Number(/--endpoints=http:\/\/127\.0\.0\.1:(\d+)/.exec(c)?.[1]));
    expect(ports.length).toBeGreaterThanOrEqual(3);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(10000);
      if (low > 12000) expect(p + 1).toBeLessThan(low);
    }
    expect(s.calls()[0]).toContain('--command-timeout=2s endpoint health');
  });
});
