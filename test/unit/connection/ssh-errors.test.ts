import { describe, expect, it } from 'vitest';
import { classifyConnectError, describeConnectFailure } from '../../../src/connection/errors.js';
import { buildCommand } from '../../../src/connection/ssh/command.js';
import { execFileSync } from 'node:child_process';

describe('connect failure messages', () => {
  it('renders one line per reason', () => {
    expect(describeConnectFailure({ reason: 'refused', host: 'etcd1', address: '127.0.0.2:22' })).toBe(
      'etcd1: cannot connect to 127.0.0.2:22: connection refused',
    );
    const m = describeConnectFailure({
      reason: 'host-key-mismatch',
      host: 'etcd1',
      address: '127.0.0.2:2222',
      expected: 'SHA256:abc',
      offered: 'SHA256:def',
      knownHostsFile: '/x/known_hosts line 3',
    });
    expect(m).toBe(
      'etcd1: host key mismatch for 127.0.0.2:2222: expected SHA256:abc (from /x/known_hosts line 3), offered SHA256:def — refusing to connect (possible man-in-the-middle); if the key changed on purpose, remove the old entry',
    );
    expect(m).not.toContain('\n');
  });

  it('classifies socket errors', () => {
    const ctx = { host: 'h', address: 'a:22', timeoutMs: 10 };
    expect(classifyConnectError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), ctx).reason).toBe('refused');
    expect(classifyConnectError(Object.assign(new Error('x'), { code: 'EAI_AGAIN' }), ctx).reason).toBe('dns');
    expect(classifyConnectError(Object.assign(new Error('x'), { level: 'client-timeout' }), ctx)).toEqual({
      reason: 'timeout',
      host: 'h',
      address: 'a:22',
      ms: 10,
    });
  });
});

describe('command lines for the framed shell', () => {
  const sh = (line: string): string => execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });

  it('keeps argv words intact, applies cwd and env in a subshell', () => {
    const c = buildCommand(['printf', '[%s]', 'a b', "'", '$X'], { cwd: '/', env: { X: 'v w' } }, 'root');
    expect(c.line.startsWith('(')).toBe(true);
    expect(sh(c.line)).toBe("[a b]['][$X]");
    expect(sh(buildCommand(['sh', '-c', 'pwd; echo "$X"'], { cwd: '/', env: { X: 'v w' } }, 'root').line)).toBe('/\nv w\n');
  });

  it('wraps become with sudo only for another user, password first on stdin', () => {
    expect(buildCommand(['id'], { become: { user: 'root' } }, 'root').line).toBe('(exec id)');
    expect(buildCommand(['id'], { become: { user: 'nobody' } }, 'root').line).toBe('(exec sudo -n -H -u nobody -- id)');
    const p = buildCommand(['cat'], { become: { user: 'root', password: 'pw' }, stdin: 'x' }, 'bob');
    expect(p.stdin?.toString()).toBe('pw\nx');
    expect(p.line).toContain("sudo -k -S -p '' -H -u root -- cat");
    expect(() => buildCommand(['x'], { env: { 'A-B': '1' } }, 'root')).toThrow(/invalid environment/);
  });

  it('adds a KILL timeout', () => {
    expect(buildCommand(['sleep', '9'], { timeoutMs: 1500 }, 'root').line).toBe('(exec timeout -s KILL 1.500 sleep 9)');
  });
});
