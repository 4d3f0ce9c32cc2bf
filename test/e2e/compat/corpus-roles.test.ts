// What general-purpose public roles do that runbook refused or ran differently (issue 18,
// s8-corpus), side by side with ansible-playbook 2.14 (local connection): a role's library/
// module that is a WANT_JSON shell script (linux-system-roles.timesync's timesync_provider.sh,
// found as Ansible finds modules: any file of that name, not only .py), and a handler that is a
// block with rescue/always (robertdebock.rsyslog): its block: tasks are the handlers, its
// rescue/always never run and cannot be notified; the file tests (`is file`, `is directory`...:
// linux-system-roles.ssh and .logging) and the pipe and lines lookups, which run on the
// controller; a play's environment naming ansible_env before facts are gathered
// (geerlingguy.supervisor). Every task's message must be the same.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

const GREET = `#!/bin/bash
# WANT_JSON
who=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["who"])' "$1")
printf '{"changed": false, "msg": "hello %s"}\\n' "$who"
`;

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  roles: [greeter]
  tasks:
    - debug: { msg: notifying }
      changed_when: true
      notify: restart it
  handlers:
    - name: a handler block
      block:
        - name: restart it
          debug: { msg: restarted }
        - name: restart it too
          debug: { msg: not notified }
      rescue:
        - name: restart it
          debug: { msg: rescue }
      always:
        - debug: { msg: always }
`;

const CONTROLLER = `- hosts: localhost
  gather_facts: false
  vars:
    paths: [pb.yml, roles, link, nowhere, /, /proc, /etc/hostname]
  roles: [cwd]
  tasks:
    - debug: { msg: "{{ lookup('pipe', 'echo a b; echo; echo; basename $(pwd)') }}" }
    - debug: { msg: "{{ query('lines', 'echo x; echo y', 'echo z') }}" }
    - debug: { msg: "{{ lookup('lines', 'echo x; echo y') }}" }
    - debug: { msg: "{{ item }}: {{ item is file }} {{ item is directory }} {{ item is link }} {{ item is exists }} {{ item is abs }} {{ item is mount }}" }
      loop: "{{ paths }}"
    - debug: { msg: "{{ 'link' is link_exists }} {{ 'link' is same_file('pb.yml') }} {{ 'pb.yml' is ansible.builtin.is_file }} {{ paths | select('directory') | list }}" }
`;

const ENVIRONMENT = `- hosts: localhost
  gather_facts: false
  environment:
    RB_X: "x-{{ ansible_env.HOME }}"
    RB_Y: y
  tasks:
    - command: sh -c 'echo \${RB_X-unset} $RB_Y'
      register: before
    - debug: { msg: "{{ before.stdout }}" }
`;

describe('public roles: the same as ansible-playbook 2.14', () => {
  it('an environment value naming ansible_env is left out until facts are gathered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-corpus-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'pb.yml'), ENVIRONMENT);
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    // the debug tasks' messages (a command's result event carries no msg in runbook's json output)
    // (only the first debug: the environment is what this test is about, before any gathering)
    const debugs = (m: unknown[]): unknown[] => [m[1]];
    expect(debugs(want)).toEqual(['unset y']); // what this test is about, as Ansible says it
    expect(got).toHaveLength(want.length);
    expect(debugs(got)).toEqual(debugs(want));
  });

  it('file tests and the pipe and lines lookups read the controller, from the playbook directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-corpus-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'pb.yml'), CONTROLLER);
    mkdirSync(join(dir, 'roles/cwd/tasks'), { recursive: true });
    writeFileSync(join(dir, 'roles/cwd/tasks/main.yml'), `- debug: { msg: "{{ lookup('pipe', 'ls') }}" }\n`);
    symlinkSync('pb.yml', join(dir, 'link'));
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    expect(want[1]).toBe(`a b\n\n\n${dir.split('/').pop()}`); // trailing whitespace stripped, run in the playbook's dir
    expect(got).toEqual(want);
  });

  it("a role's WANT_JSON shell module runs; a handler block runs its block: tasks only", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-compat-corpus-'));
    writeFileSync(join(dir, 'inv.ini'), '[all]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    mkdirSync(join(dir, 'roles/greeter/tasks'), { recursive: true });
    mkdirSync(join(dir, 'roles/greeter/library'), { recursive: true });
    writeFileSync(join(dir, 'roles/greeter/tasks/main.yml'), '- greet: { who: world }\n');
    writeFileSync(join(dir, 'roles/greeter/library/greet.sh'), GREET, { mode: 0o755 });
    // the module's documentation beside it, as timesync_provider.yml: not a module
    writeFileSync(join(dir, 'roles/greeter/library/greet.yml'), 'DOCUMENTATION: {module: greet}\n');
    const want = await ansibleMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    const got = await runbookMessages(dir, 'pb.yml', 'inv.ini', 'localhost');
    expect(want).toEqual(['hello world', 'notifying', 'restarted']); // what this test is about, as Ansible says it
    expect(got).toEqual(want);
  });
});
