// The role magic variables as ansible-playbook 2.14 sets them (compared side by side, 2026-12-03):
// ansible_play_role_names (the play's roles:), ansible_dependent_role_names, ansible_role_names
// (both), and ansible_parent_role_names only for a role an include_role/import_role brought.
import { describe, expect, it } from 'vitest';
import { runPlaybookText } from '../../helpers/run-playbook.js';

const INV = 'all:\n  hosts:\n    h1: { ansible_connection: local }\n';
const SHOW = '- debug: msg="{{ role_name }} {{ ansible_role_names | sort }} {{ ansible_parent_role_names | default(\'none\') }}"\n';

describe('role name magic variables', () => {
  it('a dependency: named among the role names, no parent role names (2.14 leaves them unset)', async () => {
    const r = await runPlaybookText(
      '- hosts: h1\n  gather_facts: false\n  roles: [r0]\n  tasks:\n    - debug: msg="{{ ansible_play_role_names }} {{ ansible_dependent_role_names }}"\n',
      INV,
      { files: { 'roles/r0/meta/main.yml': 'dependencies: [r1]\n', 'roles/r0/tasks/main.yml': SHOW, 'roles/r1/tasks/main.yml': SHOW } },
    );
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1')).toEqual(["r1 ['r0', 'r1'] none", "r0 ['r0', 'r1'] none", "['r0'] ['r1']"]);
  });

  it('include_role and import_role inside a role: the including role is the parent', async () => {
    const r = await runPlaybookText('- hosts: h1\n  gather_facts: false\n  roles: [r2]\n', INV, {
      files: { 'roles/r2/tasks/main.yml': '- include_role: name=r1\n- import_role: name=r1\n', 'roles/r1/tasks/main.yml': SHOW },
    });
    expect(r.exitCode).toBe(0);
    expect(r.debug('h1').map((m) => String(m).replace(/\[.*?\] /, ''))).toEqual(["r1 ['r2']", "r1 ['r2']"]);
  });
});
