// Variable precedence with roles, as Ansible documents it (lowest first): role defaults <
// inventory group vars < inventory host vars < play vars < vars_prompt < vars_files < role vars
// < block vars < task vars < include_vars < set_fact/registered < role params < extra vars.
// Each case sets one variable at two adjacent levels and checks which value a task sees.
// Real executor, local hosts (no fakes).
import { describe, expect, it } from 'vitest';
import { runPlaybookText } from '../../helpers/run-playbook.js';

const INVENTORY = `all:
  vars: { from_group: group, g_vs_h: group, role_default_vs_inv: inventory }
  hosts:
    h1:
      ansible_connection: local
      g_vs_h: host
      host_vs_play: host
`;

/** a project with role `r` (defaults, vars, tasks that print `show` variables) */
function project(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'roles/r/defaults/main.yml': 'role_default_vs_inv: role-default\nonly_default: role-default\nvars_files_vs_role_vars: role-default\n',
    'roles/r/vars/main.yml': 'vars_files_vs_role_vars: role-vars\nrole_vars_vs_block: role-vars\nrole_vars_vs_play: role-vars\n',
    'roles/r/tasks/main.yml': `- debug: msg="in role {{ role_default_vs_inv }} {{ vars_files_vs_role_vars }} {{ role_vars_vs_play }} {{ param_vs_set_fact }}"
- block:
    - debug: msg="block {{ role_vars_vs_block }}"
  vars: { role_vars_vs_block: block }
`,
    'vars/common.yml': 'vars_files_vs_role_vars: vars-file\nplay_vs_vars_files: vars-file\n',
    ...extra,
  };
}

describe('variable precedence (Ansible order)', () => {
  it('role defaults < inventory < play vars < vars_files < role vars < block vars; role params > set_fact', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  vars: { host_vs_play: play, play_vs_vars_files: play, role_vars_vs_play: play }
  vars_files: [vars/common.yml]
  pre_tasks:
    - set_fact: { param_vs_set_fact: set_fact }
  roles:
    - role: r
      param_vs_set_fact: role-param
  tasks:
    - debug: msg="{{ g_vs_h }} {{ host_vs_play }} {{ play_vs_vars_files }} {{ only_default }}"
`,
      INVENTORY,
      { files: project() },
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual([
      // inventory beats role defaults; role vars beat vars_files and play vars; role params beat set_fact
      'in role inventory role-vars role-vars role-param',
      // block vars beat role vars
      'block block',
      // host vars beat group vars; play vars beat host vars; vars_files beat play vars;
      // a role's defaults are visible to the play's tasks after it (Ansible's non-private role vars)
      'host play vars-file role-default',
    ]);
  });

  it('task vars < include_vars < set_fact, whatever the order they were set in; extra vars beat all', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - set_fact: { a: set_fact }
    - include_vars: { file: inc.yml }
    - debug: msg="{{ a }} {{ b }}"
      vars: { a: task, b: task }
    - debug: msg="{{ x }}"
      vars: { x: task }
`,
      INVENTORY,
      { files: { 'inc.yml': 'a: include_vars\nb: include_vars\nx: include_vars\n' }, extraVars: { x: 'extra' } },
    );
    expect(r.exitCode).toBe(0);
    // a: set_fact beats include_vars although include_vars ran later; b: include_vars beats task vars
    expect(r.debug('h1')).toEqual(['set_fact include_vars', 'extra']);
  });

  it('include_role vars beat the role vars; a private include_role keeps its defaults to itself, public shares them', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  tasks:
    - include_role: { name: r }
      vars: { role_vars_vs_block: include-vars }
    - debug: msg="{{ only_default | default('hidden') }}"
    - include_role: { name: r, public: true }
    - debug: msg="{{ only_default | default('hidden') }}"
`,
      INVENTORY,
      { files: project({ 'roles/r/tasks/main.yml': '- debug: msg="{{ role_vars_vs_block }}"\n' }) },
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(['include-vars', 'hidden', 'role-vars', 'role-default']);
  });

  it('magic variables: role_path, role_name, playbook_dir, ansible_play_hosts, groups, ansible_loop, lookups', async () => {
    process.env['RB_TEST_ENV'] = 'from-env';
    const r = await runPlaybookText(
      `- hosts: h1
  roles: [r]
  tasks:
    - debug: msg="{{ playbook_dir }} {{ lookup('env', 'RB_TEST_ENV') }} {{ ansible_play_hosts }} {{ groups['all'] }} {{ inventory_hostname_short }} {{ ansible_check_mode }}"
    - debug: msg="{{ ansible_loop.index }}/{{ ansible_loop.length }} {{ item }}"
      loop: [a, b]
      loop_control: { extended: true }
    - debug: msg="{{ lookup('file', 'note.txt') }} {{ query('items', 1, 2) | length }} {{ range(3) | list }}"
`,
      INVENTORY,
      {
        files: {
          'roles/r/tasks/main.yml': '- debug: msg="{{ role_name }} {{ role_path is match(\'.*/roles/r$\') }}"\n',
          'files/note.txt': 'from-file\n',
        },
      },
    );
    expect(r.exitCode).toBe(0);
    const msgs = r.debug('h1');
    expect(msgs[0]).toBe('r True');
    expect(msgs[1]).toBe(`${r.dir} from-env ['h1'] ['h1'] h1 False`);
    expect(msgs[2]).toBe('1/2 a');
    expect(msgs[3]).toBe('2/2 b');
    expect(msgs[4]).toBe('from-file 2 [0, 1, 2]');
  });

  // Ansible runs each host's task in a forked worker (ansible-playbook 2.14 prints the same for this playbook), so a template that mutates a list it was
  // given never reaches another host or task; runbook copies each list on the scope's first read
  it('the magic host lists are a copy per host and task: appending to one changes no other; lookup(vars) reads them', async () => {
    const r = await runPlaybookText(
      `- hosts: all
  tasks:
    - debug: msg="{% set _ = groups['all'].append('x') %}{% set _ = ansible_play_hosts.append('y') %}{{ groups['all'] }} {{ ansible_play_hosts }}"
    - debug: msg="{{ groups['all'] }} {{ ansible_play_hosts }} {{ ansible_play_batch }} {{ play_hosts }} {{ lookup('vars', 'ansible_play_hosts_all') | length }}"
`,
      `all:
  vars: { ansible_connection: local }
  hosts: { h1: {}, h2: {} }
`,
      { forks: 1 },
    );
    expect(r.exitCode).toBe(0);
    for (const h of ['h1', 'h2']) {
      expect(r.debug(h)[0]).toBe("['h1', 'h2', 'x'] ['h1', 'h2', 'y']");
      expect(r.debug(h)[1]).toBe("['h1', 'h2'] ['h1', 'h2'] ['h1', 'h2'] ['h1', 'h2'] 2");
    }
  });

  // as ansible-playbook 2.14 prints for the same playbook (test/compat runs it side by side)
  it("magic variables beat -e, except the host's own names (inventory_hostname, group_names), which play vars and -e override", async () => {
    const extraVars = {
      ansible_check_mode: 'X',
      playbook_dir: 'X',
      ansible_version: 'X',
      ansible_play_hosts: 'X',
      ansible_verbosity: 'X',
      inventory_hostname: 'E',
    };
    const r = await runPlaybookText(
      `- hosts: h1
  vars: { group_names: P }
  tasks:
    - debug: msg="{{ [inventory_hostname, group_names, ansible_check_mode, playbook_dir == 'X', ansible_version.full, ansible_play_hosts, ansible_verbosity] }}"
`,
      INVENTORY,
      { extraVars, verbosity: 2 },
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')[0]).toEqual(['E', 'P', false, false, '2.15.0', ['h1'], 2]);
  });

  it('gather_facts: false and an undefined fact: the message says how facts are gathered', async () => {
    const r = await runPlaybookText(
      `- hosts: h1
  gather_facts: false
  tasks:
    - debug: msg="{{ ansible_os_family }}"
`,
      INVENTORY,
    );
    expect(r.exitCode).toBe(2);
    expect(r.results('debug')['h1']!.msg).toMatch(
      /'ansible_os_family' is undefined; facts such as ansible_os_family are gathered with 'gather_facts: true' on the play \(left unset, runbook gathers only when it sees the play use a fact\)/,
    );
    const via = await runPlaybookText(
      `- hosts: h1
  gather_facts: false
  tasks:
    - debug: msg="{{ hostvars['h1']['ansible_default_ipv4']['address'] }}"
`,
      INVENTORY,
    );
    expect(via.results('debug')['h1']!.msg).toMatch(
      /has no attribute 'ansible_default_ipv4'; facts such as ansible_default_ipv4 are gathered with/,
    );
  });
});
