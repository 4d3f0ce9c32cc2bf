// What the second public corpus (scripts/compat-cases-corpus2.txt: CIS hardening roles, kolla,
// debops, molecule converge playbooks) needed, side by side with ansible-playbook 2.14 (local
// connection): a role's nested task file importing one from the role's tasks/, templated
// max_fail_percentage and loop_control pause, import_role's `role:` alias and a name templated
// with a lookup, `listen` on a handler include_tasks, the play's `collections:` for a short role
// name, a flow mapping written at its list's column, a failed_when list (every condition, as
// `when`), a loop's `when` that cannot be evaluated, and a notify naming no handler (accepted
// before the run, an error once the task changes). Needs ansible-core.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ansibleMessages, runbookMessages } from './side-by-side.js';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-compat-corpus2-'));
  const files: Record<string, string> = {
    'inv.ini': 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    'roles/cis/tasks/main.yml': '- import_tasks: section_1/rule.yml\n',
    'roles/cis/tasks/section_1/rule.yml': '- debug: msg=rule\n- import_tasks: warning_facts.yml\n',
    'roles/cis/tasks/warning_facts.yml': '- debug: msg=warning_facts\n',
    'roles/aliased/tasks/main.yml': '- debug: msg=aliased\n',
    'roles/aliased/handlers/main.yml': '- name: reload things\n  include_tasks: reload.yml\n  listen: config changed\n',
    'roles/aliased/tasks/reload.yml': '- debug: msg=reloaded\n',
    'ansible_collections/ns/coll/galaxy.yml': 'namespace: ns\nname: coll\nversion: 1.0.0\n',
    'ansible_collections/ns/coll/roles/short/tasks/main.yml': '- debug: msg="short {{ ansible_role_name }}"\n',
    'site.yml': `- hosts: all
  gather_facts: false
  collections: [ns.coll]
  max_fail_percentage: "{{ mfp | default(kolla_mfp) | default(100) }}"
  vars:
    pause_s: 0
    users:
      - {
      name: testUser,
      roles: readWrite
      }
  roles:
    - cis
    - short
  tasks:
    - import_role: { role: aliased }
    - import_role:
        name: "{{ lookup('env', 'ROLE_DIR') | basename }}"
    - debug: msg="{{ item }}"
      loop: [a, b]
      loop_control: { pause: "{{ pause_s }}" }
    - debug: msg="{{ users[0].name }}/{{ users[0].roles }}"
    - debug: msg=listed
      register: fw
      failed_when: [fw.rc is defined, fw.rc != 0]
    - debug: msg=both
      failed_when: [true, false]
    - debug: msg=notifies
      changed_when: true
      notify: config changed
`,
    'loopwhen.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="{{ item }}"
      loop: [1, 2, 3]
      when: item > 1 and undefined_thing | bool
      register: r
      ignore_errors: true
    - debug: msg="{{ r.results is defined }} {{ r.failed }}"
`,
    'missing.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: /bin/true
      changed_when: false
      notify: not there
    - command: /bin/true
      notify: not there
    - debug: msg=after
`,
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

describe('the second corpus: the same as ansible-playbook 2.14', () => {
  const dir = project();
  const env = { ANSIBLE_COLLECTIONS_PATH: dir, ROLE_DIR: '/somewhere/aliased' };

  it('role task files, templated keywords, role aliases, handler listen, play collections, flow YAML', async () => {
    const a = await ansibleMessages(dir, 'site.yml', 'inv.ini', 'localhost', [], { env });
    expect(a).toEqual([
      'rule',
      'warning_facts',
      'short ns.coll.short',
      'aliased',
      'aliased',
      ['a', 'b'],
      'testUser/readWrite',
      'listed',
      'both',
      'notifies',
      undefined, // the handler include_tasks (listening to 'config changed'): runbook reports no result of an include
      'reloaded',
    ]);
    const shown = (m: unknown[]): unknown[] => m.filter((x) => x !== undefined);
    expect(shown(await runbookMessages(dir, 'site.yml', 'inv.ini', 'localhost', [], { env }))).toEqual(shown(a));
  });

  it("a loop's `when` that cannot be evaluated fails the task once, not each item", async () => {
    const a = await ansibleMessages(dir, 'loopwhen.yml', 'inv.ini', 'localhost');
    expect(typeof a[0]).toBe('string');
    expect(a[1]).toBe('False True');
    const r = await runbookMessages(dir, 'loopwhen.yml', 'inv.ini', 'localhost');
    expect(typeof r[0]).toBe('string');
    expect(r[1]).toBe(a[1]);
  });

  it('a notify naming no handler: accepted before the run, an error once the task changes', async () => {
    await expect(
      promisify(execFile)('ansible-playbook', ['-i', 'inv.ini', 'missing.yml', '--syntax-check'], { cwd: dir }),
    ).resolves.toBeDefined();
    const a = await promisify(execFile)('ansible-playbook', ['-i', 'inv.ini', 'missing.yml'], {
      cwd: dir,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
    }).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(a.code).not.toBe(0);
    expect(a.out).toContain("The requested handler 'not there' was not found");
    const v = await runCli(['validate', 'missing.yml'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout + v.stderr).toContain("no handler is named or listens to 'not there'");
    const r = await runCli(['apply', 'missing.yml', '-i', 'inv.ini', '--yes', '-o', 'plain', '-e', `runbook_lock_file=${dir}/rb.lock`], {
      cwd: dir,
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("The requested handler 'not there' was not found");
    expect(r.stdout).not.toContain('msg: after');
  });
});
