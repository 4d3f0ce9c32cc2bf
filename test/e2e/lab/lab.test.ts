// The rehearsal lab end to end: real etcd 3.4 members and real sshd on 127.0.61.x, 127.0.62.x and 127.0.66.x, built,
// loaded, broken and taken down through the library and through the built CLI.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, LabError, type Lab } from '../../../src/lab/etcd/index.js';
import { hostVars, loadInventory } from '../../../src/inventory/index.js';
import { runCli } from '../../helpers/cli.js';

const run = promisify(execFile);

/** Alive and not a zombie (init reaps orphans only every second or so here). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** Live processes whose command line names this directory (sshd -f <dir>/…). */
function processesUsing(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(dir) && !l.trim().startsWith('Z'));
}

function pidsOf(lab: Lab): number[] {
  const pids: number[] = [];
  for (const m of lab.members) {
    for (const f of [m.pidFile, m.sshdPidFile]) if (existsSync(f)) pids.push(Number(readFileSync(f, 'utf8').trim()));
  }
  return pids;
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > deadline) {
      if (!ok(v)) throw new Error(`${what}: still ${JSON.stringify(v)}`);
      return v;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** ssh into a lab member with the inventory's key and known_hosts (strict host key checking). */
async function ssh(lab: Lab, name: string, command: string): Promise<{ code: number; out: string }> {
  const m = lab.member(name);
  const args = [
    '-i',
    lab.record.sshClientKeyFile,
    '-o',
    `UserKnownHostsFile=${lab.record.knownHostsFile}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-p',
    String(m.sshPort),
    `root@${m.address}`,
    command,
  ];
  try {
    const r = await run('ssh', args);
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

describe('lab library: up, load, status, quorum-loss, verify, down (net 61)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rb-lab61-'));
  const dir = join(tmp, 'lab');
  const inventoryDir = join(tmp, 'inv');
  let lab: Lab;
  afterAll(async () => {
    await lab?.down().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('builds a healthy three-member cluster and an inventory that reaches it', async () => {
    lab = await labUp({ members: 3, net: 61, dir, inventoryDir });
    expect(lab.members.map((m) => m.address)).toEqual(['127.0.61.1', '127.0.61.2', '127.0.61.3']);
    const s = await lab.status();
    expect(s.quorum).toBe(true);
    expect(s.members.every((m) => m.sshd && m.etcd === 'running' && m.healthy)).toBe(true);
    expect(s.members.filter((m) => m.leader)).toHaveLength(1);

    const inv = await loadInventory([inventoryDir], { cwd: tmp });
    const v = hostVars(inv, 'etcd2') as Record<string, unknown>;
    expect(v).toMatchObject({
      ansible_host: '127.0.61.2',
      ansible_port: 2222,
      ansible_user: 'root',
      etcd_name: 'etcd2',
      etcd_client_url: 'http://127.0.61.2:2379',
      etcd_service_manager: 'command',
    });
    expect(v['etcd_service_status']).toBe(`${dir}/etcd2/etcd-service status`);

    await expect(labUp({ members: 3, net: 61, dir, inventoryDir })).rejects.toMatchObject({ reason: 'already-up' });
  });

  it('serves each member over its own sshd; the service script re-reads etcd.env at every start', async () => {
    const m = lab.member('etcd1');
    expect(await ssh(lab, 'etcd1', `${m.serviceScript} status`)).toMatchObject({ code: 0, out: expect.stringContaining('running') });
    appendFileSync(m.envFile, 'ETCD_SNAPSHOT_COUNT=5000\n');
    expect((await ssh(lab, 'etcd1', `${m.serviceScript} restart`)).code).toBe(0);
    const pid = await lab.etcdPid('etcd1');
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain('ETCD_SNAPSHOT_COUNT=5000');
    expect((await ssh(lab, 'etcd1', `${m.serviceScript} stop`)).code).toBe(0);
    expect(await ssh(lab, 'etcd1', `${m.serviceScript} status`)).toMatchObject({ code: 3, out: expect.stringContaining('stopped') });
    expect((await ssh(lab, 'etcd1', `${m.serviceScript} stop`)).code).toBe(0); // stopping a stopped member is fine
    await lab.startMember('etcd1');
    await until(
      'etcd1 healthy again',
      () => lab.status(),
      (s) => s.members.every((x) => x.healthy),
    );
  });

  it('loads 2000 keys; every member counts them; verify reads them all', async () => {
    const r = await lab.load(2000);
    expect(r.keys).toBe(2000);
    const s = await until(
      'every member holds 2001 keys',
      () => lab.status(),
      (x) => x.members.every((m) => m.keys === 2001),
    );
    expect(s.members.every((m) => m.healthy)).toBe(true);
    expect(await lab.verify()).toMatchObject({ ok: true, expected: 2000, found: 2000, missingCount: 0, sentinel: '2000' });
  });

  it('quorum-loss: only the last member keeps its data and runs, without quorum; verify fails and says why', async () => {
    const b = await lab.breakLab('quorum-loss');
    expect(b).toMatchObject({
      running: ['etcd3'],
      stopped: ['etcd1', 'etcd2'],
      wiped: ['etcd1', 'etcd2'],
      recoverFrom: ['etcd3'],
      expectedKeys: 2000,
    });
    expect(existsSync(lab.member('etcd1').dataDir)).toBe(false);
    expect(existsSync(join(lab.member('etcd3').dataDir, 'member', 'snap', 'db'))).toBe(true);
    const s = await lab.status();
    expect(s.quorum).toBe(false);
    expect(s.members.map((m) => [m.name, m.etcd, m.healthy])).toEqual([
      ['etcd1', 'stopped', false],
      ['etcd2', 'stopped', false],
      ['etcd3', 'running', false],
    ]);
    expect(s.members[2]?.keys).toBe(2001); // its own store still has every key
    const v = await lab.verify();
    expect(v.ok).toBe(false);
    expect(v.error).toMatch(/no quorum/);
  });

  it('down stops every process and removes the lab and its inventory', async () => {
    const pids = pidsOf(lab);
    expect(pids.length).toBeGreaterThanOrEqual(4); // 3 sshd + the survivor
    const d = await lab.down();
    expect(d.removed).toEqual(expect.arrayContaining([dir, inventoryDir]));
    expect(pids.filter(alive)).toEqual([]);
    expect(processesUsing(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(inventoryDir)).toBe(false);
  });
});

describe('runbook lab (the built CLI): up, load, status, break stale-member, verify, down (net 62)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rb-lab62-'));
  const dir = join(tmp, 'lab');
  const inv = join(tmp, 'inv');
  // the lab remembers its last --dir under the user's data dir: this test's own
  const env = { XDG_DATA_HOME: join(tmp, 'data') };
  const lab = (...args: string[]) => runCli(['lab', ...args, '--dir', dir], { env });
  afterAll(async () => {
    await lab('down');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs the whole rehearsal with the documented exit codes', async () => {
    let r = await runCli(['lab', 'up', '--members', '3', '--net', '62', '--dir', dir, '-i', inv], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lab up: 3 members healthy/);
    r = await runCli(['lab', 'up', '--members', '3', '--net', '62', '--dir', dir, '-i', inv], { env });
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('already up')]);
    r = await runCli(['lab', 'up', '--members', '5', '--net', '62', '--dir', dir], { env });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('runbook lab down --dir')]);

    r = await runCli(['inventory', '-i', inv, '--list']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout)._meta.hostvars)).toEqual(['etcd1', 'etcd2', 'etcd3']);

    r = await lab('load', '500');
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/^load: 500 keys/)]);
    r = await lab('status');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^etcd\d .* healthy .*keys=501/.test(l))).toHaveLength(3);
    r = await lab('verify');
    expect([r.code, r.stdout]).toEqual([0, 'verify: 500/500 keys ok, sentinel 500\n']);
    // no --dir: the one lab up was given
    r = await runCli(['lab', 'verify'], { env });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      'verify: 500/500 keys ok, sentinel 500\n',
      `runbook lab: the lab in ${dir} (the last one used; --dir for another)\n`,
    ]);

    r = await lab('break', 'stale-member');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stopped +etcd1 etcd2 etcd3/);
    expect(r.stdout).toMatch(/newest +etcd2 etcd3/);
    r = await lab('verify');
    expect([r.code, r.stdout]).toEqual([1, expect.stringContaining('no etcd member is running')]);

    // the stale member and one newer one make a quorum: the newer data wins, nothing is lost
    expect((await lab('start', 'etcd1')).code).toBe(0);
    expect((await lab('start', 'etcd2')).code).toBe(0);
    r = await until(
      'verify after restart',
      () => lab('verify'),
      (x) => x.code === 0,
      20_000,
    );
    expect(r.stdout).toBe('verify: 600/600 keys ok, sentinel 600\n');

    r = await lab('down');
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/^lab down: stopped \d+ processes/)]);
    expect(processesUsing(dir)).toEqual([]);
    expect(existsSync(dir) || existsSync(inv)).toBe(false);
    r = await lab('down');
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('nothing to do')]);
    // forgotten once down: back to the default
    expect(existsSync(join(tmp, 'data', 'runbook', 'lab-dir'))).toBe(false);
  });
});

describe('lab with TLS and v2: dead-hosts, one-bad-member (net 66)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rb-lab66-'));
  let lab: Lab;
  beforeAll(async () => {
    lab = await labUp({ members: 3, net: 66, dir: join(tmp, 'lab'), inventoryDir: join(tmp, 'inv'), tls: true, v2: true });
  });
  afterAll(async () => {
    await lab?.down().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('speaks https with client certificates, and keeps v2 keys', async () => {
    expect(lab.endpoints[0]).toBe('https://127.0.66.1:2379');
    expect(readFileSync(lab.member('etcd1').envFile, 'utf8')).toMatch(/^ETCD_CLIENT_CERT_AUTH=true$/m);
    expect(await lab.load(1000)).toMatchObject({ keys: 1000, v2Keys: 100 });
    expect(await lab.verify()).toMatchObject({ ok: true, found: 1000, v2: { expected: 100, found: 100 } });
    const plain = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--cacert',
      lab.tls!.caFile,
      `${lab.endpoints[0]}/version`,
    ]).catch((e: { stdout: string }) => e);
    expect(plain.stdout).not.toBe('200'); // no client certificate, no answer
  });

  it('dead-hosts: the last host loses sshd and etcd; the others keep quorum; the host comes back', async () => {
    const b = await lab.breakLab('dead-hosts');
    expect(b).toMatchObject({ deadHosts: ['etcd3'], running: ['etcd1', 'etcd2'], stopped: ['etcd3'] });
    expect((await ssh(lab, 'etcd3', 'true')).code).not.toBe(0);
    const s = await lab.status();
    expect(s.members.map((m) => [m.sshd, m.etcd])).toEqual([
      [true, 'running'],
      [true, 'running'],
      [false, 'stopped'],
    ]);
    expect(s.quorum).toBe(true);
    expect((await lab.verify()).ok).toBe(true);
    await lab.startHost('etcd3');
    await lab.startMember('etcd3');
    await until(
      'etcd3 back',
      () => lab.status(),
      (x) => x.members.every((m) => m.healthy && m.sshd),
    );
  });

  it('one-bad-member: the last member stopped with an unreadable db; it cannot start; the others serve', async () => {
    const b = await lab.breakLab('one-bad-member');
    expect(b).toMatchObject({ stopped: ['etcd3'], corrupted: ['etcd3'], running: ['etcd1', 'etcd2'] });
    expect((await lab.status()).quorum).toBe(true);
    expect((await lab.verify()).ok).toBe(true);
    const err = await lab.startMember('etcd3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toMatch(/invalid database/);
  });
});

describe('lab refusals', () => {
  it('names the packages a missing binary needs, and the apt-get line', async () => {
    const { installCommand } = await import('../../../src/lab/etcd/index.js');
    expect(installCommand(['etcd-server', 'etcd-client'])).toBe('apt-get update && apt-get install -y etcd-server etcd-client');
  });

  it('refuses a lab directory that is not its own', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rb-lab-refuse-'));
    writeFileSync(join(tmp, 'precious'), 'x');
    await expect(labUp({ dir: tmp, net: 66 })).rejects.toMatchObject({ reason: 'in-use' });
    expect(readFileSync(join(tmp, 'precious'), 'utf8')).toBe('x');
    rmSync(tmp, { recursive: true, force: true });
  });
});

describe('runbook lab (the built CLI) on a fetched etcd and as static pods (net 58)', () => {
  it('lab up --etcd-version 3.5.30 --service-manager static-pod: finds the fetched release and the kubelet stand-in from the bundle', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rb-lab58-'));
    const dir = join(tmp, 'lab');
    const env = { XDG_DATA_HOME: join(tmp, 'data') };
    try {
      const r = await runCli(
        [
          'lab',
          'up',
          '--members',
          '1',
          '--net',
          '58',
          '--dir',
          dir,
          '-i',
          join(tmp, 'inv'),
          '--etcd-version',
          '3.5.30',
          '--service-manager',
          'static-pod',
        ],
        { env },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/etcd 3\.5\.30/);
      const s = await runCli(['lab', 'status', '--dir', dir], { env });
      expect(s.stdout).toMatch(/^etcd1 .* healthy/m);
    } finally {
      await runCli(['lab', 'down', '--dir', dir], { env });
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
