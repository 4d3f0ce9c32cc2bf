// Backslashes in Jinja string literals, side by side with ansible-playbook 2.14 (local
// connection): Ansible's templar doubles the backslashes of the literals inside a playbook
// value's `{{ }}` (escape_backslashes), so `'{{ l | join("\n") }}'` joins with backslash-n,
// while a template file, `{% %}`, a condition and YAML's own double-quoted `\n` give a newline.
// Every task's message, and the files the template and copy modules write, must be the same.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const PLAYBOOK = String.raw`- hosts: localhost
  gather_facts: false
  vars:
    l: [a, b]
    joined: '{{ l | join("\n") }}'
  tasks:
    - debug: { msg: '{{ l | join("\n") }}' }
    - debug: { msg: "{{ l | join('\n') }}" }
    - debug: { msg: "{{ l | join('\\n') }}" }
    - debug: { msg: '{{ joined }}' }
    - debug: { msg: '{{ "\x4" }} {{ "\101" }} {{ "a\\b" }}' }
    - debug: { msg: 'out\n{{ "x" }}' }
    - debug: { msg: '{% set s = "a\tb" %}{{ s }}' }
    - debug: { msg: '{% if true %}{{ "a\tb" }}{% endif %}' }
    - debug: { msg: "{{ 'ab' | regex_replace('(a)', '\\1x') }}" }
    - debug: { msg: when-reads-python-escapes }
      when: '"a\tb" | length == 3'
    - assert: { that: ['"a\tb" | length == 3'] }
    - debug: msg="{{ l | join('\n') }}"
    - set_fact: { sf: '{{ l | join("\n") }}' }
    - debug: { msg: '{{ sf }}' }
    - debug: { msg: "{{ lookup('template', 't.j2') }}" }
    - template: { src: t.j2, dest: '{{ out }}-template.txt' }
    - copy: { content: '{{ l | join("\n") }}', dest: '{{ out }}-copy.txt' }
`;

const TEMPLATE = String.raw`join={{ l | join("\n") }}|
var={{ joined }}|
set={% set s = "a\tb" %}{{ s }}|
`;

describe('backslashes in string literals: the same as ansible-playbook 2.14', () => {
  it('every task says the same and writes the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-escapes-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 't.j2'), TEMPLATE);
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `out=${dir}/ansible`]);
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost', ['-e', `out=${dir}/runbook`]);
    expect(want.slice(0, 4)).toEqual(['a\\nb', 'a\nb', 'a\\nb', 'a\\nb']); // what this test is about, as Ansible says it
    expect(got).toEqual(want);
    for (const f of ['template', 'copy']) {
      const theirs = readFileSync(join(dir, `ansible-${f}.txt`), 'utf8');
      expect(readFileSync(join(dir, `runbook-${f}.txt`), 'utf8'), f).toBe(theirs);
    }
    expect(readFileSync(join(dir, 'ansible-template.txt'), 'utf8')).toBe('join=a\nb|\nvar=a\\nb|\nset=a\tb|\n');
  });
});
