// include_tasks and include_role read when a host reaches them (playbook/load-included.ts): what
// they bring runs, and what cannot be loaded fails only the hosts that reach it, with a line
// naming the include and why, shown as that task's result. Real local hosts, real files.
import { describe, expect, it } from 'vitest';
import { localHosts, runPlaybookText } from '../../helpers/run-playbook.js';

const files = {
  'tasks/t.yml': '- debug: msg="from {{ inventory_hostname }}"\n',
  'roles/r/tasks/main.yml': '- name: role-main\n  debug: msg=role-main\n  changed_when: true\n  notify: r-handler\n',
  'roles/r/tasks/other.yml': '- debug: msg=role-other\n',
  'roles/r/handlers/main.yml': '- name: r-handler\n  debug: msg=role-handler\n',
};

describe('includes read at run time', () => {
  it('include_tasks and include_role (tasks_from, its handlers) run what they bring', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  tasks:
    - include_tasks: "{{ 'tasks/t.yml' }}"
    - include_role: { name: r }
    - include_role: { name: r, tasks_from: other }
`,
      localHosts(1),
      { files },
    );
    expect(r.exitCode).toBe(0);
    expect(r.results('r : role-main')['h1']).toMatchObject({ status: 'changed' });
    expect(r.debug('h1')).toEqual(['from h1', 'role-other', 'role-handler']);
  });

  it('a file or role that is not there fails the hosts that reach it, naming the include', async () => {
    const r = await runPlaybookText(
      `- hosts: g
  tasks:
    - include_tasks: "{{ 'tasks/' + inventory_hostname + '.yml' }}"
      when: inventory_hostname == 'h1'
    - include_role: { name: "{{ 'absent_' + inventory_hostname }}" }
`,
      localHosts(2),
      { files },
    );
    expect(r.exitCode).not.toBe(0);
    const tasks = r.results('include_tasks');
    expect(tasks['h2']).toMatchObject({ status: 'skipped' });
    expect(tasks['h1']).toMatchObject({ status: 'failed' });
    // Ansible 2.14's words, naming the file from the playbook's directory
    expect(tasks['h1']!.msg).toMatch(
      /^include_tasks 'tasks\/h1\.yml': Could not find or access '\/.*\/tasks\/h1\.yml' on the Ansible Controller\.$/,
    );
    const roles = r.results('include_role');
    expect(Object.keys(roles)).toEqual(['h2']); // h1 failed before it
    // the role's error without a file:line:col of its own (it is shown at the include)
    expect(roles['h2']!.msg).toMatch(/^include_role 'absent_h2': role 'absent_h2' not found \(looked in /);
    expect(r.recap['h1']).toMatchObject({ failed: 1 });
    expect(r.recap['h2']).toMatchObject({ failed: 1 });
  });
});
