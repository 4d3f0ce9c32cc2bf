import { describe, expect, it } from 'vitest';
import { expandPath, parseProxyJump, parseSshConfig, resolveSshConfig } from '../../../src/connection/ssh/config.js';
import { matchPatternList } from '../../../src/connection/ssh/patterns.js';
import { resolveSsh } from '../../../src/connection/ssh/settings.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONFIG = `
# global
User globaluser
Host etcd? !etcd9
  HostName %h.internal
  Port 2222
  IdentityFile ~/.ssh/etcd_%r
Host etcd1 web*
  User first-wins-not
  Port 1
  IdentityFile /keys/second
Host bastion
  HostName=10.0.0.1
  User "ops"
  ProxyJump none
Match host foo
  User never
Host *
  ProxyJump bastion
  User late
`;

describe('ssh config', () => {
  const blocks = parseSshConfig(CONFIG);

  it('matches patterns with *, ?, ! and lists', () => {
    expect(matchPatternList(['etcd?', '!etcd9'], 'etcd1')).toBe(true);
    expect(matchPatternList(['etcd?', '!etcd9'], 'etcd9')).toBe(false);
    expect(matchPatternList(['etcd?'], 'etcd10')).toBe(false);
    expect(matchPatternList(['!x'], 'y')).toBe(false);
    expect(matchPatternList(['*.example.com'], 'a.example.com')).toBe(true);
  });

  it('first value wins; IdentityFile accumulates; options before any Host apply to all', () => {
    const c = resolveSshConfig(blocks, 'etcd1');
    expect(c).toEqual({
      hostName: '%h.internal',
      user: 'globaluser',
      port: 2222,
      identityFiles: ['~/.ssh/etcd_%r', '/keys/second'],
      proxyJump: 'bastion',
    });
    const b = resolveSshConfig(blocks, 'bastion');
    expect(b).toMatchObject({ hostName: '10.0.0.1', user: 'globaluser', proxyJump: 'none' });
    const e9 = resolveSshConfig(blocks, 'etcd9');
    expect(e9.port).toBeUndefined();
    expect(e9.hostName).toBeUndefined();
  });

  it('expands ~ and %h %r %u %p %%', () => {
    expect(expandPath('~/.ssh/id_%r@%h:%p%%', { host: 'h1', user: 'bob', port: 22 }, '/home/me')).toBe('/home/me/.ssh/id_bob@h1:22%');
  });

  it('parses ProxyJump lists', () => {
    expect(parseProxyJump('alice@j1:2200,j2,[::1]:22,ssh://u@j3')).toEqual([
      { user: 'alice', host: 'j1', port: 2200 },
      { host: 'j2' },
      { host: '::1', port: 22 },
      { user: 'u', host: 'j3' },
    ]);
    expect(parseProxyJump('none')).toEqual([]);
  });

  it('inventory values win over ssh config; jump hosts resolved through the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-sshcfg-'));
    const file = join(dir, 'config');
    writeFileSync(file, CONFIG);
    const base = { host: 'etcd1', acceptNewHostKeys: false, connectTimeoutMs: 1000, sshConfigFile: file, agent: false as const };
    const r = resolveSsh(base, '/home/me');
    expect(r.target).toMatchObject({
      address: 'etcd1.internal',
      port: 2222,
      user: 'globaluser',
      knownHostsFile: '/home/me/.ssh/known_hosts',
    });
    expect(r.target.identities.map((i) => i.path)).toEqual(['/home/me/.ssh/etcd_globaluser', '/keys/second']);
    expect(r.jumps).toHaveLength(1);
    expect(r.jumps[0]).toMatchObject({ address: '10.0.0.1', port: 22, user: 'globaluser' });
    const inv = resolveSsh({ ...base, port: 22, user: 'root', privateKeyFile: '/k', proxyJump: 'none' }, '/home/me');
    expect(inv.target).toMatchObject({ port: 22, user: 'root' });
    expect(inv.target.identities[0]).toEqual({ path: '/k', source: 'settings' });
    expect(inv.jumps).toEqual([]);
    const none = resolveSsh({ ...base, host: 'zzz', sshConfigFile: join(dir, 'absent') }, '/home/me');
    expect(none.target).toMatchObject({ address: 'zzz', port: 22 });
    expect(none.target.identities.map((i) => i.source)).toEqual(['default', 'default', 'default']);
  });
});
