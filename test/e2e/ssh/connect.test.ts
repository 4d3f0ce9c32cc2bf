// Reaching a host over real sshd: typed failures, known_hosts handling, key files,
// ProxyJump and ~/.ssh/config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type Sshd } from '../../../src/lab/sshd.js';
import { generateKey } from '../../../src/lab/keys.js';
import { openConnection, type SshSettings } from '../../../src/connection/open.js';
import { ConnectError, type ConnectFailure } from '../../../src/connection/types.js';
import { hashHostName, fingerprint } from '../../../src/connection/ssh/known-hosts.js';
import type { SshConnection } from '../../../src/connection/ssh/connection.js';

let dir: string;
let a: Sshd; // target
let b: Sshd; // jump host
let c: Sshd; // only reachable through b (b's forwarding is restricted to it)

const base = (s: Sshd): { kind: 'ssh' } & SshSettings => ({
  kind: 'ssh',
  host: 'etcd1',
  address: s.address,
  port: s.port,
  user: 'root',
  privateKeyFile: s.clientKeyFile,
  knownHostsFile: s.knownHostsFile,
  acceptNewHostKeys: false,
  connectTimeoutMs: 5_000,
  agent: false,
  sshConfigFile: '/nonexistent',
});

async function failure(p: Promise<unknown>): Promise<{ f: ConnectFailure; message: string }> {
  try {
    const conn = await p;
    await (conn as SshConnection).close();
  } catch (e) {
    if (e instanceof ConnectError) return { f: e.failure, message: e.message };
    throw e;
  }
  throw new Error('expected a ConnectError');
}

async function works(s: { kind: 'ssh' } & SshSettings): Promise<SshConnection> {
  const conn = (await openConnection(s)) as SshConnection;
  const r = await conn.exec(['echo', 'ok']);
  expect(r.stdout).toBe('ok\n');
  return conn;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rb-ssh-connect-'));
  a = await startSshd({ address: '127.0.52.1', port: 2222, dir: join(dir, 'a') });
  b = await startSshd({ address: '127.0.52.2', port: 2222, dir: join(dir, 'b'), extraConfig: ['PermitOpen 127.0.52.3:2222'] });
  c = await startSshd({ address: '127.0.52.3', port: 2222, dir: join(dir, 'c') });
  // one client key for the chain: authorize b's key on c too
  appendFileSync(c.authorizedKeysFile, readFileSync(`${b.clientKeyFile}.pub`));
});

afterAll(async () => {
  await Promise.all([a, b, c].map((s) => s?.stop()));
});

describe('connect failures', () => {
  it('refused', async () => {
    const { f, message } = await failure(openConnection({ ...base(a), port: 2299 }));
    expect(f.reason).toBe('refused');
    expect(message).toBe('etcd1: cannot connect to 127.0.52.1:2299: connection refused');
  });

  it('handshake timeout', async () => {
    const server: Server = createServer(() => {}); // accepts, never speaks
    await new Promise<void>((r) => server.listen(2300, '127.0.52.9', r));
    try {
      const { f } = await failure(openConnection({ ...base(a), address: '127.0.52.9', port: 2300, connectTimeoutMs: 400 }));
      expect(f).toMatchObject({ reason: 'timeout', ms: 400 });
    } finally {
      server.close();
    }
  });

  it('dns', async () => {
    const { f } = await failure(openConnection({ ...base(a), address: 'no-such-host.invalid' }));
    expect(f.reason).toBe('dns');
  });

  it('wrong client key → auth, naming what was tried', async () => {
    const other = await generateKey(join(dir, 'other_key'));
    const { f, message } = await failure(openConnection({ ...base(a), privateKeyFile: other.privateKeyFile }));
    expect(f.reason).toBe('auth');
    expect(message).toContain(other.privateKeyFile);
  });

  it('encrypted key: works with its passphrase; without or wrong → key-file', async () => {
    const enc = await generateKey(join(dir, 'enc_key'), { passphrase: 's3cret' });
    appendFileSync(a.authorizedKeysFile, enc.publicKey + '\n');
    const conn = await works({ ...base(a), privateKeyFile: enc.privateKeyFile, passphrase: 's3cret' });
    await conn.close();
    const none = await failure(openConnection({ ...base(a), privateKeyFile: enc.privateKeyFile }));
    expect(none.f.reason).toBe('key-file');
    expect(none.message).toContain('passphrase');
    const wrong = await failure(openConnection({ ...base(a), privateKeyFile: enc.privateKeyFile, passphrase: 'nope' }));
    expect(wrong.f.reason).toBe('key-file');
    const missing = await failure(openConnection({ ...base(a), privateKeyFile: join(dir, 'absent') }));
    expect(missing.f).toMatchObject({ reason: 'key-file', detail: 'no such file' });
  });
});

describe('host keys', () => {
  it('unknown host key is refused; accept-new records it and connects', async () => {
    const kh = join(dir, 'kh-new', 'known_hosts');
    const { f, message } = await failure(openConnection({ ...base(a), knownHostsFile: kh }));
    expect(f.reason).toBe('host-key-unknown');
    expect(message).toContain(fingerprint(Buffer.from(a.hostKeyBase64, 'base64')));
    const conn = await works({ ...base(a), knownHostsFile: kh, acceptNewHostKeys: true });
    await conn.close();
    expect(readFileSync(kh, 'utf8')).toBe(a.hostKeyLine + '\n');
    await (await works({ ...base(a), knownHostsFile: kh })).close();
  });

  it('mismatching key is refused with both fingerprints', async () => {
    const kh = join(dir, 'kh-mismatch');
    const other = await generateKey(join(dir, 'fake_host_key'));
    const otherB64 = other.publicKey.split(' ')[1]!;
    writeFileSync(kh, `# comment\n[${a.address}]:${a.port} ssh-ed25519 ${otherB64}\n`);
    const { f, message } = await failure(openConnection({ ...base(a), knownHostsFile: kh }));
    expect(f.reason).toBe('host-key-mismatch');
    const expected = fingerprint(Buffer.from(otherB64, 'base64'));
    const offered = fingerprint(Buffer.from(a.hostKeyBase64, 'base64'));
    expect(f).toMatchObject({ expected, offered });
    expect(message).toContain(`${kh} line 2`);
    expect(message).toMatch(/man-in-the-middle/);
    // accept-new never overrides a mismatch
    expect((await failure(openConnection({ ...base(a), knownHostsFile: kh, acceptNewHostKeys: true }))).f.reason).toBe('host-key-mismatch');
  });

  it('accepts hashed entries (ours and ssh-keygen -H)', async () => {
    const kh = join(dir, 'kh-hashed');
    writeFileSync(kh, `${hashHostName(`[${a.address}]:${a.port}`)} ssh-ed25519 ${a.hostKeyBase64}\n`);
    await (await works({ ...base(a), knownHostsFile: kh })).close();
    const kh2 = join(dir, 'kh-hashed2');
    copyFileSync(a.knownHostsFile, kh2);
    execFileSync('ssh-keygen', ['-H', '-f', kh2], { stdio: 'ignore' });
    expect(readFileSync(kh2, 'utf8')).toMatch(/^\|1\|/);
    await (await works({ ...base(a), knownHostsFile: kh2 })).close();
  });

  it('a @revoked key is refused', async () => {
    const kh = join(dir, 'kh-revoked');
    writeFileSync(kh, `@revoked * ssh-ed25519 ${a.hostKeyBase64}\n${a.hostKeyLine}\n`);
    const { f } = await failure(openConnection({ ...base(a), knownHostsFile: kh }));
    expect(f.reason).toBe('other');
  });
});

describe('ProxyJump and ssh config', () => {
  const chainKh = (): string => {
    const kh = join(dir, 'kh-chain');
    writeFileSync(kh, `${b.hostKeyLine}\n${c.hostKeyLine}\n`);
    return kh;
  };

  it('connects through a jump host', async () => {
    const conn = await works({
      ...base(c),
      privateKeyFile: b.clientKeyFile,
      knownHostsFile: chainKh(),
      proxyJump: `root@${b.address}:${b.port}`,
    });
    expect(conn.stats().connections).toBe(2);
    const r = await conn.shell('echo "$SSH_CONNECTION"');
    expect(r.stdout.split(' ')[2]).toBe(c.address);
    await conn.close();
  });

  it('a failing jump host is a proxy failure', async () => {
    const { f, message } = await failure(
      openConnection({ ...base(c), privateKeyFile: b.clientKeyFile, knownHostsFile: chainKh(), proxyJump: `root@${b.address}:2299` }),
    );
    expect(f).toMatchObject({ reason: 'proxy', jump: `root@${b.address}:2299` });
    expect(message).toContain('connection refused');
    // the jump host's key is verified too
    const kh = join(dir, 'kh-chain-partial');
    writeFileSync(kh, `${c.hostKeyLine}\n`);
    const unknown = await failure(
      openConnection({ ...base(c), privateKeyFile: b.clientKeyFile, knownHostsFile: kh, proxyJump: `${b.address}:${b.port}` }),
    );
    expect(unknown.f.reason).toBe('proxy');
    expect(unknown.message).toContain('not in');
    // forwarding refused by the jump host (PermitOpen)
    const denied = await failure(
      openConnection({ ...base(a), privateKeyFile: b.clientKeyFile, knownHostsFile: chainKh(), proxyJump: `${b.address}:${b.port}` }),
    );
    expect(denied.f.reason).toBe('proxy');
  });

  it('honours Host/HostName/Port/User/IdentityFile/ProxyJump from ssh config; inventory wins', async () => {
    const cfg = join(dir, 'ssh_config');
    writeFileSync(
      cfg,
      [
        'Host jump',
        `  HostName ${b.address}`,
        `  Port ${b.port}`,
        '  User root',
        'Host web* !web9',
        `  HostName ${a.address}`,
        `  Port ${a.port}`,
        '  User root',
        `  IdentityFile ${a.clientKeyFile}`,
        'Host inner',
        `  HostName ${c.address}`,
        `  Port=${c.port}`,
        '  ProxyJump jump',
        `  IdentityFile ${b.clientKeyFile}`,
        'Host *',
        '  Port 2299',
        '  User nobody-at-all',
        '',
      ].join('\n'),
    );
    const settings = {
      kind: 'ssh' as const,
      host: 'web1',
      acceptNewHostKeys: false,
      connectTimeoutMs: 5_000,
      agent: false as const,
      sshConfigFile: cfg,
    };
    const kh = join(dir, 'kh-config');
    writeFileSync(kh, `${a.hostKeyLine}\n${b.hostKeyLine}\n${c.hostKeyLine}\n`);
    const conn = await works({ ...settings, knownHostsFile: kh });
    expect((await conn.exec(['id', '-un'])).stdout).toBe('root\n');
    await conn.close();
    // web9 is excluded: falls to `Host *` → port 2299 on name web9 (dns failure)
    expect((await failure(openConnection({ ...settings, host: 'web9', knownHostsFile: kh }))).f.reason).toBe('dns');
    // inventory port wins over config
    expect((await failure(openConnection({ ...settings, port: 2299, knownHostsFile: kh }))).f.reason).toBe('refused');
    const inner = await works({ ...settings, host: 'inner', user: 'root', knownHostsFile: kh });
    expect(inner.stats().connections).toBe(2);
    await inner.close();
  });
});
