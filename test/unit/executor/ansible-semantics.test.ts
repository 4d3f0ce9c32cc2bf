// Ansible behaviours existing playbooks rely on, beyond the precedence list: role entry vars
// stay in the role, register and set_fact share a level (the later wins), include params beat
// set_fact, play-level run_once, include_role `apply:`, become from the inventory.
// Real executor, local hosts.
import { describe, expect, it } from 'vitest';
import { runPlaybookText } from '../../helpers/run-playbook.js';

const ONE = 'all:\n  hosts:\n    h1: { ansible_connection: local }\n';
const TWO = 'all:\n  hosts:\n    h1: { ansible_connection: local }\n    h2: { ansible_connection: local }\n';
const ROLE = { 'roles/r/tasks/main.yml': '- debug: msg="in role {{ entry_var }}"\n', 'roles/r/defaults/main.yml': 'entry_var: default\n' };

describe('Ansible semantics', () => {
  it("a roles: entry's vars are the role's own (ansible-core 2.15+): the play's tasks see the default", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  roles:
    - role: r
      vars: { entry_var: from-entry }
  tasks:
    - debug: msg="{{ entry_var }}"
`,
      ONE,
      { files: ROLE },
    );
    expect(r.debug('h1')).toEqual(['in role from-entry', 'default']);
  });

  it('register and set_fact of the same name: the later one wins', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - command: echo registered
      register: x
    - set_fact: { x: set }
    - debug: msg="{{ x }}"
    - command: echo again
      register: x
    - debug: msg="{{ x.stdout }}"
`,
      ONE,
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['set', 'again']);
  });

  it('include_tasks vars (include params) beat set_fact and the included task vars', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - set_fact: { p: set_fact }
    - include_tasks: inc.yml
      vars: { p: include }
`,
      ONE,
      { files: { 'inc.yml': '- debug: msg="{{ p }}"\n  vars: { p: task }\n' } },
    );
    expect(r.debug('h1')).toEqual(['include']);
  });

  it('run_once on the play runs each task on the first host only', async () => {
    const r = await runPlaybookText(
      `- hosts: all
  run_once: true
  tasks:
    - debug: msg="{{ inventory_hostname }}"
`,
      TWO,
    );
    expect(r.debug('h1')).toEqual(['h1']);
    expect(r.debug('h2')).toEqual([]);
  });

  it("include_role apply: gives its keywords to the role's tasks", async () => {
    const r = await runPlaybookText(
      `- hosts: all
  tasks:
    - include_role:
        name: r
        apply: { when: "inventory_hostname == 'h2'" }
`,
      TWO,
      { files: ROLE },
    );
    expect(r.debug('h1')).toEqual([]);
    expect(r.debug('h2')).toEqual(['in role default']);
  });

  it('ansible_become / ansible_become_user from the inventory win over the task keyword (Ansible: variables > keywords; test/e2e/compat/precedence.test.ts)', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - command: id -un
      register: a
    - command: id -un
      become: false
      register: b
    - debug: msg="{{ a.stdout }} {{ b.stdout }}"
`,
      'all:\n  hosts:\n    h1: { ansible_connection: local, ansible_become: true, ansible_become_user: nobody }\n',
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['nobody nobody']);
  });

  it("query('items', ...) flattens lists one level; lookup('list', [..]) keeps the list", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - debug: msg="{{ query('items', [1, 2], 3) }} {{ lookup('list', [1, 2]) | length }}"
`,
      ONE,
    );
    expect(r.debug('h1')).toEqual(['[1, 2, 3] 2']);
  });

  it('gathered facts sit below play vars (host facts level); ansible_facts keeps the gathered value', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  gather_facts: true
  vars: { ansible_system: from-play }
  tasks:
    - debug: msg="{{ ansible_system }} {{ ansible_facts.system }}"
`,
      ONE,
    );
    expect(r.debug('h1')).toEqual(['from-play Linux']);
  });

  it('YAML reads as PyYAML: no/off/false are false, yes/on true, y and e1 strings, 0644 reaches modules as 644', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars: { a: no, b: off, c: yes, d: y, e: e1, m: 0644 }
  tasks:
    - debug: msg=skipped
      when: a or b
    - debug: msg="{{ c }} {{ d }} {{ e }} {{ m }}"
      when: c
`,
      ONE,
    );
    expect(r.debug('h1')).toEqual(['True y e1 644']);
  });

  it("with_first_found picks the first file that exists (include_vars: in the role's vars/), or fails naming them", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  roles: [r]
`,
      ONE,
      {
        files: {
          'roles/r/tasks/main.yml': `- include_vars: "{{ item }}"
  with_first_found:
    - "{{ os | default('Plan9') }}.yml"
    - default.yml
- debug: msg="{{ picked }}"
- include_vars: "{{ item }}"
  with_first_found: { files: [nope.yml], skip: true }
- include_vars: "{{ item }}"
  with_first_found: [nope.yml, nada.yml]
`,
          'roles/r/vars/default.yml': 'picked: default\n',
        },
      },
    );
    expect(r.debug('h1')).toEqual(['default']);
    expect(r.exitCode).toBe(2);
    const failed = r.events.find((e) => e.type === 'host-result' && e.result.status === 'failed');
    expect(failed && failed.type === 'host-result' ? failed.result.msg : '').toMatch(
      /No file was found when using first_found \(looked for 'nope.yml', 'nada.yml'\)/,
    );
  });

  it("lookup('first_found') with relative paths: looked for under the role's directory, as Ansible's search path (geerlingguy.docker)", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  roles: [r]
`,
      ONE,
      {
        files: {
          'roles/r/tasks/main.yml': `- include_vars: "{{ lookup('first_found', params) }}"
  vars:
    params:
      files: ['{{ os | default("Plan9") }}.yml', main.yml]
      paths: [vars]
- debug: msg="{{ picked }}"
`,
          'roles/r/vars/main.yml': 'picked: main\n',
        },
      },
    );
    expect(r.debug('h1')).toEqual(['main']);
  });

  it("a module's facts are also under ansible_facts, as Ansible's fact cache keeps them (getent, os_hardening's ansible_facts.getent_shadow)", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  gather_facts: false
  tasks:
    - getent: { database: passwd, key: root }
    - debug: msg="{{ ansible_facts.getent_passwd.root[1] }} {{ getent_passwd.root[1] }}"
`,
      ONE,
    );
    expect(r.debug('h1')).toEqual(['0 0']);
  });

  it('gather_facts unset: facts gathered only for a play that uses them (tasks, roles, templates, inventory vars)', async () => {
    const gathered = (r: Awaited<ReturnType<typeof runPlaybookText>>): boolean =>
      r.events.some((e) => e.type === 'task-start' && e.task === 'Gathering Facts');
    const none = await runPlaybookText('- hosts: h1\n  tasks:\n    - debug: msg=hi\n', ONE);
    expect(gathered(none)).toBe(false);
    const inTask = await runPlaybookText('- hosts: h1\n  tasks:\n    - debug: msg="{{ ansible_system }}"\n', ONE);
    expect(gathered(inTask)).toBe(true);
    expect(inTask.debug('h1')).toEqual(['Linux']);
    const inTemplate = await runPlaybookText('- hosts: h1\n  roles: [r]\n', ONE, {
      files: {
        'roles/r/tasks/main.yml': '- debug: msg=role\n',
        'roles/r/templates/x.j2': '{{ ansible_hostname }}\n',
      },
    });
    expect(gathered(inTemplate)).toBe(true);
    const inInventory = await runPlaybookText(
      '- hosts: h1\n  tasks:\n    - debug: msg="{{ my_ip }}"\n',
      'all:\n  hosts:\n    h1: { ansible_connection: local, my_ip: "{{ ansible_default_ipv4.address | default(\'none\') }}" }\n',
    );
    expect(gathered(inInventory)).toBe(true);
    const off = await runPlaybookText(
      '- hosts: h1\n  gather_facts: false\n  tasks:\n    - debug: msg="{{ ansible_system | default(\'unknown\') }}"\n',
      ONE,
    );
    expect(gathered(off)).toBe(false);
    expect(off.debug('h1')).toEqual(['unknown']);
  });

  it("variables named q/query/lookup win over the functions; lookup('vars') is strict unless given a default", async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars: { q: 1, lookup: 2 }
  tasks:
    - debug: msg="{{ q + 1 }} {{ lookup }} {{ query('vars', 'q') }}"
    - debug: msg="{{ query('vars', 'nope', default='D') }}"
    - debug: msg="{{ query('vars', 'nope') }}"
`,
      ONE,
    );
    expect(r.debug('h1')).toEqual(['2 2 [1]', ['D']]);
    const failed = r.events.find((e) => e.type === 'host-result' && e.result.status === 'failed');
    expect(failed && failed.type === 'host-result' ? failed.result.msg : '').toMatch(/No variable named 'nope'/);
  });

  it('include_tasks apply gives keywords to the included tasks; an untagged include is not run under --tags', async () => {
    const files = { 'inc.yml': '- debug: msg="in {{ x }}"\n' };
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - include_tasks: { file: inc.yml, apply: { vars: { x: applied } } }
`,
      ONE,
      { files },
    );
    expect(r.debug('h1')).toEqual(['in applied']);
    const tagged = await runPlaybookText(
      `- hosts: h1
  tasks:
    - include_tasks: { file: inc.yml, apply: { tags: [t] } }
      vars: { x: untagged-include }
    - include_tasks: { file: inc.yml, apply: { tags: [t] } }
      vars: { x: tagged-include }
      tags: [t]
`,
      ONE,
      { files, tags: { only: ['t'], skip: [] } },
    );
    expect(tagged.debug('h1')).toEqual(['in tagged-include']);
  });

  it('a vars_files name that cannot be rendered fails the host as a task result (a fatal line, counted)', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars_files: ["vars/{{ env_name }}.yml"]
  tasks:
    - debug: msg=hi
`,
      ONE,
    );
    expect(r.exitCode).toBe(2);
    expect(r.results('vars_files')['h1']).toMatchObject({ status: 'failed', msg: expect.stringMatching(/'env_name' is undefined/) });
    expect(r.debug('h1')).toEqual([]);
  });
});
