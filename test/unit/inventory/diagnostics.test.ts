import { describe, expect, it } from 'vitest';
import { loadErrors } from './fixtures.js';

describe('inventory diagnostics', () => {
  it('hosts given as a list', async () => {
    expect(await loadErrors('bad/hosts-list.yml')).toEqual([
      "bad/hosts-list.yml:5:9: 'hosts' of group 'etcd' must be a mapping of host names (one 'name:' a line, not '- name'), got a list",
    ]);
  });

  it('a group that is a scalar', async () => {
    expect(await loadErrors('bad/scalar-group.yml')).toEqual([
      "bad/scalar-group.yml:3:11: group 'etcd' must be a mapping with 'hosts:', 'children:' or 'vars:' (or empty), got the string \"etcd1\"",
    ]);
  });

  it('a group that is a list', async () => {
    expect(await loadErrors('bad/list-group.yml')).toEqual([
      "bad/list-group.yml:4:5: group 'etcd' must be a mapping with 'hosts:', 'children:' or 'vars:' (or empty), got a list",
    ]);
  });

  it('a YAML syntax error', async () => {
    // the yaml package reports an unclosed quote at the end of the file; we point at its start
    expect(await loadErrors('bad/syntax.yml')).toEqual(['bad/syntax.yml:4:21: YAML syntax error: unclosed double quote']);
  });

  it('an unknown key in a group, with a suggestion', async () => {
    expect(await loadErrors('bad/unknown-key.yml')).toEqual([
      "bad/unknown-key.yml:4:7: unknown key 'host' in group 'etcd': a group holds only 'hosts', 'children' and 'vars' (did you mean 'hosts'?)",
    ]);
  });

  it('a bad host range', async () => {
    expect(await loadErrors('bad/bad-range.yml')).toEqual([
      "bad/bad-range.yml:3:5: invalid host range in 'etcd[3:1]': 3 is greater than 1",
    ]);
  });

  it('an inventory plugin config', async () => {
    expect(await loadErrors('bad/plugin.yml')).toEqual([
      "bad/plugin.yml:1:1: inventory plugins ('plugin: amazon.aws.aws_ec2') are not supported: runbook reads static YAML and INI inventories",
    ]);
  });

  it('a missing path: one diagnostic at line 1 col 1 of that path', async () => {
    expect(await loadErrors('nope/hosts.yml')).toEqual([
      "nope/hosts.yml:1:1: inventory not found: no such file or directory (for a list of hosts, end it with a comma: -i 'host1,')",
    ]);
  });

  it('reports problems of several files together', async () => {
    const errors = await loadErrors(['bad/hosts-list.yml', 'bad/scalar-group.yml']);
    expect(errors.map((e) => e.split(':')[0])).toEqual(['bad/hosts-list.yml', 'bad/scalar-group.yml']);
  });
});
