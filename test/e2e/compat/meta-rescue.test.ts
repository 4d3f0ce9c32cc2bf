// Side by side with ansible-playbook 2.14 (local connection): a `meta` task counts nowhere in the
// PLAY RECAP, whether it ran or its `when` skipped it (Ansible's strategy runs meta itself and
// reports a skip without counting it), and `ansible_failed_task` in a rescue is Ansible's
// serialized task: an unnamed task's `name` is '', `action` the module as written. Needs ansible-core.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainOutputs } from './side-by-side.js';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars: {pkg: nginx}
  tasks:
    - block:
        - command: /bin/false
          when: inventory_hostname == 'meta2'
        - name: "install {{ pkg }}"
          ansible.builtin.command: /bin/false
          when: inventory_hostname == 'meta1'
      rescue:
        - debug: msg="rescued [{{ ansible_failed_task.name }}] {{ ansible_failed_task.action }} {{ ansible_failed_result.rc }}"
    - meta: end_host
      when: inventory_hostname == 'meta3'
    - meta: noop
    - meta: flush_handlers
      when: false
    - debug: msg=after
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-meta-'));
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  const host = (n: string) =>
    `${n} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, n + '.lock')}`;
  writeFileSync(join(dir, 'hosts.ini'), ['meta1', 'meta2', 'meta3', ''].map((n) => (n ? host(n) : '')).join('\n'));
});

const recap = (out: string) =>
  out
    .split('\n')
    .filter((l) => /^meta\d +: ok=/.test(l))
    .map((l) => l.trimEnd());
const rescued = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.includes('"msg": "rescued'))
    .map((l) => l.trim())
    .sort();

describe('meta tasks in the recap and ansible_failed_task, side by side with ansible-playbook 2.14', () => {
  it('counts no meta task and gives the failed task as Ansible serializes it', async () => {
    const { ansible, runbook } = await plainOutputs(dir, 'site.yml', 'hosts.ini');
    expect(recap(ansible).length).toBe(3);
    expect(recap(runbook)).toEqual(recap(ansible));
    expect(rescued(ansible)).toEqual(['"msg": "rescued [] command 1"', '"msg": "rescued [install nginx] ansible.builtin.command 1"']);
    expect(rescued(runbook)).toEqual(rescued(ansible));
  });
});
