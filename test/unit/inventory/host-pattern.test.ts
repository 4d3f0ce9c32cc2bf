import { describe, expect, it } from 'vitest';
import { parseHostEntry } from '../../../src/inventory/host-pattern.js';

describe('host entries and ranges', () => {
  it.each([
    ['etcd[1:3].example.com', ['etcd1.example.com', 'etcd2.example.com', 'etcd3.example.com']],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c']],
    ['web[01:03]', ['web01', 'web02', 'web03']],
    ['n[1:7:3]', ['n1', 'n4', 'n7']],
    ['r[1:2]n[a:b]', ['r1na', 'r1nb', 'r2na', 'r2nb']],
    ['x[:2]', ['x0', 'x1', 'x2']],
    ['plain.example.com', ['plain.example.com']],
  ])('%s', (entry, hosts) => {
    expect(parseHostEntry(entry)).toEqual({ ok: true, hosts });
  });

  it('splits a port off, ranges included, and keeps IPv6 addresses whole', () => {
    expect(parseHostEntry('web:2222')).toEqual({ ok: true, hosts: ['web'], port: 2222 });
    expect(parseHostEntry('db[1:2]:5432')).toEqual({ ok: true, hosts: ['db1', 'db2'], port: 5432 });
    expect(parseHostEntry('[::1]:22')).toEqual({ ok: true, hosts: ['::1'], port: 22 });
    expect(parseHostEntry('[fe80::1]')).toEqual({ ok: true, hosts: ['fe80::1'] });
    expect(parseHostEntry('fe80::1')).toEqual({ ok: true, hosts: ['fe80::1'] });
  });

  it('leaves ranges alone in host lists', () => {
    expect(parseHostEntry('web[1:2]', false)).toEqual({ ok: true, hosts: ['web[1:2]'] });
  });

  it.each([
    ['h[3:1]', '3 is greater than 1'],
    ['h[1:]', 'the range has no end value'],
    ['h[1:2:0]', "the step must be a positive integer, got '0'"],
    ['h[01:100]', "a zero-padded range needs begin and end of equal width ('01' vs '100')"],
    ['h[1:3', "'[' without a closing ']'"],
    ['h[1]', 'a range is [begin:end] or [begin:end:step]'],
    ['h[a:3]', "'a:3' is neither a number nor a letter range"],
  ])('refuses %s', (entry, why) => {
    expect(parseHostEntry(entry)).toEqual({ ok: false, message: `invalid host range in '${entry}': ${why}` });
  });

  it('refuses a trailing colon without a port, and huge expansions', () => {
    expect(parseHostEntry('web:')).toMatchObject({ ok: false });
    expect(parseHostEntry('h[0:999999]')).toEqual({
      ok: false,
      message: "invalid host range in 'h[0:999999]': it expands to more than 100000 hosts",
    });
  });
});
