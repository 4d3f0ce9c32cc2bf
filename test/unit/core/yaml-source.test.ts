// The one reader of YAML with positions (core/yaml-source.ts), used by playbooks and inventories alike.
import { describe, expect, it } from 'vitest';
import { describeNode, parseYaml, parsedOk, valueNode } from '../../../src/core/yaml-source.js';

const messages = (text: string) =>
  parseYaml('f.yml', text).diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.severity}: ${d.message}`);

describe('core/yaml-source', () => {
  it('a duplicate key warns as Ansible does and the last value wins, in the values and in the tree', () => {
    const p = parseYaml('f.yml', 'a: 1\nb: 2\na: 3\n');
    expect(messages('a: 1\nb: 2\na: 3\n')).toEqual(['3:1: warning: found a duplicate dict key (a). Using last defined value only.']);
    expect(parsedOk(p)).toBe(true);
    expect(p.source.doc.toJS()).toEqual({ a: 3, b: 2 });
    // the node a position or a schema error would point at is the last one too
    expect(valueNode(p.source.doc.contents, 'a')?.range?.[0]).toBe('a: 1\nb: 2\na: '.length);
  });

  it('an anchor set twice is refused, as PyYAML ("found duplicate anchor") and so ansible-playbook 2.14 refuse it', () => {
    const text = 'a: &x 1\nb: &y [*x]\nc: &x 2\nd: *y\n';
    expect(parsedOk(parseYaml('f.yml', text))).toBe(false);
    expect(messages(text)[0]).toMatch(/^3:\d+: error: YAML error: found duplicate anchor &x \(first set at line 1\)/);
    // one anchor, aliased twice and merged: fine
    const ok = parseYaml('f.yml', 'base: &b {k: 1}\nx: *b\ny: {<<: *b, z: 2}\n');
    expect(parsedOk(ok)).toBe(true);
    expect(ok.source.doc.toJS()).toEqual({ base: { k: 1 }, x: { k: 1 }, y: { k: 1, z: 2 } });
  });

  it('a nested duplicate key in a task keeps the last one', () => {
    const p = parseYaml('f.yml', '- debug: msg=a\n  when: false\n  when: true\n');
    expect(p.source.doc.toJS()).toEqual([{ debug: 'msg=a', when: true }]);
    expect(messages('- debug: msg=a\n  when: false\n  when: true\n')[0]).toMatch(/^3:3: warning: found a duplicate dict key \(when\)/);
  });

  it('an unclosed quote is reported where the value opens, not at the end of the file', () => {
    expect(messages('all:\n  hosts:\n    h1:\n      ansible_host: "10.0.0.1\n    h2:\n')).toEqual([
      '4:21: error: YAML syntax error: unclosed double quote',
    ]);
    expect(parsedOk(parseYaml('f.yml', 'a: "x\n'))).toBe(false);
  });

  it('a TAB at the start of a double-quoted continuation line is read as PyYAML reads it', () => {
    const p = parseYaml('f.yml', 'msg: "one\n\ttwo"\n');
    expect(messages('msg: "one\n\ttwo"\n')).toEqual([]);
    expect(p.source.doc.toJS()).toEqual({ msg: 'one two' });
  });

  it('a flow mapping whose lines sit at the column of its list is read as PyYAML reads it (a molecule converge.yml)', () => {
    const text = 'users:\n  - {\n  name: testUser,\n  roles: [a,\n  b]\n  }\nafter: "x {y"\n';
    const p = parseYaml('f.yml', text);
    expect(messages(text)).toEqual([]);
    expect(p.source.doc.toJS()).toEqual({ users: [{ name: 'testUser', roles: ['a', 'b'] }], after: 'x {y' });
  });

  it('an unknown tag is an error (PyYAML has no constructor for it), a vault value without a password names the way out', () => {
    expect(messages('a: !foo x\n')).toEqual(["1:4: error: YAML tag '!foo' is not supported"]);
    expect(messages('a: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  00\n')[0]).toMatch(/no vault secrets found \(give --vault-password-file/);
  });

  it('describes what it found in words', () => {
    const root = parseYaml('f.yml', 'a: ~\nb: [1]\nc: {}\nd: text\n').source.doc.contents;
    expect(['a', 'b', 'c', 'd'].map((k) => describeNode(valueNode(root, k)))).toEqual([
      'nothing',
      'a list',
      'a mapping',
      'the string "text"',
    ]);
  });
});
