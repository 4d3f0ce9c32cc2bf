import { beforeAll, describe, expect, it } from 'vitest';
import { applyLimit, selectHosts, splitPattern, type Inventory } from '../../../src/inventory/index.js';
import { load } from './fixtures.js';

const ALL_HOSTS = ['etcd1', 'etcd2', 'etcd3', 'db1', 'web1.example.com', 'web2.example.com'];
let inv: Inventory;
beforeAll(async () => {
  inv = await load('patterns.yml');
});

describe('host patterns', () => {
  it.each([
    ['all', ALL_HOSTS],
    ['*', ALL_HOSTS],
    ['etcd', ['etcd1', 'etcd2', 'etcd3']],
    ['etcd2', ['etcd2']],
    ['prod', ['etcd1', 'etcd2', 'etcd3', 'web1.example.com', 'web2.example.com']],
  ])('%s', (pattern, hosts) => {
    expect(selectHosts(inv, pattern)).toEqual(hosts);
  });

  // each list is what `ansible -i patterns.yml --list-hosts PATTERN` (2.14) prints
  it("returns hosts in pattern order, each group's in its own order (as Ansible)", () => {
    expect(selectHosts(inv, 'db')).toEqual(['db1', 'etcd3']);
    expect(selectHosts(inv, 'web:etcd1')).toEqual(['web1.example.com', 'web2.example.com', 'etcd1']);
  });

  it('unions with : and , alike', () => {
    const expected = ['db1', 'etcd3', 'web1.example.com', 'web2.example.com'];
    expect(selectHosts(inv, 'db:web')).toEqual(expected);
    expect(selectHosts(inv, 'db,web')).toEqual(expected);
    expect(selectHosts(inv, ' db , web ')).toEqual(expected);
  });

  it('intersects with :&', () => {
    expect(selectHosts(inv, 'prod:&db')).toEqual(['etcd3']);
  });

  it('excludes with :!', () => {
    expect(selectHosts(inv, 'prod:!etcd')).toEqual(['web1.example.com', 'web2.example.com']);
  });

  it('starts from all when only exclusions/intersections are given', () => {
    expect(selectHosts(inv, '!etcd')).toEqual(['db1', 'web1.example.com', 'web2.example.com']);
    expect(selectHosts(inv, '&db')).toEqual(['etcd3', 'db1']);
  });

  it('applies unions, then intersections, then exclusions, whatever the written order', () => {
    expect(selectHosts(inv, '!etcd2:&etcd:prod')).toEqual(['etcd1', 'etcd3']);
    expect(selectHosts(inv, 'prod:!etcd2:&etcd')).toEqual(['etcd1', 'etcd3']);
  });

  it('matches globs on groups and hosts', () => {
    expect(selectHosts(inv, 'etcd*')).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(selectHosts(inv, 'web?.example.com')).toEqual(['web1.example.com', 'web2.example.com']);
    expect(selectHosts(inv, '*.example.com:&*2*')).toEqual(['web2.example.com']);
    expect(selectHosts(inv, 'etcd[!2]')).toEqual(['etcd1', 'etcd3']); // an fnmatch class
    expect(selectHosts(inv, 'etcd[13]')).toEqual([]); // digits in brackets are a subscript (index 13), as in Ansible
  });

  it('matches ~regex from the start of the name', () => {
    expect(selectHosts(inv, '~web[12]\\.example')).toEqual(['web1.example.com', 'web2.example.com']);
    expect(selectHosts(inv, '~(db|etcd)1')).toEqual(['etcd1', 'db1']);
    expect(selectHosts(inv, '~example')).toEqual([]);
    expect(selectHosts(inv, '~(unclosed')).toEqual([]);
  });

  it('takes subscripts of a group, inclusive ranges', () => {
    expect(selectHosts(inv, 'etcd[0]')).toEqual(['etcd1']);
    expect(selectHosts(inv, 'etcd[-1]')).toEqual(['etcd3']);
    expect(selectHosts(inv, 'etcd[0:1]')).toEqual(['etcd1', 'etcd2']);
    expect(selectHosts(inv, 'etcd[1:]')).toEqual(['etcd2', 'etcd3']);
    expect(selectHosts(inv, 'etcd[7]')).toEqual([]);
  });

  it('matches nothing for an unknown name, and keeps the rest of the pattern', () => {
    expect(selectHosts(inv, 'nosuch')).toEqual([]);
    expect(selectHosts(inv, 'nosuch:db1')).toEqual(['db1']);
    expect(selectHosts(inv, '')).toEqual([]);
  });

  it("targets the implicit localhost by name only; 'all' leaves it out", () => {
    expect(selectHosts(inv, 'localhost')).toEqual(['localhost']);
    expect(selectHosts(inv, 'etcd1:localhost')).toEqual(['etcd1', 'localhost']);
    expect(selectHosts(inv, 'all')).not.toContain('localhost');
  });
});

describe('limit', () => {
  it('keeps the hosts the limit selects', () => {
    expect(applyLimit(inv, selectHosts(inv, 'all'), 'etcd:!etcd2')).toEqual(['etcd1', 'etcd3']);
    expect(applyLimit(inv, selectHosts(inv, 'prod'), 'db')).toEqual(['etcd3']);
    expect(applyLimit(inv, selectHosts(inv, 'prod'), 'nosuch')).toEqual([]);
  });

  it('keeps the given order', () => {
    expect(applyLimit(inv, ['web1.example.com', 'etcd1', 'db1'], 'all:!db')).toEqual(['web1.example.com', 'etcd1']);
  });
});

describe('splitPattern', () => {
  it('keeps IPv6 addresses and bracket expressions whole', () => {
    expect(splitPattern('::1')).toEqual(['::1']);
    expect(splitPattern('[fe80::1]')).toEqual(['fe80::1']);
    expect(splitPattern('a:b,c:&d:!e')).toEqual(['a', 'b', 'c', '&d', '!e']);
    expect(splitPattern('web[0:2]:db')).toEqual(['web[0:2]', 'db']);
  });
});

// the lists ansible-playbook 2.14 plays over (ansible_play_hosts_all) with pattern-order.ini
describe('host pattern order with nested groups (as Ansible)', () => {
  it.each([
    ['b:a', 'h4,h2,h1,h3'],
    ['h4:h1:b', 'h4,h1,h2'],
    ['all', 'h5,h4,h2,h1,h3'],
    ['a,h5', 'h3,h1,h5'],
    ['h*', 'h5,h3,h1,h4,h2'],
    ['b[0:1]:a', 'h4,h2,h3,h1'],
    ['c:!h4', 'h2,h1,h3'],
  ])('%s', async (pattern, hosts) => {
    const ordered = await load('pattern-order.ini');
    expect(selectHosts(ordered, pattern).join(',')).toBe(hosts);
  });
});
