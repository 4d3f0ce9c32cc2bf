// unacceptedWhileIdle: only a sleeping etcd whose own client socket holds unaccepted
// connections counts as "accepts nothing" (not serving); a paused, busy or unknown one does not.
import { describe, expect, it } from 'vitest';
import { unacceptedWhileIdle } from '../../../src/modules/etcd/unready.js';

const ss = (...rows: string[]): string => rows.join('\n') + '\n';

describe('unacceptedWhileIdle', () => {
  it('a sleeping etcd with connections queued on its address: accepts nothing', () => {
    expect(unacceptedWhileIdle(ss('127.0.90.3:2379 2 SSSSSS', '127.0.90.1:2379 0 S'), '127.0.90.3', '2379')).toBe(true);
  });
  it('another member on the same host and port is not this one', () => {
    expect(unacceptedWhileIdle(ss('127.0.90.3:2379 0 S', '127.0.90.1:2379 3 S'), '127.0.90.3', '2379')).toBe(false);
  });
  it('paused (T), traced (t), busy (R), in I/O (D): slow, not unready', () => {
    for (const st of ['T', 'TTTT', 'SSStS', 'SSRSS', 'SDS', 'Z', '-']) expect(unacceptedWhileIdle(ss(`127.0.90.3:2379 2 ${st}`), '127.0.90.3', '2379')).toBe(false);
  });
  it('an empty queue says nothing', () => {
    expect(unacceptedWhileIdle(ss('127.0.90.3:2379 0 S'), '127.0.90.3', '2379')).toBe(false);
  });
  it('a wildcard listener serves the address (IPv4 and IPv6 forms)', () => {
    expect(unacceptedWhileIdle(ss('0.0.0.0:2379 1 S'), '10.0.0.5', '2379')).toBe(true);
    expect(unacceptedWhileIdle(ss('*:2379 1 S'), '10.0.0.5', '2379')).toBe(true);
    expect(unacceptedWhileIdle(ss('[::]:2379 1 S'), '[fd00::1]', '2379')).toBe(true);
    expect(unacceptedWhileIdle(ss('[fd00::1]:2379 1 S'), '[fd00::1]', '2379')).toBe(true);
  });
  it('two wildcard-ish listeners and none exact: cannot tell', () => {
    expect(unacceptedWhileIdle(ss('0.0.0.0:2379 1 S', '[::]:2379 0 S'), '10.0.0.5', '2379')).toBe(false);
  });
  it('no ss output, another port: false', () => {
    expect(unacceptedWhileIdle('', '127.0.90.3', '2379')).toBe(false);
    expect(unacceptedWhileIdle(ss('127.0.90.3:2380 4 S'), '127.0.90.3', '2379')).toBe(false);
  });
});
