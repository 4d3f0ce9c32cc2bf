// with_<lookup> loops that are the lookup itself on the terms (Ansible's rule: each term a list of
// one when it is not a list), side by side with ansible-playbook 2.14 (local connection):
// with_lines (commands on the controller, in the playbook's directory), with_file, with_together
// (zipped, filled with null, flattened one level), with_pipe, with_env, with_template,
// with_varnames, and with_lines' failure. Every task's message is the same in both engines.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-lookup-loops-'));
  mkdirSync(join(dir, 'files'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'files', 'f.txt'), 'one\ntwo\n');
  writeFileSync(join(dir, 'g.txt'), 'x\n');
  writeFileSync(join(dir, 'templates', 't.j2'), 'port {{ app_port }}\n');
  writeFileSync(join(dir, 'inv.ini'), 'h1 ansible_connection=local\n');
  writeFileSync(
    join(dir, 'pb.yml'),
    `- hosts: all
  gather_facts: false
  vars:
    xs: [1, 2, 3]
    ys: [a, [b, c]]
    app_port: 80
    app_host: h
  tasks:
    - debug: msg="{{ item }}"
      with_lines: printf 'l1\\nl2  \\n\\nl3'
    - debug: msg="{{ item }}"
      with_lines:
        - echo a; echo b
        - pwd
    - debug: msg="{{ item }}"
      with_file: [f.txt, g.txt]
    - debug: msg="{{ item }}"
      with_together: ["{{ xs }}", "{{ ys }}"]
    - debug: msg="{{ item }}"
      with_together:
        - [1, [2, 3]]
        - x
    - debug: msg="{{ item }}"
      with_together: "{{ xs }}"
    - debug: msg="{{ item }}"
      with_pipe: echo hi
    - debug: msg="{{ item }}"
      with_env: [RB_LOOP_ENV, RB_LOOP_UNSET]
    - debug: msg="{{ item }}"
      with_template: t.j2
    - debug: msg="{{ item }}"
      with_varnames: '^app_'
    - debug: msg="{{ item }}"
      with_lines: exit 3
      ignore_errors: true
`,
  );
  return dir;
}

describe('with_<lookup> loops: the same items as ansible-playbook 2.14', () => {
  it('lines, file, together, pipe, env, template, varnames', async () => {
    const dir = project();
    const env = { env: { RB_LOOP_ENV: 'from-env' } };
    const a = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'h1', [], env);
    const r = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'h1', [], env);
    expect(r.slice(0, -1)).toEqual(a.slice(0, -1));
    expect(a[0]).toEqual(['l1', 'l2  ', '', 'l3']);
    expect(a[1]).toEqual(['a', 'b', dir]);
    expect(a[3]).toEqual([
      [1, 'a'],
      [2, 'b', 'c'],
      [3, null],
    ]);
    // the failing command: Ansible's message, runbook's says it is the loop's
    expect(a.at(-1)).toBe('lookup_plugin.lines(exit 3) returned 3');
    expect(r.at(-1)).toMatch(/^loop: lookup_plugin\.lines\(exit 3\) returned 3/);
  });
});
