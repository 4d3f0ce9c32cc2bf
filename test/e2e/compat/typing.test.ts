// What a templated playbook value is, side by side with ansible-playbook 2.14 (jinja2_native off):
// text, read back as a list, dict or boolean when it reads as one; `{{ name }}` of a number,
// boolean or None kept; the string-type filters' text kept (template/native.ts). Also what a loop
// registers (empty, all skipped, done), `ansible_facts` before any gathering and after
// clear_facts, an undefined argument to a macro, and tempfile in check mode. Local connection.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages, type Messages } from './side-by-side.js';

const CASES = [
  '{{ x }}',
  '{{ n }}\n',
  '{{ [1] }}\n',
  ' {{ [1] }}',
  '[{{ 1 }}, 2]',
  "{{ 'True' }}",
  '{{ nested.y }}',
  '{{ d }}',
  '{{ s2 }}',
  '{{ sj }}',
  '{{ n + 1 }}',
  '{{ n }}{{ n }}',
  "{{ x | default('z') }}",
  '{{ [x] }}',
  "{{ 'a b' }}\n\n",
  "{{ ' [1]' }}",
  '{{ d | to_json }}',
  '{{ nested | ansible.builtin.to_json }}',
  "{{ '[1]' | string }}",
  '{% set acc = [] %}{% for i in [1, 2] %}{% set _ = acc.append(i * 10) %}{% endfor %}{{ acc }}',
  '{% set e = {} %}{{ e.x is defined }}',
  "{{ lookup('file', 'data.json') }}",
  '{{ flag }}',
  '  {{ flag }} ',
];

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars:
    x: ~
    n: 5
    d: {k: 1}
    s2: "[not json"
    sj: '{"a": null, "b": true}'
    nested: {y: 7}
    flag: true
${CASES.map((c, i) => `    c${i}: ${JSON.stringify(c)}`).join('\n')}
  tasks:
${CASES.map((_, i) => `    - debug: { msg: "{{ [c${i}, c${i} | type_debug] }}" }`).join('\n')}
    - debug: { msg: "{{ ansible_facts }}" }
    - setup: { gather_subset: [min] }
    - meta: clear_facts
    - debug: { msg: "{{ ansible_facts | length }}" }
    - debug: { msg: "{{ lookup('template', 'macro.j2') }}" }
    - debug: { msg: x }
      loop: []
      register: empty
    - debug: { msg: x }
      loop: [1]
      when: false
      register: none_ran
    - debug: { msg: x }
      loop: [1]
      register: done
    - debug: { msg: "{{ [empty, none_ran.msg, none_ran.skipped, done.msg, done.skipped, done.failed is defined] }}" }
    - tempfile: { state: directory }
      register: tmp
      check_mode: true
    - debug: { msg: "{{ [tmp.skipped, tmp.msg, tmp.path is defined] }}" }
    - set_fact: { acc: "{{ acc | default([]) + [item] }}" }
      loop: [a, b, c]
    - set_fact:
        tj: "{{ [22] | to_json }}"
        tj_if: "{% if true %}{{ [23] | to_json }}{% endif %}"
    - set_fact: { tj_again: "{{ tj }}" }
    - debug: { msg: "{{ [acc, tj | type_debug, tj_if | type_debug, tj_again | type_debug, tj_again] }}" }
    - debug: { msg: "{{ item }}" }
      loop: "{{ nothing_here.stdout_lines }}"
      when: false
      register: undefined_loop
    - debug: { msg: "{{ undefined_loop.skipped }}" }
`;

const MACRO = `{% macro opt(key, v) %}{% if v is defined %}{{ key }}={{ v }}{% else %}{{ key }} unset{% endif %}{% endmacro %}
{{ opt("a", nope) }} {{ opt("b", 1) }} {{ opt("c", v=nope2) }}
`;

/** Ansible's own str subclasses are str to a playbook (`is string` holds); the names differ. */
function plainTypes(msgs: Messages): Messages {
  const str = (t: unknown): unknown =>
    typeof t === 'string' && /^(AnsibleUnicode|NativeJinjaText|AnsibleUnsafeText)$/.test(t) ? 'str' : t;
  return msgs.map((m) => (Array.isArray(m) ? m.map(str) : m));
}

describe('templated values, loops and check-mode skips: as ansible-playbook 2.14', () => {
  it('every task says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-typing-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'data.json'), '{"a": 1, "b": true, "c": null}\n');
    writeFileSync(join(dir, 'macro.j2'), MACRO);
    const want = plainTypes(await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost'));
    const got = plainTypes(await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost'));
    expect(want.length).toBe(CASES.length + 16); // every task but the meta one
    // runbook reports the meta task's result (2.14's json callback has none), and a skipped loop
    // item's skip reason as its message (2.14's item has skip_reason only): both left out
    const at = CASES.length + 2;
    expect(got.splice(at, 1)).toEqual([undefined]);
    expect(got.splice(at + 3, 1)).toEqual([['Conditional result was False']]);
    want.splice(at + 3, 1);
    // the skipped task whose loop names an undefined variable: the same (its skip reason as runbook's message)
    expect(got.splice(-2, 1)).toEqual(['Conditional result was False']);
    want.splice(-2, 1);
    // spot checks of what 2.14 says, so a change on either side is seen here too
    expect(want[CASES.indexOf('{{ n + 1 }}')]).toEqual(['6', 'str']);
    expect(want[CASES.indexOf('{{ sj }}')]).toEqual([{ a: null, b: true }, 'dict']);
    expect(want[CASES.indexOf('{{ d | to_json }}')]).toEqual(['{"k": 1}', 'str']);
    expect(got).toEqual(want);
  });
});
