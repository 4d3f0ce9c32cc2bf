// The ssh command rsync runs (synchronize): pinned to the verified key, no ssh config, jump
// hosts as nested ProxyCommands, %-tokens and rsync's own word splitting respected.
import { describe, expect, it } from 'vitest';
import { externalSshArgv, pinnedKnownHosts, type PinnedHop } from '../../../src/connection/ssh/external.js';
import type { HopTarget } from '../../../src/connection/ssh/client.js';
import { quoteRsh } from '../../../src/connection/quote.js';

/** an SSH public key blob of this type (length-prefixed name, then filler) */
function blob(type: string): Buffer {
  const name = Buffer.from(type, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(name.length);
  return Buffer.concat([len, name, Buffer.from('key-bytes')]);
}

const hop = (address: string, port: number, extra: Partial<HopTarget> = {}, type = 'ssh-ed25519'): PinnedHop => ({
  hop: {
    host: 'web1',
    address,
    port,
    user: 'deploy',
    identities: [{ path: '/keys/id', source: 'settings' }],
    knownHostsFile: '/home/me/.ssh/known_hosts',
    acceptNewHostKeys: false,
    connectTimeoutMs: 10_000,
    ...extra,
  },
  hostKey: blob(type),
});

describe('the external ssh for rsync', () => {
  it('checks only the pinned key, reads no ssh config, never prompts', () => {
    const argv = externalSshArgv([hop('10.0.0.5', 2222)], '/tmp/pin/known_hosts');
    expect(argv.slice(0, 3)).toEqual(['ssh', '-F', '/dev/null']);
    for (const o of [
      'StrictHostKeyChecking=yes',
      'UserKnownHostsFile=/tmp/pin/known_hosts',
      'GlobalKnownHostsFile=/dev/null',
      'BatchMode=yes',
      'ControlPath=none',
      'HostKeyAlgorithms=ssh-ed25519',
      'IdentityAgent=none',
      'ConnectTimeout=10',
    ])
      expect(argv[argv.indexOf(o) - 1], o).toBe('-o');
    expect(argv.slice(-2)).toEqual(['-i', '/keys/id']);
    // the user's known_hosts is never named: the pin alone decides
    expect(argv.join(' ')).not.toContain('/home/me/.ssh/known_hosts');
  });

  it('pins each hop under the name ssh looks up, and an rsa key verifies with the sha2 algorithms', () => {
    const route = [hop('10.0.0.1', 22, {}, 'ssh-rsa'), hop('10.0.0.5', 2222)];
    expect(pinnedKnownHosts(route).split('\n')).toEqual([
      `10.0.0.1 ssh-rsa ${blob('ssh-rsa').toString('base64')}`,
      `[10.0.0.5]:2222 ssh-ed25519 ${blob('ssh-ed25519').toString('base64')}`,
      '',
    ]);
    const argv = externalSshArgv(route, '/tmp/pin/known_hosts');
    const proxy = argv.find((a) => a.startsWith('ProxyCommand='));
    expect(proxy).toContain('HostKeyAlgorithms=rsa-sha2-512,rsa-sha2-256,ssh-rsa');
    expect(proxy).toMatch(/ -p 22 -l deploy -W 10\.0\.0\.5:2222 10\.0\.0\.1$/);
  });

  it('escapes % in values ssh expands, once per level of ProxyCommand; skips ssh-config keys that do not exist', () => {
    const keys = {
      identities: [
        { path: '/k/100%', source: 'settings' as const },
        { path: '/nope/id', source: 'config' as const },
      ],
    };
    const argv = externalSshArgv([hop('j', 22, keys), hop('t', 22, keys)], '/tmp/pin/kh');
    expect(argv[argv.indexOf('-i') + 1]).toBe('/k/100%%');
    expect(argv.join(' ')).not.toContain('/nope/id');
    const proxy = argv.find((a) => a.startsWith('ProxyCommand='))!;
    expect(proxy).toContain('/k/100%%%%');
  });

  it("quotes for rsync's -e: a doubled quote inside single quotes, no backslashes", () => {
    expect(quoteRsh(['ssh', '-o', 'ProxyCommand=ssh -W t:22 j', "it's", ''])).toBe("ssh -o 'ProxyCommand=ssh -W t:22 j' 'it''s' ''");
  });
});
