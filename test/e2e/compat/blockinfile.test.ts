// Built-in blockinfile side by side with ansible-playbook 2.14: the same playbook over the same
// starting files (each engine in its own copy), local connection; each task's changed/msg and
// every file afterwards must be the same.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const FILES: Record<string, string> = {
  'a.conf': 'one\ntwo\nthree',
  'b.conf': '[main]\nkey = 1\n[other]\nx = 2\n',
  'c.conf': 'top\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nbottom\n',
};

const TASK = (args: string): string => `    - blockinfile: { ${args} }
      register: r
      ignore_errors: true
    - debug: { msg: "{{ r.changed }} {{ r.failed }} {{ r.msg }}" }
`;

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
${[
  'path: "{{ playbook_dir }}/a.conf", block: "x = 1\\ny = 2"',
  'path: "{{ playbook_dir }}/a.conf", block: "x = 1\\ny = 2"',
  'path: "{{ playbook_dir }}/a.conf", block: "x = 3"',
  'path: "{{ playbook_dir }}/b.conf", block: "added = yes", insertafter: "^\\\\[main\\\\]", marker: "; {mark} runbook"',
  'path: "{{ playbook_dir }}/b.conf", block: "first", insertbefore: BOF, marker: "# {mark} top", marker_begin: START, marker_end: STOP',
  'path: "{{ playbook_dir }}/b.conf", block: "before other", insertbefore: "^\\\\[other\\\\]", marker: "# {mark} o"',
  'path: "{{ playbook_dir }}/c.conf", block: "new"',
  'path: "{{ playbook_dir }}/c.conf", state: absent',
  'path: "{{ playbook_dir }}/c.conf", state: absent',
  'path: "{{ playbook_dir }}/d.conf", block: "created"',
  'path: "{{ playbook_dir }}/d.conf", block: "created", create: true',
  'path: "{{ playbook_dir }}/e.conf", state: absent',
  'path: "{{ playbook_dir }}/e.conf", state: absent, create: true',
]
  .map(TASK)
  .join('')}`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-block-'));
  for (const [f, t] of Object.entries(FILES)) writeFileSync(join(dir, f), t);
  writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local\n');
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
  return dir;
}

describe('blockinfile: the same as ansible-playbook 2.14', () => {
  it('every task says the same and the files end the same', async () => {
    const a = project();
    const b = project();
    const want = await ansibleMessages(a, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(b, 'pb.yml', 'inv.ini', 'localhost');
    const msgs = (m: unknown[], dir: string): unknown[] => m.filter((_, i) => i % 2 === 1).map((x) => String(x).split(dir).join('DIR'));
    expect(msgs(want, a).length).toBe(13);
    expect(msgs(got, b)).toEqual(msgs(want, a));
    for (const f of ['a.conf', 'b.conf', 'c.conf', 'd.conf'])
      expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });
});
