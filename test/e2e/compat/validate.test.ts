// `validate` of copy, template and lineinfile side by side with ansible-playbook 2.14: a
// command that accepts the new content lets it through, one that refuses fails the task and
// leaves the file alone; same messages, same files (each engine in its own copy).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const T = (mod: string, args: string): string => `    - ${mod}: { ${args} }
      register: r
      ignore_errors: true
    - debug: { msg: "{{ r.changed }} {{ r.failed }} {{ r.msg | default('') }}" }
`;

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
${[
  T('copy', 'content: "ok = 1\\n", dest: "{{ playbook_dir }}/good.conf", validate: "grep -q ok %s"'),
  T('copy', 'content: "bad = 1\\n", dest: "{{ playbook_dir }}/good.conf", validate: "grep -q ok %s"'),
  T('template', 'src: t.j2, dest: "{{ playbook_dir }}/t.conf", validate: "grep -q rendered %s"'),
  T('template', 'src: t.j2, dest: "{{ playbook_dir }}/t2.conf", validate: "grep -q nothere %s"'),
  T('lineinfile', 'path: "{{ playbook_dir }}/good.conf", line: "okay = 2", validate: "grep -q okay %s"'),
  T('lineinfile', 'path: "{{ playbook_dir }}/good.conf", line: "nope = 3", validate: "grep -q nope4 %s"'),
].join('')}`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-validate-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 't.j2'), 'rendered {{ inventory_hostname }}\n');
  writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
  return dir;
}

describe('validate: the same as ansible-playbook 2.14', () => {
  it('every task says the same and the files end the same', async () => {
    const a = project();
    const b = project();
    const want = await ansibleMessages(a, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(b, 'pb.yml', 'inv.ini', 'localhost');
    const msgs = (m: unknown[]): unknown[] => m.filter((_, i) => i % 2 === 1);
    expect(msgs(want).length).toBe(6);
    expect(msgs(got)).toEqual(msgs(want));
    for (const f of ['good.conf', 't.conf']) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });
});
