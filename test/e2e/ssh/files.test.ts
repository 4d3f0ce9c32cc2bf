// readFile / writeFileAtomic over SFTP and through sudo, plus become as a non-root login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureUser, startSshd, type Sshd } from '../../../src/lab/sshd.js';
import { openConnection } from '../../../src/connection/open.js';
import type { SshConnection } from '../../../src/connection/ssh/connection.js';

let sshd: Sshd;
let conn: SshConnection;
let work: string;

const settings = (user: string) => ({
  kind: 'ssh' as const,
  host: 'node1',
  address: sshd.address,
  port: sshd.port,
  user,
  privateKeyFile: sshd.clientKeyFile,
  knownHostsFile: sshd.knownHostsFile,
  acceptNewHostKeys: false,
  connectTimeoutMs: 10_000,
  agent: false as const,
  sshConfigFile: '/nonexistent',
});

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-ssh-files-'));
  work = mkdtempSync(join(tmpdir(), 'rb-ssh-files-work-'));
  chmodSync(work, 0o777);
  sshd = await startSshd({ address: '127.0.53.1', port: 2222, dir });
  conn = (await openConnection(settings('root'))) as SshConnection;
});

afterAll(async () => {
  await conn?.close();
  await sshd?.stop();
});

describe('files over sftp', () => {
  it('readFile: missing → null, binary content intact', async () => {
    expect(await conn.readFile(join(work, 'absent'))).toBeNull();
    const bin = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    writeFileSync(join(work, 'bin'), bin);
    expect((await conn.readFile(join(work, 'bin')))?.equals(bin)).toBe(true);
  });

  it('writeFileAtomic: content, mode, owner, no temp file left, replaces atomically', async () => {
    const p = join(work, 'conf');
    writeFileSync(p, 'old');
    const inode = statSync(p).ino;
    await conn.writeFileAtomic(p, 'new content\n', { mode: 0o640, owner: 'nobody', group: 'root' });
    expect(readFileSync(p, 'utf8')).toBe('new content\n');
    const st = statSync(p);
    expect(st.mode & 0o777).toBe(0o640);
    expect(st.uid).toBe(65534);
    expect(st.ino).not.toBe(inode); // a new file renamed over the old one
    expect(readdirSync(work).filter((n) => n.includes('.runbook-'))).toEqual([]);
    const bin = Buffer.from([0, 255, 10, 13, 0]);
    await conn.writeFileAtomic(p, bin);
    expect(readFileSync(p).equals(bin)).toBe(true);
  });

  it('writeFileAtomic into a missing directory fails and leaves nothing', async () => {
    await expect(conn.writeFileAtomic(join(work, 'nodir', 'x'), 'x')).rejects.toThrow(/cannot write/);
  });

  it('stats: one sftp session reused', async () => {
    const before = conn.stats().sessions;
    for (let i = 0; i < 5; i++) await conn.readFile(join(work, 'conf'));
    expect(conn.stats().sessions).toBe(before);
  });
});

describe('become as a non-root login', () => {
  let user: SshConnection;
  beforeAll(async () => {
    await ensureUser('rbsudo', '/bin/sh');
    execFileSync('chpasswd', { input: 'rbsudo:rb-pass-1\n' });
    writeFileSync('/etc/sudoers.d/rbsudo', 'rbsudo ALL=(ALL) ALL\n', { mode: 0o440 });
    user = (await openConnection(settings('rbsudo'))) as SshConnection;
  });
  afterAll(async () => {
    await user?.close();
  });

  it('sudo -n without a password is a failed command, not a crash', async () => {
    const r = await user.exec(['id', '-un'], { become: { user: 'root' } });
    expect(r.rc).not.toBe(0);
    expect(r.stderr).toMatch(/password is required/);
  });

  it('sudo with a password (and the command still gets its own stdin)', async () => {
    const r = await user.exec(['sh', '-c', 'id -un; cat'], { become: { user: 'root', password: 'rb-pass-1' }, stdin: 'payload' });
    expect(r).toMatchObject({ rc: 0, stdout: 'root\npayload' });
    expect(r.stderr).not.toContain('rb-pass-1');
  });

  it('reads and writes root-only files through sudo', async () => {
    const become = { user: 'root', password: 'rb-pass-1' };
    const p = join(work, 'secret');
    writeFileSync(p, Buffer.from([1, 2, 3, 0, 255]), { mode: 0o600 });
    await expect(user.readFile(p)).rejects.toThrow(/cannot read/);
    expect((await user.readFile(p, { become }))?.equals(Buffer.from([1, 2, 3, 0, 255]))).toBe(true);
    expect(await user.readFile(join(work, 'nope'), { become })).toBeNull();
    const q = join(work, 'root-owned');
    await user.writeFileAtomic(q, 'by sudo\n', { become, mode: 0o600, owner: 'root' });
    expect(readFileSync(q, 'utf8')).toBe('by sudo\n');
    expect(statSync(q).mode & 0o777).toBe(0o600);
    expect(statSync(q).uid).toBe(0);
    expect(readdirSync(work).filter((n) => n.includes('.runbook-'))).toEqual([]);
    expect(existsSync(q)).toBe(true);
  });
});
