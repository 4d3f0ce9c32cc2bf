// --start-at-task side by side with ansible-playbook 2.14 (local connection): the first play
// holding a task the name matches (as written, `role : name`, an unnamed role task's
// `role : action`, or an fnmatch glob) starts there; the plays before it run nothing; the tasks
// after it, the later plays and a block's rescue of the task it starts at run as usual. A name no
// task has is refused before anything runs (ansible-playbook runs every play empty and exits 0).
// Needs ansible-core.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessagesByHost, runbookMessagesByHost } from './side-by-side.js';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="first play"
- hosts: all
  gather_facts: false
  roles: [web]
  tasks:
    - name: "named {{ 'x' }}"
      debug: msg=named
    - block:
        - debug: msg="in block"
        - name: fails here
          command: /bin/false
      rescue:
        - debug: msg=rescued
      always:
        - name: always part
          debug: msg=always
    - debug: msg="after the block"
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="third play"
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rb-startat-'));
  mkdirSync(join(dir, 'roles/web/tasks'), { recursive: true });
  writeFileSync(join(dir, 'roles/web/tasks/main.yml'), '- debug: msg="role unnamed"\n- name: role named\n  debug: msg="role named"\n');
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(
    join(dir, 'hosts.ini'),
    `sat1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3 runbook_lock_file=${join(dir, 'sat1.lock')}\n`,
  );
});

describe('--start-at-task, side by side with ansible-playbook 2.14', () => {
  it.each([
    ['web : debug'], // an unnamed role task: role : action
    ['role named'], // a role task by its own name
    ['web : role*'],
    ['named*'],
    ['fails here'], // inside a block: its rescue and always run
    ['always part'],
    ['debug'], // the first unnamed play-level debug: the first play's
  ])('%s', async (name) => {
    const a = await ansibleMessagesByHost(dir, 'site.yml', 'hosts.ini', ['--start-at-task', name]);
    expect(a['sat1']?.length).toBeGreaterThan(0);
    expect(await runbookMessagesByHost(dir, 'site.yml', 'hosts.ini', ['--start-at-task', name])).toEqual(a);
  });

  it('refuses a name no task has before anything runs', async () => {
    const r = await runCli(['apply', 'site.yml', '-i', 'hosts.ini', '--yes', '--start-at-task', 'no such task'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no matching task "no such task" found');
    expect(r.stdout).not.toContain('first play');
  });
});
