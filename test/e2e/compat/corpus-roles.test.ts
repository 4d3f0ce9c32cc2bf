// What general-purpose public roles do that runbook refused or ran differently (issue 18,
// s8-corpus), side by side with ansible-playbook 2.14 (local connection): a role's library/
// module that is a WANT_JSON shell script (linux-system-roles.timesync's timesync_provider.sh,
// found as Ansible finds modules: any file of that name, not only .py), and a handler that is a
// block with rescue/always (robertdebock.rsyslog): its block: tasks are the handlers, its
// rescue/always never run and cannot be notified. Every task's message must be the same.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

describe('public roles: the same as ansible-playbook 2.14', () => {
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
