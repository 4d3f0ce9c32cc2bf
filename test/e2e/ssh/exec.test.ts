// Commands over a real sshd: argv exactness, rc, stderr, stdin, cwd/env, timeout, session
// reuse, parallelism, become.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type Sshd } from '../../../src/lab/sshd.js';
import { openConnection } from '../../../src/connection/open.js';
import type { SshConnection } from '../../../src/connection/ssh/connection.js';

let sshd: Sshd;
let conn: SshConnection;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-ssh-exec-'));
  sshd = await startSshd({ address: '127.0.51.1', port: 2222, dir });
  conn = (await openConnection({
    kind: 'ssh',
    host: 'node1',
    address: sshd.address,
    port: sshd.port,
    user: 'root',
    privateKeyFile: sshd.clientKeyFile,
    knownHostsFile: sshd.knownHostsFile,
    acceptNewHostKeys: false,
    connectTimeoutMs: 10_000,
    agent: false,
    sshConfigFile: '/nonexistent',
  })) as SshConnection;
});

afterAll(async () => {
  await conn?.close();
  await sshd?.stop();
});

describe('ssh exec', () => {
  it('keeps every argument exactly one argument', async () => {
    const args = ['a b', `it's "quoted"`, '$HOME', 'x; rm -rf /', 'line1\nline2', '', '*', '`id`', '\\', '-n'];
    const r = await conn.exec(['printf', '%s\\0', ...args]);
    expect(r.rc).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(args);
  });

  it('propagates rc and keeps stderr separate', async () => {
    const r = await conn.shell('echo out; echo err >&2; exit 3');
    expect(r).toEqual({ rc: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('returns output without a trailing newline exactly', async () => {
    const r = await conn.exec(['printf', 'no newline']);
    expect(r.stdout).toBe('no newline');
    const e = await conn.shell('printf partial >&2');
    expect(e.stderr).toBe('partial');
  });

  it('reports rc 127 for a missing command', async () => {
    const r = await conn.exec(['definitely-not-a-command-xyz']);
    expect(r.rc).toBe(127);
  });

  it('delivers stdin, and /dev/null without it', async () => {
    const data = 'hello\nworld\n' + 'x'.repeat(100_000) + "\n'RB_EOF_x'\n";
    const r = await conn.exec(['cat'], { stdin: data });
    expect(r.stdout).toBe(data);
    const none = await conn.exec(['cat']);
    expect(none).toEqual({ rc: 0, stdout: '', stderr: '' });
    const bin = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const b = await conn.exec(['od', '-An', '-tx1'], { stdin: bin });
    expect(b.stdout.trim().split(/\s+/)).toEqual(['00', '01', '02', 'ff', 'fe', '0a', '0d']);
  });

  it('handles large output', async () => {
    const r = await conn.shell('head -c 5000000 /dev/zero | tr "\\0" a');
    expect(r.stdout.length).toBe(5_000_000);
    expect(r.rc).toBe(0);
  });

  it('applies cwd and env without leaking into later commands', async () => {
    const r = await conn.shell('pwd; echo "$FOO|$BAR"', { cwd: '/tmp', env: { FOO: 'a b', BAR: "it's" } });
    expect(r.stdout).toBe("/tmp\na b|it's\n");
    const after = await conn.shell('pwd; echo "${FOO-unset}"');
    expect(after.stdout).not.toContain('/tmp\n');
    expect(after.stdout).toContain('unset');
  });

  it('kills a command at its timeout and stays usable', async () => {
    const t0 = Date.now();
    const r = await conn.exec(['sleep', '10'], { timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.rc).toBe(137);
    expect(r.stderr).toContain('timed out after 500 ms');
    expect((await conn.exec(['echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('runs 200 sequential commands on one session', async () => {
    const before = conn.stats();
    for (let i = 0; i < 200; i++) {
      const r = await conn.exec(['echo', String(i)]);
      expect(r.stdout).toBe(`${i}\n`);
    }
    const after = conn.stats();
    expect(after.sessions).toBe(before.sessions);
    expect(after.connections).toBe(1);
    expect(after.commands - before.commands).toBe(200);
  });

  it('runs parallel commands on a small pool of shells', async () => {
    const t0 = Date.now();
    const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => conn.shell(`sleep 0.5; echo ${i}`)));
    const ms = Date.now() - t0;
    rs.forEach((r, i) => expect(r.stdout).toBe(`${i}\n`));
    expect(ms).toBeLessThan(3_000); // 8 × 0.5 s would be 4 s serialized; 4 shells → ~1 s
    expect(conn.stats().shells).toBeLessThanOrEqual(4);
  });

  it('becomes root (no sudo needed) and nobody via sudo', async () => {
    const root = await conn.exec(['id', '-un'], { become: { user: 'root' } });
    expect(root.stdout).toBe('root\n');
    const nobody = await conn.exec(['id', '-un'], { become: { user: 'nobody' } });
    expect(nobody).toMatchObject({ rc: 0, stdout: 'nobody\n' });
    const withCwd = await conn.shell('pwd; echo "$X"; cat', { become: { user: 'nobody' }, cwd: '/', env: { X: 'y z' }, stdin: 'in' });
    expect(withCwd.stdout).toBe('/\ny z\nin');
  });

  it('never passes a sudo password to the command when sudo does not ask for it', async () => {
    // root needs no password for sudo: the password line must still not reach `cat`
    for (let i = 0; i < 2; i++) {
      const r = await conn.exec(['cat'], { become: { user: 'nobody', password: 'pw-not-needed' }, stdin: 'data' });
      expect(r).toEqual({ rc: 0, stdout: 'data', stderr: '' });
    }
  });
});
