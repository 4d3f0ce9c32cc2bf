// etcd's lost publish (docs/dr-speed.md): a joiner whose publish the leader committed and then
// sent it inside a snapshot waits out its 7 s request timeout before it serves. The rejoin's
// last play gives such a joiner up after lost_publish_after and restarts it. The race itself
// cannot be forced, so its state is made on a healthy 3-member lab: etcd3 is listed published
// by the cluster (it was), and on its client URL listens an etcd that accepts no connection
// (a one-of-two-member cluster of its own, which never elects: the same idle, unaccepted port),
// run by etcd3's own service script (its pid file) so that the restart replaces it with etcd3.
// The plays are the rejoin's last two, taken from playbooks/disaster-recovery.yml.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lab } from '../../../src/lab/etcd/index.js';
import { runCli } from '../../helpers/cli.js';
import { lab, PLAYBOOK } from '../../helpers/dr.js';
import { parse, stringify } from 'yaml';

let l: Lab;
beforeAll(async () => {
  l = await lab(93, 3, { keys: 50 });
});
afterAll(async () => {
  await l?.down();
});

/**
 * The rejoin's last two plays as the playbook has them (anchors and merges resolved), on etcd3,
 * with etcd1 as the survivor: what the recovery runs after the last promote.
 */
function lastPlays(): string {
  const all = parse(readFileSync(PLAYBOOK, 'utf8'), { merge: true, maxAliasCount: -1 }) as Record<string, any>[];
  const names = ['Wait until the rejoined members are healthy', 'Restart, one at a time, a rejoined member etcd lost its own publish for'];
  const plays = names.map((n) => all.find((p) => p['name'] === n));
  expect(plays.every(Boolean), 'the playbook has both plays').toBe(true);
  return stringify(plays.map((p) => ({ ...p, hosts: 'etcd3' })));
}
const EXTRA = JSON.stringify({ recovery: { survivor: 'etcd1' } });

describe('a joiner etcd lost its own publish for', () => {
  it('is given up on in under a few seconds, restarted by its service, and then healthy', async () => {
    const m = l.member('etcd3');
    const url = new URL(m.clientUrl);
    const stop = spawnSync(m.serviceScript, ['stop'], { encoding: 'utf8' });
    expect(stop.status, stop.stderr).toBe(0);
    // the stand-in: the member's own etcd binary, a new cluster of two whose other member never
    // comes, listening on etcd3's client URL (peer ports of its own); its pid in etcd3's pid file
    const fake = join(dirname(m.dataDir), 'unpublished');
    mkdirSync(fake, { recursive: true });
    const peer = (p: number): string => `http://${url.hostname}:${p}`;
    const sh = spawnSync(
      'sh',
      [
        '-c',
        `setsid nohup "$1" --name fake --data-dir "$2/data" --listen-client-urls "$3" --advertise-client-urls "$3" \
          --listen-peer-urls "$4" --initial-advertise-peer-urls "$4" --initial-cluster "fake=$4,other=$5" \
          --initial-cluster-state new </dev/null >"$2/etcd.log" 2>&1 & echo $! > "$6"`,
        'fake',
        m.etcd!.bin,
        fake,
        m.clientUrl,
        peer(23801),
        peer(23802),
        m.pidFile,
      ],
      { encoding: 'utf8' },
    );
    expect(sh.status, sh.stderr).toBe(0);
    const fakePid = readFileSync(m.pidFile, 'utf8').trim();
    // it listens and accepts nothing, while the cluster lists etcd3 with its client URL
    await waitFor(() => spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${url.hostname}/${url.port}`]).status === 0, 10_000);
    const listed = await l.etcdctl(['member', 'list', '-w', 'json'], ['etcd1']);
    expect(listed.stdout).toContain(m.clientUrl);

    const book = join(dirname(l.inventoryDir), 'lost-publish.yml');
    writeFileSync(book, lastPlays());
    const r = await runCli(['apply', book, '-i', l.inventoryDir, '--yes', '--output', 'json', '-e', EXTRA]);
    const events = r.stdout
      .split('\n')
      .filter((x) => x.startsWith('{'))
      .map((x) => JSON.parse(x) as Record<string, any>);
    const result = (task: string): Record<string, any> | undefined =>
      events.find((e) => e['type'] === 'host-result' && e['task'] === task && e['host'] === 'etcd3')?.['result'];
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0);
    const first = result('Wait until it is healthy');
    expect(first?.['status'], JSON.stringify(first)).toBe('ok');
    expect(first?.['msg']).toMatch(/lost its own publish/);
    expect(first?.['data']?.['lost_publish'] ?? first?.['lost_publish']).toBe(true);
    expect(result('Is its publish still lost')?.['data']?.['lost_publish'] ?? result('Is its publish still lost')?.['lost_publish']).toBe(
      true,
    );
    expect(result('Restart it when etcd lost its own publish (it would wait 7 s for it)')?.['status']).toBe('changed');
    expect(result('Wait until it is healthy after its restart')?.['status']).toMatch(/^(ok|changed)$/);
    // the stand-in is gone, etcd3 itself serves again in the cluster, with its keys
    expect(readFileSync(m.pidFile, 'utf8').trim()).not.toBe(fakePid);
    expect((await l.verify()).ok).toBe(true);
  });

  it('a member that simply serves is not given up on', async () => {
    const book = join(dirname(l.inventoryDir), 'serving.yml');
    writeFileSync(book, lastPlays());
    const r = await runCli(['apply', book, '-i', l.inventoryDir, '--yes', '--output', 'plain', '-e', EXTRA]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/accepts no client connection/);
    expect(r.stdout).toMatch(/etcd3\s+:\s+ok=1\s+changed=0\s+unreachable=0\s+failed=0\s+skipped=3/);
  });
});

async function waitFor(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
